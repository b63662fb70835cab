* io_printer.s -- the printer (00E): WRITE prints a line of up to 132
* characters (trailing blanks dropped in the output file), EJECT (X'8B')
* skips to a new page (a form feed in the output file).  Compared with
* io_printer.prt.
* COVERS: printer write eject
         INCLUDE 'lib.s'
         TSTART
         RUNIO X'00E',PR1
         CHECKR R15,0,1
         CHECKW LC_IO_ADDR,X'00E',2
         CHECKCSW UNIT_CE|UNIT_DE,0,0,3
         RUNIO X'00E',PR2
         CHECKCSW UNIT_CE|UNIT_DE,0,0,4
         RUNIO X'00E',PR3
         CHECKW LC_CSW,PR3+8,5
         CHECKCSW UNIT_CE|UNIT_DE,0,1,6  ; no data moved: residual = count
         RUNIO X'00E',PR4
         CHECKCSW UNIT_CE|UNIT_DE,0,0,7
         PASS
PR1      CCW   CCW_CMD_WRITE,LINE1,0,132
PR2      CCW   CCW_CMD_WRITE,LINE2,CCW_FLAG_SLI,11
PR3      CCW   CCW_CMD_EJECT,0,0,1
PR4      CCW   CCW_CMD_WRITE,LINE3,CCW_FLAG_SLI,12
LINE1    DC    CL132'VL32 PRINTER TEST                              PAGE 1'
LINE2    DC    C'SECOND LINE'
LINE3    DC    C'ON PAGE TWO.'
         END
