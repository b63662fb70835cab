* dat_fault.s -- translation exceptions.  A page-translation (code 0x11)
* or segment-translation (code 0x10) exception is nullifying: the old
* PSW points AT the instruction, nothing was changed, and the virtual
* address (at least its page) is stored at 0x08C.  The handler then makes
* the page valid and resumes with LPSW of the old PSW: the instruction is
* retried and completes -- demand paging in miniature.  Also: an
* instruction fetch from an invalid page, a store, and a segment index
* beyond the segment-table length (a segment-translation exception), and
* a page-table entry naming a frame beyond storage (addressing).
* COVERS: dat page-translation segment-translation program-interrupt
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R1,0x11000+4*0x81
         LHI   R2,PTE_INVALID
         ST    R2,0(,R1)               ; page 0x81 invalid
         ST    R2,4(,R1)               ; page 0x82 invalid
         ST    R2,8(,R1)               ; page 0x83 invalid
         LI    R2,0x31000
         LI    R3,0x600DF00D
         ST    R3,X'10'(,R2)           ; real 0x31010
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
* a load from an invalid page: fault, map it, retry
DATON    LI    R4,0x81000
         LHI   R1,-1
         PGMTRAP P1R
P1       L     R1,X'10'(,R4)
         CHECKR R1,0x600DF00D,1        ; (after the retry)
         J     T2
P1R      CHECKPGM PGM_PAGE_TRANS,P1,2  ; the address of the instruction
         CHECKR R1,-1,4                ; nothing done
         L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CHECKR R1,0x81,5
         L     R1,LC_PGM_OLD
         N     R1,NOCC
         CHECKR R1,PSW_T,6             ; DAT was on
         LI    R1,0x11000+4*0x81
         LI    R2,0x31000
         ST    R2,0(,R1)               ; page 0x81 -> frame 0x31
         PTLB
         LPSW  LC_PGM_OLD              ; retry, DAT on again
* a store into an invalid page: nothing stored
T2       LI    R4,0x82000
         LHI   R3,7
         PGMTRAP P3R
P3       ST    R3,0(,R4)
         FAIL  7
P3R      CHECKPGM PGM_PAGE_TRANS,P3,8
         L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CHECKR R1,0x82,10
         LI    R4,0x82000              ; real 0x82000 untouched
         L     R1,0(,R4)
         CHECKR R1,0,11
* an instruction fetch from an invalid page: the old PSW holds the
* branch target
         LPSW  DATPSW2
DATON2   LI    R4,0x83000
         PGMTRAP P11R
         BR    R4
         FAIL  12
P11R     CHECKPGM PGM_PAGE_TRANS,0x83000,13
         L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CHECKR R1,0x83,15
* running off the end of a valid page into an invalid one: the fetch
* faults with the old PSW at the first word of the invalid page
         LI    R1,0x11000+4*0x85
         LI    R2,0x35000
         ST    R2,0(,R1)               ; page 0x85 -> frame 0x35
         LHI   R2,PTE_INVALID
         ST    R2,4(,R1)               ; page 0x86 invalid
         LI    R2,0x35FFC
         L     R3,NOPR
         ST    R3,0(,R2)               ; a no-op in the last word
         LPSW  DATPSW6
DATON6   LI    R4,0x85FFC
         PGMTRAP P25R
         BR    R4
         FAIL  16
P25R     CHECKPGM PGM_PAGE_TRANS,0x86000,17
* an invalid segment
         LPSW  DATPSW3
DATON3   LI    R4,0x400000
         PGMTRAP P15R
P15      L     R1,0(,R4)
         FAIL  19
P15R     CHECKPGM PGM_SEGMENT_TRANS,P15,20
         L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CHECKR R1,0x400,22
* a page frame beyond the end of storage: addressing exception
         LI    R1,0x11000+4*0x84
         LI    R2,0x200000
         ST    R2,0(,R1)
         LPSW  DATPSW5
DATON5   LI    R4,0x84000
         PGMTRAP P23R
P23      L     R1,0(,R4)
         FAIL  23
P23R     CHECKPGMC PGM_ADDRESSING,24
* a segment index beyond the table length (CR1 length 0)
         LCTL  1,1,CR1STL0
         LPSW  DATPSW4
DATON4   LI    R4,0x800000
         PGMTRAP P19R
P19      L     R1,0(,R4)
         FAIL  25
P19R     CHECKPGM PGM_SEGMENT_TRANS,P19,26
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
DATPSW2  PSW   PSW_T,DATON2
DATPSW3  PSW   PSW_T,DATON3
DATPSW4  PSW   PSW_T,DATON4
DATPSW5  PSW   PSW_T,DATON5
DATPSW6  PSW   PSW_T,DATON6
NOCC     DC    A(0xFFFFCFFF)
NOPR     NOPR  0
CR1FULL  DC    A(0x10000+1023)
CR1STL0  DC    A(0x10000)
CR1ZERO  DC    F'0'
         END
