* io_chanerr.s -- channel program checks (CHAN_PROGRAM, X'20', in the
* CSW's channel status): a data address beyond storage, a data area that
* runs past the end of storage, a CAW that points beyond storage or is
* not 8-aligned, a TIC as the first CCW, a TIC to a TIC, a count of 0,
* and a bad address in the second of two chained CCWs (the first one is
* done; the CSW points after the second).  The check may be reported by
* SIO (CC 1, CSW stored) or by the I/O interruption (CC 0): both are
* accepted.  Only "OK LINE" reaches the console (io_chanerr.con).
* COVERS: channel-program-check caw csw tic
         INCLUDE 'lib.s'
         TSTART
         RUNIO X'009',C1
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,1
         CHECKW LC_CSW,C1+8,2
         RUNIO X'009',C2
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,3
* the CAW points beyond storage
         LI    R2,0x200000
         ST    R2,LC_CAW
         LHI   R1,X'009'
         BRAS  R14,DOIO
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,4
* the CAW is not 8-aligned
         LA    R2,C3+4
         ST    R2,LC_CAW
         LHI   R1,X'009'
         BRAS  R14,DOIO
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,5
* a TIC first
         RUNIO X'009',C4
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,6
* a TIC to a TIC
         RUNIO X'009',C5
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,7
* a TIC to an address that is not 8-aligned
         RUNIO X'009',C11
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,8
* a count of 0
         RUNIO X'009',C7
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,9
* a bad address in the second CCW
         RUNIO X'009',C8
         BRAS  R13,PCHK
         CHECKR R1,CHAN_PROGRAM,10
         CHECKW LC_CSW,C9+8,11
* the channel still works
         RUNIO X'00E',C10
         CHECKR R15,0,12
         CHECKCSW UNIT_CE|UNIT_DE,0,0,13
         PASS
* PCHK: R15 must be 0 or 1 (from DOIO); R1 := the CSW's channel status
* AND CHAN_PROGRAM.  Return on R13.
PCHK     CHI   R15,1
         BRC   2,PCHKF
         L     R1,LC_CSW+4
         SRL   R1,16
         NHI   R1,CHAN_PROGRAM
         BR    R13
PCHKF    FAIL  14
C1       CCW   CCW_CMD_WRITE,0x200000,0,10
C2       CCW   CCW_CMD_WRITE,0xFFFF0,0,80
C3       CCW   CCW_CMD_WRITE,BAD,0,10
C4       CCW   CCW_CMD_TIC,C3,0,0
C5       CCW   CCW_CMD_CONTROL,0,CCW_FLAG_CC,1
C6       CCW   CCW_CMD_TIC,C6B,0,0
C6B      CCW   CCW_CMD_TIC,C3,0,0
C7       CCW   CCW_CMD_WRITE,BAD,0,0
C8       CCW   CCW_CMD_WRITE,OK,CCW_FLAG_CC,7
C9       CCW   CCW_CMD_WRITE,0xFFFFFF00,0,10
C10      CCW   CCW_CMD_WRITE,OK,0,7
C11      CCW   CCW_CMD_CONTROL,0,CCW_FLAG_CC,1
         CCW   CCW_CMD_TIC,C3+4,0,0
BAD      DC    C'BAD LINE: NOT TO BE SHOWN'
OK       DC    C'OK LINE'
         END
