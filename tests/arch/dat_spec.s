* dat_spec.s -- translation-specification exception (code 0x12): a
* segment-table or page-table entry with a reserved bit set (only the
* origin and the I bit, and for a page the P bit, may be nonzero).
* Translation specification is not one of the nullifying exceptions
* (sim/vl32.h: only segment and page translation are), so the old PSW
* points after the instruction.
* COVERS: dat translation-specification program-interrupt
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R6,0x11000+4*0x80
         LI    R2,0x30000+4            ; reserved bit 29 in a PTE
         ST    R2,0(,R6)
         LI    R2,0x31000+0x800        ; reserved bit 20 in a PTE
         ST    R2,4(,R6)
* segment 1: a page table at 0x12000 (valid entries) but a reserved bit
* in the segment-table entry
         LI    R1,0x12000
         LI    R2,0x32000
         ST    R2,0(,R1)
         LI    R1,0x10000
         LI    R2,0x12000+2
         ST    R2,4(,R1)
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
DATON    LI    R4,0x80000
         PGMTRAP P1R
P1       L     R1,0(,R4)
         FAIL  1
P1R      CHECKPGM PGM_TRANS_SPEC,P1+4,2
         LPSW  DATPSW2
DATON2   LI    R4,0x81000
         PGMTRAP P3R
P3       L     R1,0(,R4)
         FAIL  4
P3R      CHECKPGM PGM_TRANS_SPEC,P3+4,5
         LPSW  DATPSW3
DATON3   LI    R4,0x400000
         PGMTRAP P5R
P5       L     R1,0(,R4)
         FAIL  7
P5R      CHECKPGM PGM_TRANS_SPEC,P5+4,8
* LRA through a malformed entry: the same exception (not a CC)
         LPSW  DATPSW5
DATON5   LI    R4,0x80000
         PGMTRAP P10R
P10      LRA   R1,0(,R4)
         FAIL  10
P10R     CHECKPGM PGM_TRANS_SPEC,P10+4,11
* a valid entry next to them still translates
         LPSW  DATPSW4
DATON4   LI    R4,0x5000
         L     R1,0(,R4)
         STNSM SAVEM,X'FB'
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
DATPSW2  PSW   PSW_T,DATON2
DATPSW3  PSW   PSW_T,DATON3
DATPSW4  PSW   PSW_T,DATON4
DATPSW5  PSW   PSW_T,DATON5
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
SAVEM    DC    X'00'
         END
