* badsvc.s -- wrong calls to CMS: each must come back with its error
* code, never crash CMS.  One line per call: what, the code, OK or WRONG.
         INCLUDE 'cmslib.s'
BADSVC   BEGIN
         MACRO
&L       CHECK &WANT,&WHAT
&L       LHI   R6,&WANT
         LA    R7,&WHAT
         BRAS  R14,REPORT
         MEND
         SVC   99
         CHECK 1,T1
         WRTERM X'400',10            ; CMS's storage
         CHECK 2,T2
         LI    R2,X'DFFF0'           ; runs past the end of the program's
         LHI   R3,100                ; storage
         SVC   SVC_WRTRM
         CHECK 2,T3
         WRTERM T1,200               ; longer than a line
         CHECK 24,T4
         FSREAD F1,BUF,80            ; nothing open
         CHECK 6,T5
         FSOPEN BADNAME,R
         CHECK 20,T6
         FSOPEN NOFILE,R
         CHECK 28,T7
         FSOPEN F1,X
         CHECK 24,T8
         FSOPEN SFILE,W              ; the S-disk is read-only
         CHECK 36,T9
         FSOPEN QFILE,R              ; no disk Q
         CHECK 36,T9B
         FSOPEN F1,R
         CHECK 0,T10
         LI    R5,X'E0000'           ; into CMS's page table
         FSREAD F1,0(R5),80
         CHECK 2,T11
         FSWRITE F1,BUF,80           ; open for reading, not writing
         CHECK 6,T12
         FSOPEN F2,R
         CHECK 0,T13
         FSOPEN F3,R
         CHECK 7,T14
         FSREAD F1,BUF,4             ; a longer record: truncated
         CHECK 8,T15
         FSCLOSE F1
         CHECK 0,T16
         FSCLOSE F1
         CHECK 6,T17
         LI    R5,X'10000'           ; CMS's A-disk directory
         RDTERM 0(R5),80
         CHECK 2,T18
         EXIT  RC=0
* REPORT: type "what RC=nn OK" (or WRONG) for the code in R15, the
* expected one in R6 and the text at R7.
REPORT   LR    R9,R15
         LR    R10,R14
         LA    R2,OUT
         LHI   R3,40
         MVC   R2,R7,R3
         LR    R1,R9                 ; two digits
         LHI   R0,0
         LHI   R3,10
         DR    R0,R3
         AHI   R1,C'0'
         STC   R1,OUT+44
         AHI   R0,C'0'
         STC   R0,OUT+45
         LA    R2,OUT+47
         LA    R3,WOK
         CR    R9,R6
         JE    REP1
         LA    R3,WWRONG
REP1     LHI   R4,5
         MVC   R2,R3,R4
         WRTERM OUT,OUTLEN
         BR    R10
OUT      DC    CL40' ',C' RC=nn ',CL5' '
OUTLEN   EQU   *-OUT
WOK      DC    CL5'OK'
WWRONG   DC    CL5'WRONG'
T1       DC    CL40'SVC 99 (no such service)'
T2       DC    CL40'WRTERM from CMS storage X''400'''
T3       DC    CL40'WRTERM past the end of program storage'
T4       DC    CL40'WRTERM of 200 bytes'
T5       DC    CL40'FSREAD with no file open'
T6       DC    CL40'FSOPEN of a bad name'
T7       DC    CL40'FSOPEN of a file that is not there'
T8       DC    CL40'FSOPEN with mode X'
T9       DC    CL40'FSOPEN for writing on the S-disk'
T9B      DC    CL40'FSOPEN for reading on disk Q (none)'
T10      DC    CL40'FSOPEN HELLO TEXT for reading'
T11      DC    CL40'FSREAD into CMS storage X''E0000'''
T12      DC    CL40'FSWRITE to a file open for reading'
T13      DC    CL40'FSOPEN a second file'
T14      DC    CL40'FSOPEN a third file'
T15      DC    CL40'FSREAD into 4 bytes'
T16      DC    CL40'FSCLOSE'
T17      DC    CL40'FSCLOSE again'
T18      DC    CL40'RDTERM into CMS storage X''10000'''
F1       FSCB  HELLO,TEXT,FM=*
F2       FSCB  HELLO,TEXT,FM=A
F3       FSCB  HELLO,TEXT
BADNAME  FSCB  hello,TEXT
NOFILE   FSCB  NOSUCH,FILE,FM=*
SFILE    FSCB  NEW,FILE,FM=S
QFILE    FSCB  HELLO,TEXT,FM=Q
BUF      DS    CL80
         END   BADSVC
