* io_conread.s -- console (009) reads: a READ of 80 bytes gets the next
* input line (io_conread.in) without its newline; with SLI the shorter
* line ends normally with residual 80 - length; without SLI the same
* read ends with incorrect length (channel status X'40').  A count
* shorter than the line takes the first bytes.  At the end of the input
* a read ends with unit exception (the backend's end of file).
* COVERS: console read sli incorrect-length
         INCLUDE 'lib.s'
         TSTART
         RUNIO X'009',RD1
         CHECKR R15,0,1
         CHECKW LC_CSW,RD1+8,2
         CHECKCSW UNIT_CE|UNIT_DE,0,80-23,3
         LA    R2,BUF
         LA    R3,EXP1
         LHI   R4,23
         CLC   R2,R3,R4
         CHECKCC 0,4
         LLC   R1,BUF+23               ; nothing stored past the line
         CHECKR R1,C'*',5
* without SLI: incorrect length
         RUNIO X'009',RD2
         CHECKR R15,0,6
         CHECKCSW UNIT_CE|UNIT_DE,CHAN_LENGTH,80-5,7
         LA    R2,BUF2
         LA    R3,EXP2
         LHI   R4,5
         CLC   R2,R3,R4
         CHECKCC 0,8
* a count shorter than the line, with SLI: the first 4 bytes
         RUNIO X'009',RD3
         CHECKR R15,0,9
         CHECKCSW UNIT_CE|UNIT_DE,0,0,10
         CHECKW BUF3,C'LINE',11
         CHECKB BUF3+4,C'*',12
* the input is used up: the next read ends with unit exception
         RUNIO X'009',RD4
         CHECKR R15,0,13
         L     R1,LC_CSW+4
         SRL   R1,24
         NHI   R1,UNIT_EXCEPTION
         CHECKR R1,UNIT_EXCEPTION,14
         CHECKB BUF4,C'*',15
         PASS
RD1      CCW   CCW_CMD_READ,BUF,CCW_FLAG_SLI,80
RD2      CCW   CCW_CMD_READ,BUF2,0,80
RD3      CCW   CCW_CMD_READ,BUF3,CCW_FLAG_SLI,4
RD4      CCW   CCW_CMD_READ,BUF4,CCW_FLAG_SLI,80
EXP1     DC    C'HELLO FROM THE KEYBOARD'
EXP2     DC    C'SHORT'
         ALIGN 4
BUF      DC    80C'*'
BUF2     DC    80C'*'
BUF3     DC    80C'*'
BUF4     DC    80C'*'
         END
