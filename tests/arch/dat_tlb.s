* dat_tlb.s -- the translation-lookaside buffer: after a page-table entry
* is changed, PTLB (or LCTL, which also purges) makes the CPU use the new
* mapping.  (Without a purge the old one may still be used: not tested.)
*   virtual page 0x80 -> frame 0x30 (holds 0x11111111), then frame 0x31
*   (holds 0x22222222), then back.
* COVERS: PTLB LCTL dat tlb
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R6,0x11000+4*0x80       ; the page-table entry
         LI    R7,0x30000
         LI    R8,0x31000
         ST    R7,0(,R6)
         LI    R3,0x11111111
         ST    R3,0(,R7)
         LI    R3,0x22222222
         ST    R3,0(,R8)
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
DATON    LI    R4,0x80000
         L     R1,0(,R4)               ; fills the TLB
         CHECKR R1,0x11111111,1
         ST    R8,0(,R6)               ; remap to frame 0x31
         PTLB
         L     R1,0(,R4)
         CHECKR R1,0x22222222,2
         ST    R7,0(,R6)               ; back to frame 0x30
         LCTL  1,1,CR1FULL             ; LCTL purges too
         L     R1,0(,R4)
         CHECKR R1,0x11111111,3
* stores go to the new frame after a purge
         ST    R8,0(,R6)
         PTLB
         LHI   R3,5
         ST    R3,4(,R4)
         L     R1,4(,R8)               ; identity-mapped view of frame 0x31
         CHECKR R1,5,4
         L     R1,4(,R7)
         CHECKR R1,0,5
* invalidate the entry: after PTLB the access faults
         LHI   R3,PTE_INVALID
         ST    R3,0(,R6)
         PTLB
         PGMTRAP P6R
P6       L     R1,0(,R4)
         FAIL  6
P6R      CHECKPGM PGM_PAGE_TRANS,P6,7
* a protected page that has been read: a store still faults, and after
* the protection is removed (and PTLB) a store works
         LI    R3,0x30000+PTE_PROTECT
         ST    R3,0(,R6)
         PTLB
         LPSW  DATPSW2
DATON2   L     R1,0(,R4)
         CHECKR R1,0x11111111,9
         PGMTRAP P10R
P10      ST    R1,8(,R4)
         FAIL  10
P10R     CHECKPGM PGM_PROTECTION,P10+4,11
         LPSW  DATPSW3
DATON3   ST    R7,0(,R6)               ; frame 0x30, unprotected
         PTLB
         LHI   R3,99
         ST    R3,8(,R4)
         L     R1,8(,R7)
         CHECKR R1,99,13
* instruction fetches follow a remapped page after PTLB: virtual page
* 0x85 holds "LHI R1,1 / BR R14" in frame 0x32, then "LHI R1,2 / BR R14"
* in frame 0x33
         LI    R2,0x32000
         L     R3,CODE1
         ST    R3,0(,R2)
         L     R3,CODE1+4
         ST    R3,4(,R2)
         LI    R2,0x33000
         L     R3,CODE2
         ST    R3,0(,R2)
         L     R3,CODE2+4
         ST    R3,4(,R2)
         LI    R2,0x32000
         ST    R2,4*5(,R6)             ; page 0x85 -> frame 0x32
         PTLB
         LI    R5,0x85000
         LHI   R1,0
         BALR  R14,R5
         CHECKR R1,1,14
         LI    R2,0x33000
         ST    R2,4*5(,R6)             ; page 0x85 -> frame 0x33
         PTLB
         BALR  R14,R5
         CHECKR R1,2,15
* PTLB in supervisor state with DAT off is harmless
         PTLB
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
DATPSW2  PSW   PSW_T,DATON2
DATPSW3  PSW   PSW_T,DATON3
CODE1    LHI   R1,1
         BR    R14
CODE2    LHI   R1,2
         BR    R14
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
         END
