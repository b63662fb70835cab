* upper.s -- a student's first CMS program: RUN UPPER fn ft copies the
* file fn ft (from any accessed disk) to fn UPPER on the A-disk with
* every line in upper case, and says how many lines it copied.
*     vmlab asm upper.s -I cms -o upper.img
*     vmlab disk put ALICE.191.disk upper.img "UPPER MODULE"
*     RUN UPPER HELLO TEXT          (at CMS's R;)
         INCLUDE 'cmslib.s'
UPPER    BEGIN
         CHI   R0,2                  ; two arguments: fn ft
         JNE   USAGE
         LA    R2,INFILE             ; the input's name from the
         LA    R3,8(,R1)             ; parameter list (token 0 is
         LHI   R4,16                 ; our own name)
         MVC   R2,R3,R4
         LA    R2,OUTFILE
         LA    R3,8(,R1)
         LHI   R4,8
         MVC   R2,R3,R4              ; same fn, type UPPER
         FSOPEN INFILE,R
         LTR   R15,R15
         JNZ   NOINPUT
         FSOPEN OUTFILE,W
         LTR   R15,R15
         JNZ   FAIL
         LHI   R8,0                  ; lines copied
LOOP     FSREAD INFILE,LINE,LINELEN
         CHI   R15,12
         JE    DONE
         LTR   R15,R15
         JNZ   FAIL
         LR    R5,R0                 ; the record's length
         LA    R4,LINE
         LR    R6,R5
UPLOOP   LTR   R6,R6                 ; a-z -> A-Z
         JZ    UPDONE
         LLC   R7,0(,R4)
         CHI   R7,C'a'
         JL    UPNEXT
         CHI   R7,C'z'
         JH    UPNEXT
         AHI   R7,-32
         STC   R7,0(,R4)
UPNEXT   AHI   R4,1
         AHI   R6,-1
         J     UPLOOP
UPDONE   FSWRITE OUTFILE,LINE,0(R5)
         LTR   R15,R15
         JNZ   FAIL
         AHI   R8,1
         J     LOOP
DONE     FSCLOSE INFILE
         FSCLOSE OUTFILE
         LTR   R15,R15
         JNZ   FAIL
         LR    R1,R8                 ; "UPPER: n lines copied"
         LA    R2,MSGN+12
         LHI   R3,10
DIGIT    LHI   R0,0                  ; R0:R1 / 10
         DR    R0,R3
         AHI   R0,C'0'
         STC   R0,0(,R2)
         AHI   R2,-1
         LTR   R1,R1
         JNZ   DIGIT
         WRTERM MSGN,MSGNLEN
         EXIT  RC=0
USAGE    WRTERM MSGUSE,MSGULEN
         EXIT  RC=24
NOINPUT  LR    R9,R15
         WRTERM MSGNF,MSGFLEN
         LR    R15,R9
         BR    R14                   ; returning is the same as EXIT
FAIL     EXIT                        ; R15 as the service left it
INFILE   FSCB  X,X,FM=*
OUTFILE  FSCB  X,UPPER,FM=A
MSGN     DC    C'UPPER:      0 lines copied'
MSGNLEN  EQU   *-MSGN
MSGUSE   DC    C'USAGE: RUN UPPER fn ft'
MSGULEN  EQU   *-MSGUSE
MSGNF    DC    C'UPPER: input file not found'
MSGFLEN  EQU   *-MSGNF
LINE     DS    CL132
LINELEN  EQU   *-LINE
         END   UPPER
