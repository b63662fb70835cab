* dat_tabaddr.s -- translation tables outside storage: a segment-table
* entry whose page-table origin is beyond the end of storage makes an
* access through it an addressing exception (code 5), which is not
* nullifying (old PSW after the instruction); so does a CR1 segment-table
* origin beyond storage (here for an instruction fetch: code only).
*   segment 1 -> page table at 0x200000 (beyond 1 MiB).
* COVERS: dat addressing
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R1,0x10000
         LI    R2,0x200000
         ST    R2,4(,R1)               ; segment 1
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
DATON    LI    R4,0x400000
         PGMTRAP P1R
P1       L     R1,0(,R4)
         FAIL  1
P1R      CHECKPGM PGM_ADDRESSING,P1+4,2
* LRA through it: the same exception (not a CC)
         LPSW  DATPSW3
DATON3   PGMTRAP P7R
P7       LRA   R1,0(,R4)
         FAIL  4
P7R      CHECKPGM PGM_ADDRESSING,P7+4,5
* the segment table itself beyond storage
         LCTL  1,1,CR1BAD
         PGMTRAP P4R
         LPSW  DATPSW2
         FAIL  7
DATON2   FAIL  8                       ; (the fetch cannot be translated)
P4R      CHECKPGMC PGM_ADDRESSING,9
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
DATPSW2  PSW   PSW_T,DATON2
DATPSW3  PSW   PSW_T,DATON3
CR1FULL  DC    A(0x10000+1023)
CR1BAD   DC    A(0x200000+1023)
CR1ZERO  DC    F'0'
         END
