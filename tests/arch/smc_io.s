* smc_io.s -- a channel program that reads data over code: the CPU runs
* what the channel stored, not what was there before.  A subroutine is
* called (warm) and returns 1; the disk then reads a block holding a new
* body over it (stored on block 3 from NEWBODY first), and the same call
* returns 2.  (A simulator that caches decoded instructions must notice
* stores that do not come from the CPU.)
* COVERS: self-modifying-code disk
         INCLUDE 'lib.s'
         TSTART
* warm: call the subroutine 100 times, it answers 1 each time
         LHI   R6,0
         LHI   R3,100
WARM     BAL   R14,SUB
         AR    R6,R5
         BRCT  R3,WARM
         CHECKR R6,100,1
* put the new body on disk block 3, then read it over SUB
         RUNIO X'100',WRNEW
         CHECKR R15,0,2
         CHECKCSW UNIT_CE|UNIT_DE,0,0,3
         RUNIO X'100',RDSUB
         CHECKR R15,0,4
         CHECKCSW UNIT_CE|UNIT_DE,0,0,5
* the same call now runs the code the channel stored
         BAL   R14,SUB
         CHECKR R5,2,6
         LHI   R6,0
         LHI   R3,100
HOT      BAL   R14,SUB
         AR    R6,R5
         BRCT  R3,HOT
         CHECKR R6,200,7
         PASS
WRNEW    CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_WRITE,NEWBODY,0,512
RDSUB    CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_READ,SUB,0,512
BLKNO    DC    F'3'
         ALIGN 8
* the subroutine, followed by room for the whole block the read stores
SUB      LHI   R5,1
         BR    R14
         DC    504X'00'
NEWBODY  LHI   R5,2
         BR    R14
         DC    504X'00'
         END
