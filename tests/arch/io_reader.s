* io_reader.s -- the card reader (00C) reads 80-byte cards from
* io_reader.rdr (lines padded with blanks).  A count of 100 or 40
* without SLI ends with incorrect length (residual 20 or 0); with SLI
* the length is not flagged; SKIP reads a card without storing it.
* Data chaining splits a card over two areas; incorrect length ends
* command chaining.  After the last card a READ ends with unit exception (end of file).
* COVERS: reader read sli incorrect-length skip unit-exception data-chaining
         INCLUDE 'lib.s'
         TSTART
         RUNIO X'00C',RD1
         CHECKR R15,0,1
         CHECKW LC_IO_ADDR,X'00C',2
         CHECKW LC_CSW,RD1+8,3
         CHECKCSW UNIT_CE|UNIT_DE,0,0,4
         CHECKW BUF,C'CARD',5
         CHECKW BUF+4,C' ONE',6
         CHECKB BUF+8,C' ',7
         CHECKB BUF+79,C' ',8
         CHECKB BUF+80,C'*',9
* count 100, no SLI: incorrect length, residual 20
         RUNIO X'00C',RD2
         CHECKCSW UNIT_CE|UNIT_DE,CHAN_LENGTH,20,10
         CHECKW BUF2+4,C' TWO',11
* count 40, no SLI: incorrect length, residual 0
         RUNIO X'00C',RD3
         CHECKCSW UNIT_CE|UNIT_DE,CHAN_LENGTH,0,12
         CHECKW BUF3+4,C' THR',13
         CHECKB BUF3+40,C'*',14
* SKIP: nothing stored
         RUNIO X'00C',RD4
         CHECKB BUF4,C'*',15
         CHECKB BUF4+79,C'*',16
* count 40 with SLI: no length flag
         RUNIO X'00C',RD5
         CHECKCSW UNIT_CE|UNIT_DE,0,0,17
         CHECKW BUF5+4,C' FIV',18
* data chaining on input: one card into two areas (30 + 50 bytes)
         RUNIO X'00C',RD7
         CHECKW LC_CSW,RD7B+8,19
         CHECKCSW UNIT_CE|UNIT_DE,0,0,20
         CHECKW BUF7,C'CARD',21
         CHECKW BUF7+4,C' SIX',22
         CHECKB BUF7+30,C'*',23
         CHECKW BUF8,C'COLU',24        ; column 31
         CHECKB BUF8+49,C'Z',25        ; column 80
         CHECKB BUF8+50,C'*',26
* incorrect length ends command chaining: the second READ is not done
         RUNIO X'00C',RD9
         CHECKW LC_CSW,RD9+8,27
         CHECKCSW UNIT_CE|UNIT_DE,CHAN_LENGTH,0,28
         CHECKB BUF9+40,C'*',29
         CHECKB BUF10,C'*',30
* end of file
         RUNIO X'00C',RD6
         CHECKR R15,0,31
         L     R1,LC_CSW+4
         SRL   R1,24
         CHECKR R1,UNIT_CE|UNIT_DE|UNIT_EXCEPTION,32
         CHECKB BUF6,C'*',33
* and again
         RUNIO X'00C',RD6
         L     R1,LC_CSW+4
         SRL   R1,24
         NHI   R1,UNIT_EXCEPTION
         CHECKR R1,UNIT_EXCEPTION,34
         PASS
RD1      CCW   CCW_CMD_READ,BUF,0,80
RD2      CCW   CCW_CMD_READ,BUF2,0,100
RD3      CCW   CCW_CMD_READ,BUF3,0,40
RD4      CCW   CCW_CMD_READ,BUF4,CCW_FLAG_SKIP,80
RD5      CCW   CCW_CMD_READ,BUF5,CCW_FLAG_SLI,40
RD6      CCW   CCW_CMD_READ,BUF6,0,80
RD7      CCW   CCW_CMD_READ,BUF7,CCW_FLAG_CD,30
RD7B     CCW   0,BUF8,0,50
RD9      CCW   CCW_CMD_READ,BUF9,CCW_FLAG_CC,40
         CCW   CCW_CMD_READ,BUF10,0,80
         ALIGN 4
BUF      DC    100C'*'
BUF2     DC    100C'*'
BUF3     DC    100C'*'
BUF4     DC    100C'*'
BUF5     DC    100C'*'
BUF6     DC    100C'*'
BUF7     DC    100C'*'
BUF8     DC    100C'*'
BUF9     DC    100C'*'
BUF10    DC    100C'*'
         END
