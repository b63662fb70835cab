* io_disk.s -- the fixed-block disk (100, 64 blocks of 512 bytes, zeroed):
* LOCATE (a 4-byte block number) chained to WRITE and READ; a transfer of
* several blocks continues with the next block; data written reads back;
* a partial block is padded with zeros; a read running past the last
* block ends with unit exception (end of extent) after the blocks that
* exist; a LOCATE beyond the extent is rejected (unit check, SENSE gives
* command reject).
* COVERS: disk locate read write unit-exception unit-check sense
         INCLUDE 'lib.s'
         TSTART
* fill OUTBUF (1536 bytes at 0x20000): byte i = (i * 7) & 0xFF
         LI    R6,0x20000
         LHI   R1,0
         LHI   R2,0
FILL     STC   R2,0(R1,R6)
         AHI   R2,7
         AHI   R1,1
         CHI   R1,1536
         BRC   4,FILL
* write blocks 5, 6, 7 in one WRITE of 1536 bytes
         LHI   R2,5
         ST    R2,BLKNO
         RUNIO X'100',WR1
         CHECKR R15,0,1
         CHECKW LC_IO_ADDR,X'100',2
         CHECKW LC_CSW,WR1+16,3
         CHECKCSW UNIT_CE|UNIT_DE,0,0,4
* read blocks 5..7 back into INBUF (0x21000) and compare
         RUNIO X'100',RD1
         CHECKR R15,0,5
         CHECKCSW UNIT_CE|UNIT_DE,0,0,6
         LI    R1,0x20000
         LI    R2,0x21000
         LHI   R3,1536
         CLC   R1,R2,R3
         CHECKCC 0,7
* read block 6 alone: the middle block
         LHI   R2,6
         ST    R2,BLKNO
         RUNIO X'100',RD2
         CHECKCSW UNIT_CE|UNIT_DE,0,0,8
         LI    R1,0x20000+512
         LI    R2,0x22000
         LHI   R3,512
         CLC   R1,R2,R3
         CHECKCC 0,9
* block 4 and block 8 are still zero
         LHI   R2,4
         ST    R2,BLKNO
         RUNIO X'100',RD3
         LI    R2,0x23000
         L     R1,0(,R2)
         CHECKR R1,0,10
         L     R1,508(,R2)
         CHECKR R1,0,11
         L     R1,512(,R2)             ; block 5
         CHECKR R1,0x00070E15,12
         L     R1,1024(,R2)            ; block 6: bytes 512.. of OUTBUF
         CHECKR R1,0x00070E15,13       ; 512*7 & 0xFF = 0
* a partial block is padded with zeros
         LHI   R2,9
         ST    R2,BLKNO
         RUNIO X'100',WR2
         CHECKCSW UNIT_CE|UNIT_DE,0,0,14
         RUNIO X'100',RD4
         LI    R2,0x24000
         L     R1,0(,R2)
         CHECKR R1,0x00070E15,15
         L     R1,8(,R2)
         CHECKR R1,0,16
* the last block, then past the end: unit exception after one block
         LHI   R2,63
         ST    R2,BLKNO
         RUNIO X'100',WR3
         CHECKCSW UNIT_CE|UNIT_DE,0,0,17
         LI    R2,0x25000
         LI    R1,0xEEEEEEEE
         ST    R1,512(,R2)
         RUNIO X'100',RD5
         CHECKR R15,0,18
         CHECKCSW UNIT_CE|UNIT_DE|UNIT_EXCEPTION,0,512,19
         LI    R2,0x25000
         L     R1,0(,R2)
         CHECKR R1,0x00070E15,20
         L     R1,512(,R2)             ; nothing stored for block 64
         CHECKR R1,0xEEEEEEEE,21
* a write past the end: unit exception
         RUNIO X'100',WR4
         L     R1,LC_CSW+4
         SRL   R1,24
         CHECKR R1,UNIT_CE|UNIT_DE|UNIT_EXCEPTION,22
* LOCATE beyond the extent: unit check; SENSE says command reject
         LHI   R2,64
         ST    R2,BLKNO
         RUNIO X'100',RD2
         CHECKR R15,0,23
         L     R1,LC_CSW+4
         SRL   R1,24
         NHI   R1,UNIT_CHECK
         CHECKR R1,UNIT_CHECK,24
         CHECKW LC_CSW,RD2+8,25        ; the chain stopped at the LOCATE
         RUNIO X'100',SNS
         CHECKCSW UNIT_CE|UNIT_DE,0,0,26
         CHECKB SENSEB,SENSE_CMD_REJECT,27
         PASS
WR1      CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_WRITE,0x20000,0,1536
RD1      CCW   CCW_CMD_LOCATE,BLKNO5,CCW_FLAG_CC,4
         CCW   CCW_CMD_READ,0x21000,0,1536
RD2      CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_READ,0x22000,0,512
RD3      CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_READ,0x23000,0,2560
WR2      CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_WRITE,0x20000,0,8
RD4      CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_READ,0x24000,0,512
WR3      CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_WRITE,0x20000,0,512
RD5      CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_READ,0x25000,0,1024
WR4      CCW   CCW_CMD_LOCATE,BLKNO,CCW_FLAG_CC,4
         CCW   CCW_CMD_WRITE,0x20000,0,1024
SNS      CCW   CCW_CMD_SENSE,SENSEB,CCW_FLAG_SLI,1
BLKNO    DC    F'0'
BLKNO5   DC    F'5'
SENSEB   DC    X'FF'
         END
