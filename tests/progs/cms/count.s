* count.s -- RUN COUNT fn ft [fm]: count a file's records and bytes, as
* `wc -l -c` would (without newlines).  Reads files of any size: CMS
* brings the blocks in as FSREAD needs them.
         INCLUDE 'cmslib.s'
COUNT    BEGIN
         CHI   R0,2
         JL    USAGE
         LA    R2,INFILE             ; fn ft [fm] from the parameter list
         LA    R3,8(,R1)
         LHI   R4,16
         MVC   R2,R3,R4
         CHI   R0,3
         JL    OPEN
         LA    R2,INFILE+16
         LA    R3,24(,R1)
         LHI   R4,8
         MVC   R2,R3,R4
OPEN     FSOPEN INFILE,R
         LTR   R15,R15
         JNZ   FAIL
         LHI   R8,0                  ; records
         LHI   R9,0                  ; bytes
LOOP     FSREAD INFILE,BUF,BUFLEN
         CHI   R15,12
         JE    DONE
         CHI   R15,8                 ; longer than BUF: counted all the same
         JE    COUNTIT
         LTR   R15,R15
         JNZ   FAIL
COUNTIT  AHI   R8,1
         AR    R9,R0
         J     LOOP
DONE     LR    R1,R8
         LA    R2,NRECS+7
         BRAS  R14,DECIMAL
         LR    R1,R9
         LA    R2,NBYTES+9
         BRAS  R14,DECIMAL
         WRTERM MSG,MSGLEN
         EXIT  RC=0
USAGE    WRTERM MSGUSE,MSGULEN
         EXIT  RC=24
FAIL     EXIT                        ; the service's code
* DECIMAL: R1 in decimal, its last digit at R2 (room for 8 digits).
DECIMAL  LHI   R3,10
DECLOOP  LHI   R0,0
         DR    R0,R3
         AHI   R0,C'0'
         STC   R0,0(,R2)
         AHI   R2,-1
         LTR   R1,R1
         JNZ   DECLOOP
         BR    R14
INFILE   FSCB  X,X,FM=*
MSG      DC    C'COUNT:'
NRECS    DC    CL8' ',C' records,'
NBYTES   DC    CL10' ',C' bytes'
MSGLEN   EQU   *-MSG
MSGUSE   DC    C'USAGE: RUN COUNT fn ft [fm]'
MSGULEN  EQU   *-MSGUSE
BUF      DS    CL200
BUFLEN   EQU   *-BUF
         END   COUNT
