* addressing.s -- addressing exception (code 5): an operand or an
* instruction beyond the end of real storage (1 MiB in the suite).  The
* last byte of storage is still addressable.
* COVERS: program-interrupt addressing
         INCLUDE 'lib.s'
         TSTART
         LI    R3,0xFFFFC              ; the last word is fine
         L     R1,0(,R3)
         ST    R1,0(,R3)
         LLC   R1,3(,R3)
         LI    R2,0x100000             ; first byte past 1 MiB
         PGMTRAP P1R
P1       L     R1,0(,R2)
         FAIL  1
P1R      CHECKPGM PGM_ADDRESSING,P1+4,2
         PGMTRAP P2R
P2       ST    R1,0(,R2)
         FAIL  4
P2R      CHECKPGM PGM_ADDRESSING,P2+4,5
         PGMTRAP P3R
P3       LLC   R1,0(,R2)
         FAIL  7
P3R      CHECKPGM PGM_ADDRESSING,P3+4,8
         LI    R3,0xFFFFFFFC
         PGMTRAP P4R
P4       L     R1,0(,R3)
         FAIL  10
P4R      CHECKPGM PGM_ADDRESSING,P4+4,11
* MVC whose source runs past the end
         LI    R1,0x20000
         LI    R2,0xFFF00              ; 256 bytes before the end
         LHI   R3,512
         PGMTRAP P5R
P5       MVC   R1,R2,R3
         FAIL  13
P5R      CHECKPGM PGM_ADDRESSING,P5+4,14
* STM into the last word and beyond
         LI    R2,0xFFFFC
         PGMTRAP P6R
P6       STM   R4,R5,0(,R2)
         FAIL  16
P6R      CHECKPGM PGM_ADDRESSING,P6+4,17
* LA computes any address without an exception
         LI    R2,0x7FFFF000
         LA    R1,16(,R2)
         CHECKR R1,0x7FFFF010,19
* an instruction fetched beyond storage (only the code is checked)
         PGMTRAP P7R
         LI    R2,0x200000
         BR    R2
         FAIL  20
P7R      CHECKPGMC PGM_ADDRESSING,21
* running off the end of storage: a no-op in the last word, then the
* fetch at 0x100000 fails
         LI    R2,0xFFFFC
         L     R3,NOPR
         ST    R3,0(,R2)
         PGMTRAP P22R
         BR    R2
         FAIL  22
P22R     CHECKPGMC PGM_ADDRESSING,23
         PASS
NOPR     NOPR  0
         END
