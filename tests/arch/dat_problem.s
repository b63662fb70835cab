* dat_problem.s -- a problem-state program with DAT on: loads and stores
* through the tables, a page-translation exception (old PSW in problem
* state with T on, pointing at the instruction), a protection exception
* (pointing after it), a privileged instruction (code 2), and an SVC
* back to the supervisor.  The handler resumes the program with LPSW of
* the old PSW after making the page valid.
*   page 0x80 -> frame 0x30; page 0x81 invalid (later -> frame 0x31);
*   page 0x82 -> frame 0x32, protected.
* COVERS: dat problem-state page-translation protection svc-interrupt
         INCLUDE 'lib.s'
         TSTART PGM=PGMH,SVC=SVCH
         DATIDENT
         LI    R6,0x11000
         LI    R2,0x30000
         ST    R2,4*0x80(,R6)
         LHI   R2,PTE_INVALID
         ST    R2,4*0x81(,R6)
         LI    R2,0x32000+PTE_PROTECT
         ST    R2,4*0x82(,R6)
         LI    R2,0x31000
         LI    R3,0x31313131
         ST    R3,0(,R2)
         LCTL  1,1,CR1FULL
         LHI   R10,0                   ; program interruptions seen
         LPSW  PROBPSW
* the problem program
PROB     LI    R4,0x80000
         LHI   R3,77
         ST    R3,0(,R4)
         L     R1,0(,R4)
         LI    R4,0x81000
Q1       L     R1,0(,R4)               ; page fault: the handler maps it
         LR    R8,R1
         LI    R4,0x82000
         L     R7,0(,R4)               ; a load from the protected page
Q2       ST    R3,0(,R4)               ; protection
Q3       PTLB                          ; privileged
         SVC   5
* program handler: R10 counts; check each interruption
PGMH     AHI   R10,1
         L     R1,LC_PGM_OLD
         N     R1,NOCC
         CHECKR R1,PSW_T|PSW_PROBLEM,1
         CHI   R10,1
         BRC   7,PGMH2
         CHECKW LC_PGM_CODE,PGM_PAGE_TRANS,2
         CHECKW LC_PGM_OLD+4,Q1,3
         LI    R2,0x31000
         ST    R2,4*0x81(,R6)          ; map page 0x81
         PTLB
         LPSW  LC_PGM_OLD              ; retry
PGMH2    CHI   R10,2
         BRC   7,PGMH3
         CHECKW LC_PGM_CODE,PGM_PROTECTION,4
         CHECKW LC_PGM_OLD+4,Q2+4,5
         LPSW  LC_PGM_OLD
PGMH3    CHECKW LC_PGM_CODE,PGM_PRIVILEGED,6
         CHECKW LC_PGM_OLD+4,Q3+4,7
         LPSW  LC_PGM_OLD
* SVC handler: the end
SVCH     CHECKR R10,3,8
         CHECKW LC_SVC_CODE,5,9
         L     R1,LC_SVC_OLD
         N     R1,NOCC
         CHECKR R1,PSW_T|PSW_PROBLEM,10
         LI    R2,0x30000
         CHECKW 0(R2),77,11            ; the store went to frame 0x30
         LI    R2,0x32000
         CHECKW 0(R2),0,12             ; nothing stored in the protected frame
         CHECKR R8,0x31313131,13       ; loaded after the retry
         LCTL  1,1,CR1ZERO
         PASS
PROBPSW  PSW   PSW_T|PSW_PROBLEM,PROB
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
NOCC     DC    A(0xFFFFCFFF)
         END
