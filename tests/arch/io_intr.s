* io_intr.s -- I/O interruptions: taken between instructions of a
* running program once PSW_IO is on (old PSW: the running PSW with its
* CC, pointing at the next instruction; device address at 0x090; CSW at
* 0x040); pending status waits while I/O is disabled and is taken at
* once when SSM enables it; with two pending, the lower device address
* comes first.
* COVERS: io-interrupt SSM
         INCLUDE 'lib.s'
         TSTART
* 1. interrupt a running loop
         SETNEW LC_IO_NEW,IO1
         LA    R15,WR
         ST    R15,LC_CAW
         SIO   X'00E'
         CHECKCC 0,1
         LHI   R3,0
         SSM   MIO
LOOP1    AHI   R3,1
         CHI   R3,30000
         BRC   4,LOOP1
         FAIL  2
IO1      SETNEW LC_IO_NEW,UNEXP_IO
         CHECKW LC_IO_ADDR,X'00E',3
         CHECKW LC_CSW,WR+8,4
         CHECKCSW UNIT_CE|UNIT_DE,0,0,5
         L     R1,LC_IO_OLD
         N     R1,NOCC
         CHECKR R1,PSW_IO,6
         L     R1,LC_IO_OLD+4
         LA    R2,LOOP1
         CLR   R1,R2
         BRC   4,F7
         LA    R2,LOOP1+8
         CLR   R1,R2
         BRC   2,F7
         CHI   R3,2
         BRC   10,T8
F7       FAIL  7
* 2. status pending while disabled, taken right after SSM
T8       SIO   X'00E'
         LHI   R3,10000
DELAY    BRCT  R3,DELAY
         SETNEW LC_IO_NEW,IO9
S9       SSM   MIO
         FAIL  8
IO9      SETNEW LC_IO_NEW,UNEXP_IO
         CHECKW LC_IO_OLD+4,S9+4,9
         CHECKW LC_IO_ADDR,X'00E',10
* 3. two devices pending: the lower address first
         LA    R15,WR
         ST    R15,LC_CAW
         SIO   X'00E'
         CHECKCC 0,11
         LA    R15,WR2
         ST    R15,LC_CAW
         SIO   X'009'
         CHECKCC 0,12
         LHI   R3,20000
DELAY2   BRCT  R3,DELAY2
         BRAS  R14,IOWAIT
         CHECKW LC_IO_ADDR,X'009',13
         CHECKW LC_CSW,WR2+8,14
         BRAS  R14,IOWAIT
         CHECKW LC_IO_ADDR,X'00E',15
         CHECKW LC_CSW,WR+8,16
         TIO   X'009'
         CHECKCC 0,17
         TIO   X'00E'
         CHECKCC 0,18
* 4. an I/O interruption in problem state
         LA    R15,WR
         ST    R15,LC_CAW
         SIO   X'00E'
         SETNEW LC_IO_NEW,IO19
         LPSW  PROBIO
PROB     J     PROB                    ; spin in problem state
IO19     SETNEW LC_IO_NEW,UNEXP_IO
         L     R1,LC_IO_OLD
         N     R1,NOCC
         CHECKR R1,PSW_IO|PSW_PROBLEM,19
         CHECKW LC_IO_OLD+4,PROB,20
         LHI   R3,0                    ; the loop count depends on timing
         PASS
PROBIO   PSW   PSW_IO|PSW_PROBLEM,PROB
WR       CCW   CCW_CMD_WRITE,LINE,CCW_FLAG_SLI,20
WR2      CCW   CCW_CMD_WRITE,LINE,0,12
NOCC     DC    A(0xFFFFCFFF)
MIO      DC    X'02'
LINE     DC    CL20'PRINTED LINE'
         END
