* dat_prot.s -- page protection: a page-table entry with PTE_PROTECT
* lets loads and instruction fetches through, but a store (ST STH STC
* STM MVC) is a protection exception (code 4): nothing is stored, and the
* old PSW points after the instruction (protection is not nullifying).
* LRA of a protected page is CC 0.
*   virtual page 0x90 -> frame 0x40, protected.
* COVERS: dat protection program-interrupt
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R1,0x11000+4*0x90
         LI    R2,0x40000+PTE_PROTECT
         ST    R2,0(,R1)
         LI    R2,0x40000
         LI    R3,0x12345678
         ST    R3,0(,R2)
         LI    R3,0x07FE0000           ; BCR 15,R14 ; (an instruction)
         ST    R3,X'100'(,R2)
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
DATON    LI    R4,0x90000
         L     R1,0(,R4)               ; a load is fine
         CHECKR R1,0x12345678,1
         LRA   R1,4(,R4)
         CHECKCC 0,2
         CHECKR R1,0x40004,3
* fetching an instruction from the protected page is fine
         LA    R5,X'100'(,R4)
         BALR  R14,R5
         LHI   R3,-1
         PGMTRAP P4R
P4       ST    R3,0(,R4)
         FAIL  4
P4R      CHECKPGM PGM_PROTECTION,P4+4,5
         LPSW  DATPSW2
DATON2   L     R1,0(,R4)
         CHECKR R1,0x12345678,7        ; nothing stored
         PGMTRAP P8R
P8       STC   R3,3(,R4)
         FAIL  8
P8R      CHECKPGM PGM_PROTECTION,P8+4,9
         LPSW  DATPSW3
DATON3   PGMTRAP P11R
P11      STH   R3,2(,R4)
         FAIL  11
P11R     CHECKPGM PGM_PROTECTION,P11+4,12
         LPSW  DATPSW4
DATON4   PGMTRAP P14R
P14      STM   R2,R3,8(R4)
         FAIL  14
P14R     CHECKPGM PGM_PROTECTION,P14+4,15
         LPSW  DATPSW5
DATON5   LA    R1,16(,R4)
         LA    R2,0(,R4)
         LHI   R3,4
         PGMTRAP P17R
P17      MVC   R1,R2,R3
         FAIL  17
P17R     CHECKPGM PGM_PROTECTION,P17+4,18
* an MVC from the protected page to an unprotected one is fine
         LPSW  DATPSW6
DATON6   LI    R1,0x50000
         LR    R2,R4
         LHI   R3,4
         MVC   R1,R2,R3
         L     R1,0(,R1)
         CHECKR R1,0x12345678,20
* real storage of the frame is unchanged
         STNSM SAVEM,X'FB'
         LI    R2,0x40000
         L     R1,0(,R2)
         CHECKR R1,0x12345678,21
         L     R1,8(,R2)
         CHECKR R1,0,22
         L     R1,16(,R2)
         CHECKR R1,0,23
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
DATPSW2  PSW   PSW_T,DATON2
DATPSW3  PSW   PSW_T,DATON3
DATPSW4  PSW   PSW_T,DATON4
DATPSW5  PSW   PSW_T,DATON5
DATPSW6  PSW   PSW_T,DATON6
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
SAVEM    DC    X'00'
         END
