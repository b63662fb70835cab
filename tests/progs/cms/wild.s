* wild.s -- program checks on purpose.  RUN WILD what, where what is
*   ODD     branch to an address that is not a multiple of 4
*   DIVIDE  divide by zero
*   CMS     store into CMS's storage (low storage: the new PSWs)
*   OP      execute a word that is not an instruction
*   LOOP    loop for ever (the operator's attention key stops it)
*   WRITE   write a record to WILD OUTPUT A, then LPSW (privileged):
*           the file is dropped, never saved
*   FILL    write 1000-byte records to WILD FULL A until FSWRITE says
*           13 (the 56K file buffer is full), then end: EXIT saves it
         INCLUDE 'cmslib.s'
WILD     BEGIN
         CHI   R0,1
         JNE   USAGE
         L     R2,8(,R1)             ; the first 4 letters of the argument
         C     R2,WODD
         JE    ODD
         C     R2,WDIV
         JE    DIVIDE
         C     R2,WCMS
         JE    CMS
         C     R2,WOP
         JE    OP
         C     R2,WLOOP
         JE    LOOP
         C     R2,WWRITE
         JE    WRITE
         C     R2,WFILL
         JE    FILL
USAGE    WRTERM MSGUSE,MSGULEN
         EXIT  RC=24
ODD      LA    R3,ODD+2
         BR    R3
DIVIDE   LHI   R4,0
         LHI   R5,7
         LHI   R6,0
         DR    R4,R6
         EXIT  RC=0
CMS      LHI   R3,X'68'              ; the program new PSW
         LHI   R4,0
         ST    R4,0(,R3)
         EXIT  RC=0
OP       DC    X'00000000'
         EXIT  RC=0
LOOP     J     LOOP
WRITE    FSOPEN OUTFILE,W
         FSWRITE OUTFILE,WODD,4
         LPSW  SUPER                 ; supervisor state, please
         EXIT  RC=0
         DS    0D
SUPER    PSW   0,WILD
OUTFILE  FSCB  WILD,OUTPUT
WWRITE   DC    C'WRIT'
FILL     FSOPEN FULLFILE,W
         LTR   R15,R15
         JNZ   FAIL
FILLLOOP FSWRITE FULLFILE,WILD,1000  ; our own code makes a fine record
         LTR   R15,R15
         JZ    FILLLOOP
         CHI   R15,13
         JNE   FAIL
         WRTERM MSGFULL,MSGFLEN
         EXIT  RC=0
FAIL     EXIT
FULLFILE FSCB  WILD,FULL
WFILL    DC    C'FILL'
MSGFULL  DC    C'WILD: FSWRITE says 13: the file buffer is full'
MSGFLEN  EQU   *-MSGFULL
         DS    0F                    ; (C compares words: aligned)
WODD     DC    C'ODD '
WDIV     DC    C'DIVI'
WCMS     DC    C'CMS '
WOP      DC    C'OP  '
WLOOP    DC    C'LOOP'
MSGUSE   DC    C'USAGE: RUN WILD ODD|DIVIDE|CMS|OP|LOOP|WRITE|FILL'
MSGULEN  EQU   *-MSGUSE
         END   WILD
