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
* PTLB in supervisor state with DAT off is harmless
         PTLB
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
         END
