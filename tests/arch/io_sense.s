* io_sense.s -- unit check and SENSE: a command a device cannot do (WRITE
* to the reader, READ from the printer or punch, LOCATE to the console)
* ends with unit check; a SENSE then returns sense byte 0 = command
* reject (X'80'); a SENSE after a good operation returns 0.  A unit
* check ends command chaining.
* COVERS: sense unit-check command-reject
         INCLUDE 'lib.s'
         TSTART
         RUNIO X'00C',BADW
         CHECKR R15,0,1
         L     R1,LC_CSW+4
         SRL   R1,24
         CHECKR R1,UNIT_CE|UNIT_DE|UNIT_CHECK,2
         RUNIO X'00C',SNS
         CHECKCSW UNIT_CE|UNIT_DE,0,0,3
         CHECKB SENSEB,SENSE_CMD_REJECT,4
* printer: READ
         RUNIO X'00E',BADR
         L     R1,LC_CSW+4
         SRL   R1,24
         NHI   R1,UNIT_CHECK
         CHECKR R1,UNIT_CHECK,5
         RUNIO X'00E',SNS
         CHECKB SENSEB,SENSE_CMD_REJECT,6
* punch: READ
         RUNIO X'00D',BADR
         L     R1,LC_CSW+4
         SRL   R1,24
         NHI   R1,UNIT_CHECK
         CHECKR R1,UNIT_CHECK,7
         RUNIO X'00D',SNS
         CHECKB SENSEB,SENSE_CMD_REJECT,8
* console: LOCATE, chained to a write that must not happen
         RUNIO X'009',BADL
         L     R1,LC_CSW+4
         SRL   R1,24
         NHI   R1,UNIT_CHECK
         CHECKR R1,UNIT_CHECK,9
         CHECKW LC_CSW,BADL+8,10       ; chaining stopped
         RUNIO X'009',SNS
         CHECKB SENSEB,SENSE_CMD_REJECT,11
* after a good operation the sense byte is 0
         RUNIO X'00E',GOOD
         CHECKCSW UNIT_CE|UNIT_DE,0,0,12
         LHI   R1,X'FF'
         STC   R1,SENSEB
         RUNIO X'00E',SNS
         CHECKB SENSEB,0,13
         PASS
BADW     CCW   CCW_CMD_WRITE,BUF,0,80
BADR     CCW   CCW_CMD_READ,BUF,0,80
BADL     CCW   CCW_CMD_LOCATE,BUF,CCW_FLAG_CC,4
         CCW   CCW_CMD_WRITE,BUF,0,10
GOOD     CCW   CCW_CMD_WRITE,BUF,CCW_FLAG_SLI,10
SNS      CCW   CCW_CMD_SENSE,SENSEB,CCW_FLAG_SLI,1
SENSEB   DC    X'FF'
BUF      DC    CL80'THIS MUST NOT BE WRITTEN'
         END
