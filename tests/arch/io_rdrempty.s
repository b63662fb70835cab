* io_rdrempty.s -- a card reader (00C) with no cards (no .rdr file): the
* first READ ends with unit exception, nothing stored.
* COVERS: reader unit-exception
         INCLUDE 'lib.s'
         TSTART
         RUNIO X'00C',RD1
         CHECKR R15,0,1
         L     R1,LC_CSW+4
         SRL   R1,24
         NHI   R1,UNIT_EXCEPTION
         CHECKR R1,UNIT_EXCEPTION,2
         CHECKB BUF,C'*',3
         PASS
RD1      CCW   CCW_CMD_READ,BUF,0,80
BUF      DC    80C'*'
         END
