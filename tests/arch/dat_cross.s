* dat_cross.s -- DAT at page boundaries and mode changes:
*   - sequential execution runs off the end of virtual page 0x85 (frame
*     0x35) into virtual page 0x86 (frame 0x40, not the next real page);
*   - STM / LM crossing from a valid page into an invalid one are
*     nullified: nothing stored in the valid page, no register loaded,
*     0x08C names the invalid page;
*   - a real access to 0x80000 with DAT off, then DAT on: the translated
*     frame is used (no stale real-mode TLB entry), and back;
*   - LCTL of CR1 with a different segment table: the new tables are used
*     at once.
* COVERS: dat tlb STM LM LCTL
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R6,0x11000              ; the page table
         LI    R2,0x35000
         ST    R2,4*0x85(,R6)          ; page 0x85 -> frame 0x35
         LI    R2,0x40000
         ST    R2,4*0x86(,R6)          ; page 0x86 -> frame 0x40
         LI    R2,0x30000
         ST    R2,4*0x80(,R6)          ; page 0x80 -> frame 0x30
         LHI   R2,PTE_INVALID
         ST    R2,4*0x81(,R6)          ; page 0x81 invalid
* code: "LHI R1,7" in the last word of frame 0x35, "BR R14" at frame
* 0x40; a decoy "LHI R1,99 / BR R14" at real 0x36000
         LI    R2,0x35FFC
         L     R3,CODE
         ST    R3,0(,R2)
         LI    R2,0x40000
         L     R3,CODE+4
         ST    R3,0(,R2)
         LI    R2,0x36000
         L     R3,DECOY
         ST    R3,0(,R2)
         L     R3,DECOY+4
         ST    R3,4(,R2)
* a relative jump at virtual 0x85FF8 to 0x86004: "LHI R1,8 / BR R14"
* at frame 0x40 + 4
         LI    R2,0x35FF8
         L     R3,JUMP
         ST    R3,0(,R2)
         LI    R2,0x40004
         L     R3,CODE8
         ST    R3,0(,R2)
         L     R3,CODE8+4
         ST    R3,4(,R2)
         LI    R2,0x30000
         LI    R3,0x11111111
         ST    R3,0(,R2)
         LCTL  1,1,CR1FULL
* real-mode access to 0x80000 first (DAT off)
         LI    R4,0x80000
         L     R1,0(,R4)
         CHECKR R1,0,1
         LPSW  DATPSW
DATON    L     R1,0(,R4)               ; now through the tables
         CHECKR R1,0x11111111,2
         LI    R5,0x85FFC
         LHI   R1,0
         BALR  R14,R5
         CHECKR R1,7,3
         LI    R5,0x85FF8
         LHI   R1,0
         BALR  R14,R5
         CHECKR R1,8,4
* STM across into the invalid page
         LI    R4,0x80FF0
         PGMTRAP P4R
P4       STM   R0,R15,0(R4)            ; 64 bytes: 16 in page 0x80
         FAIL  5
P4R      CHECKPGM PGM_PAGE_TRANS,P4,6
         L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CHECKR R1,0x81,8
         LI    R2,0x30FF0
         L     R1,0(,R2)
         CHECKR R1,0,9
         L     R1,12(,R2)
         CHECKR R1,0,10
* LM across into the invalid page: no register loaded
         LPSW  DATPSW2
DATON2   LI    R4,0x80FF8
         LHI   R7,-7
         LHI   R8,-8
         PGMTRAP P10R
P10      LM    R7,R10,0(R4)            ; 16 bytes: 8 in page 0x80
         FAIL  11
P10R     CHECKPGM PGM_PAGE_TRANS,P10,12
         CHECKR R7,-7,14
         CHECKR R8,-8,15
* DAT off again: real 0x80000 is real
         LI    R4,0x80000
         L     R1,0(,R4)
         CHECKR R1,0,16
* a second segment table at 0x12000 whose segment 0 uses a page table at
* 0x13000: a copy of the first, but page 0x80 -> frame 0x31
         LI    R1,0x13000
         LI    R2,0x11000
         LHI   R3,4096
         MVC   R1,R2,R3
         LI    R2,0x31000
         ST    R2,4*0x80(,R1)
         LI    R3,0x22222222
         ST    R3,0(,R2)
         LI    R1,0x12000
         LI    R2,0x10000
         LHI   R3,4096
         MVC   R1,R2,R3
         LI    R2,0x13000
         ST    R2,0(,R1)
         LPSW  DATPSW3
DATON3   L     R1,0(,R4)
         CHECKR R1,0x11111111,17
         LCTL  1,1,CR1SECOND
         L     R1,0(,R4)
         CHECKR R1,0x22222222,18
         LCTL  1,1,CR1FULL
         L     R1,0(,R4)
         CHECKR R1,0x11111111,19
         STNSM SAVEM,X'FB'
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
DATPSW2  PSW   PSW_T,DATON2
DATPSW3  PSW   PSW_T,DATON3
CR1FULL  DC    A(0x10000+1023)
CR1SECOND DC   A(0x12000+1023)
CR1ZERO  DC    F'0'
SAVEM    DC    X'00'
CODE     LHI   R1,7
         BR    R14
CODE8    LHI   R1,8
         BR    R14
JUMP     DC    X'CAF00003'             ; BRC 15,*+12
DECOY    LHI   R1,99
         BR    R14
         END
