* io_console.s -- the console (009) writes lines: SIO CC 0, the I/O
* interruption with the device address at 0x090 and the CSW at 0x040
* (last CCW + 8; channel end + device end; residual 0).  Command chaining
* (two lines), data chaining (one line from two areas), TIC, and the
* no-operation CONTROL command.  The output is compared with
* io_console.con.
* COVERS: SIO console io-interrupt command-chaining data-chaining tic
         INCLUDE 'lib.s'
         TSTART
         RUNIO X'009',CCW1
         CHECKR R15,0,1                ; SIO CC 0
         CHECKW LC_IO_ADDR,X'009',2
         CHECKW LC_CSW,CCW1+8,3
         CHECKCSW UNIT_CE|UNIT_DE,0,0,4
         CHECKW LC_IO_OLD,PSW_WAIT|PSW_IO,5  ; the wait PSW of DOIO
* command chaining: two lines
         RUNIO X'009',CCW2
         CHECKR R15,0,6
         CHECKW LC_CSW,CCW2+16,7
         CHECKCSW UNIT_CE|UNIT_DE,0,0,8
* data chaining: one line from two areas
         RUNIO X'009',CCW4
         CHECKR R15,0,9
         CHECKW LC_CSW,CCW4+16,10
         CHECKCSW UNIT_CE|UNIT_DE,0,0,11
* TIC
         RUNIO X'009',CCW6
         CHECKR R15,0,12
         CHECKW LC_CSW,CCW8+8,13
         CHECKCSW UNIT_CE|UNIT_DE,0,0,14
* CONTROL (no operation), chained to a write
         RUNIO X'009',CCW9
         CHECKR R15,0,15
         CHECKW LC_CSW,CCW9+16,16
         CHECKCSW UNIT_CE|UNIT_DE,0,0,17
* a write with a count shorter than the text: only that much is written
         RUNIO X'009',CCW11
         CHECKCSW UNIT_CE|UNIT_DE,0,0,18
         PASS
CCW1     CCW   CCW_CMD_WRITE,MSG1,0,11
CCW2     CCW   CCW_CMD_WRITE,MSG2,CCW_FLAG_CC,12
CCW3     CCW   CCW_CMD_WRITE,MSG3,0,13
CCW4     CCW   CCW_CMD_WRITE,MSG4,CCW_FLAG_CD,5
CCW5     CCW   0,MSG5,0,7
CCW6     CCW   CCW_CMD_WRITE,MSG6,CCW_FLAG_CC,10
CCW7     CCW   CCW_CMD_TIC,CCW8,0,0
         CCW   CCW_CMD_WRITE,MSG7,0,9             ; skipped by the TIC
CCW8     CCW   CCW_CMD_WRITE,MSG8,0,9
CCW9     CCW   CCW_CMD_CONTROL,0,CCW_FLAG_CC,1
CCW10    CCW   CCW_CMD_WRITE,MSG9,0,15
CCW11    CCW   CCW_CMD_WRITE,MSG9,0,5
MSG1     DC    C'HELLO, VL32'
MSG2     DC    C'FIRST OF TWO'
MSG3     DC    C'SECOND OF TWO'
MSG4     DC    C'DATA '
MSG5     DC    C'CHAINED'
MSG6     DC    C'BEFORE TIC'
MSG7     DC    C'NOT SHOWN'
MSG8     DC    C'AFTER TIC'
MSG9     DC    C'AFTER A CONTROL'
         END
