* dat_alias.s -- many virtual addresses for one real page: all 1024
* segment-table entries point at the same page table (identity for pages
* 0..255), so virtual s*4MiB + a is real a for every segment s.  Loads
* and stores through all 1024 aliases must agree; the TLB (and a
* monitor's shadow tables) must tell the aliases apart by their full
* virtual page number.
* COVERS: dat tlb
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
* every segment -> the page table at 0x11000
         LI    R1,0x10000
         LI    R2,0x11000
         LHI   R3,1024
SEGS     ST    R2,0(,R1)
         AHI   R1,4
         BRCT  R3,SEGS
         LI    R1,0x5000
         LI    R2,0x0BADCAFE
         ST    R2,0(,R1)
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
* for s = 0..1023: load virtual (s<<22)+0x5000; store s at (s<<22)+0x6000
* and read it back through segment 0 (real 0x6000)
DATON    LHI   R5,0                    ; s
         LI    R9,0x6000
         LI    R10,0x5000
LOOP     LR    R4,R5
         SLL   R4,22
         L     R1,0(R10,R4)
         CL    R1,EXPECT
         BRC   7,F1
         ST    R5,0(R9,R4)
         L     R1,0(,R9)
         CR    R1,R5
         BRC   7,F2
         AHI   R5,1
         CHI   R5,1024
         BRC   4,LOOP
* and backwards, storing through segment 0 and loading through alias s
         LHI   R5,1023
LOOP2    ST    R5,0(,R9)
         LR    R4,R5
         SLL   R4,22
         L     R1,0(R9,R4)
         CR    R1,R5
         BRC   7,F3
         AHI   R5,-1
         BRC   10,LOOP2
         STNSM SAVEM,X'FB'
         LCTL  1,1,CR1ZERO
         PASS
F1       FAIL  1
F2       FAIL  2
F3       FAIL  3
DATPSW   PSW   PSW_T,DATON
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
EXPECT   DC    A(0x0BADCAFE)
SAVEM    DC    X'00'
         END
