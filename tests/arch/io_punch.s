* io_punch.s -- the card punch (00D): WRITE of 80 bytes punches a card
* (the output file drops trailing blanks); a shorter record with SLI;
* command-chained writes punch one card each.  Compared with
* io_punch.pun.
* COVERS: punch write command-chaining
         INCLUDE 'lib.s'
         TSTART
         RUNIO X'00D',PU1
         CHECKR R15,0,1
         CHECKW LC_IO_ADDR,X'00D',2
         CHECKW LC_CSW,PU1+8,3
         CHECKCSW UNIT_CE|UNIT_DE,0,0,4
         RUNIO X'00D',PU2
         CHECKCSW UNIT_CE|UNIT_DE,0,0,5
         RUNIO X'00D',PU3
         CHECKW LC_CSW,PU4+8,6
         CHECKCSW UNIT_CE|UNIT_DE,0,0,7
         PASS
PU1      CCW   CCW_CMD_WRITE,CARD1,0,80
PU2      CCW   CCW_CMD_WRITE,SHORT,CCW_FLAG_SLI,5
PU3      CCW   CCW_CMD_WRITE,CARD2,CCW_FLAG_CC,80
PU4      CCW   CCW_CMD_WRITE,CARD3,0,80
CARD1    DC    CL80'PUNCHED CARD 1'
SHORT    DC    C'SHORT'
CARD2    DC    CL80'   LEADING BLANKS STAY'
CARD3    DC    CL80'LAST CARD'
         END
