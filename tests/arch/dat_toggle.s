* dat_toggle.s -- DAT switched off and on, again and again, by LPSW, SSM,
* STNSM/STOSM and interruptions.  Switching DAT does not purge the TLB
* (only PTLB and LCTL do), so what the tables say stays in force; a
* change made to the tables while DAT is off is seen once DAT is back on
* and a PTLB or an LCTL (of any control register, CR0 here) purged; an
* entry that was invalid is never remembered, so making it valid needs
* no purge.  A change without a purge may show the old or the new
* translation: the test accepts either, then purges.  Last, the CMS
* pattern: a problem-state program with DAT on whose SVCs land in a
* DAT-off handler that returns with LPSW -- now and then after a remap
* and a PTLB.  (Under CP the shadow tables are CP's TLB: they must keep
* the same rules.)
*   page 0x80 -> frame 0x30 (word 0: X'11111111'), later 0x31
*   (X'22222222') and 0x32 (X'33333333'); page 0x81 invalid at first.
* COVERS: dat tlb svc-interrupt problem-state page-translation protection
* COVERS: PTLB LCTL LPSW SSM STNSM STOSM SVC
         INCLUDE 'lib.s'
         TSTART SVC=SVCH
         DATIDENT
         LI    R6,0x11000+4*0x80       ; the PTE of virtual page 0x80
         LI    R7,0x30000
         LI    R8,0x31000
         LI    R9,0x32000
         ST    R7,0(,R6)               ; page 0x80 -> frame 0x30
         LHI   R3,PTE_INVALID
         ST    R3,4(,R6)               ; page 0x81 invalid
         LI    R3,0x11111111
         ST    R3,0(,R7)
         LI    R3,0x22222222
         ST    R3,0(,R8)
         LI    R3,0x33333333
         ST    R3,0(,R9)
         LI    R3,1
         ST    R3,8(,R7)               ; SVC part: frame 0x30 counts 1,
         LI    R3,2
         ST    R3,8(,R8)               ; frame 0x31 counts 2
         LCTL  1,1,CR1FULL
         LI    R4,0x80000
         LI    R13,0x81000
* 1. twenty round trips, no change: STOSM on, read, STNSM off
         LHI   R5,20
L1       STOSM MASKSAVE,PSW_T>>24
         L     R1,0(,R4)
         CHECKR R1,0x11111111,1
         STNSM MASKSAVE,X'FF'-(PSW_T>>24)
         BRCT  R5,L1
* ... by SSM, and by LPSW (off by an SSM executed with DAT on)
         LHI   R5,20
L2       SSM   SSMON
         L     R1,0(,R4)
         CHECKR R1,0x11111111,2
         SSM   SSMOFF
         LPSW  DATPSW
L2ON     L     R1,0(,R4)
         CHECKR R1,0x11111111,3
         SSM   SSMOFF
         BRCT  R5,L2
* 2. with DAT off: remap to frame 0x31 and PTLB; DAT on sees the change
         ST    R8,0(,R6)
         PTLB
         SSM   SSMON
         L     R1,0(,R4)
         CHECKR R1,0x22222222,4
         SSM   SSMOFF
* 3. with DAT off: remap to frame 0x32, LCTL of CR0 alone purges too
         ST    R9,0(,R6)
         LCTL  0,0,CR0ZERO
         SSM   SSMON
         L     R1,0(,R4)
         CHECKR R1,0x33333333,5
         SSM   SSMOFF
* 4. with DAT off: invalidate and PTLB; DAT on faults
         LHI   R3,PTE_INVALID
         ST    R3,0(,R6)
         PTLB
         SSM   SSMON
         PGMTRAP P6R
P6       L     R1,0(,R4)
         FAIL  6
P6R      CHECKPGM PGM_PAGE_TRANS,P6,7  ; (the handler runs with DAT off)
* 5. with DAT off: frame 0x30 protected and PTLB; a read works, a store
* faults
         LI    R3,0x30000+PTE_PROTECT
         ST    R3,0(,R6)
         PTLB
         SSM   SSMON
         L     R1,0(,R4)
         CHECKR R1,0x11111111,9
         PGMTRAP P10R
P10      ST    R1,4(,R4)
         FAIL  10
P10R     CHECKPGM PGM_PROTECTION,P10+4,11
* 6. page 0x81 faults while invalid; made valid with DAT off, no purge
* needed (an invalid entry is never in the TLB)
         SSM   SSMON
         PGMTRAP P12R
P12      L     R1,0(,R13)
         FAIL  13
P12R     CHECKPGM PGM_PAGE_TRANS,P12,14
         ST    R8,4(,R6)               ; page 0x81 -> frame 0x31
         SSM   SSMON
         L     R1,0(,R13)
         CHECKR R1,0x22222222,16
         SSM   SSMOFF
* 7. page 0x80 back to frame 0x30, used; then to 0x32 WITHOUT a purge:
* after a round trip the old or the new frame, either is right; after
* PTLB the new one
         ST    R7,0(,R6)
         PTLB
         SSM   SSMON
         L     R1,0(,R4)
         CHECKR R1,0x11111111,17
         SSM   SSMOFF
         ST    R9,0(,R6)
         SSM   SSMON
         L     R1,0(,R4)
         SSM   SSMOFF
         CL    R1,OLDVAL
         BRC   8,T7OK
         CHECKR R1,0x33333333,18
T7OK     LHI   R1,0                    ; which one it was is not state
         PTLB
         SSM   SSMON
         L     R1,0(,R4)
         CHECKR R1,0x33333333,19
         SSM   SSMOFF
* 8. the CMS pattern, ten times: SVC 0 changes nothing, SVC 1 remaps
* page 0x80 to the frame in R10 and purges; R5 sums the count word of
* the frame the program sees after each (1 or 2): 10 * (1 + 2)
         ST    R7,0(,R6)               ; page 0x80 -> frame 0x30
         PTLB
         LHI   R5,0
         LR    R10,R8                  ; the other frame
         LR    R11,R7
         LHI   R12,10
         LPSW  PROBPSW
PROB     SVC   0
         A     R5,8(,R4)
         SVC   1
         A     R5,8(,R4)
         LR    R1,R10                  ; swap: the next remap goes back
         LR    R10,R11
         LR    R11,R1
         BRCT  R12,PROB
         SVC   2                       ; done: back to the supervisor
* SVC handler (supervisor, DAT off)
SVCH     L     R15,LC_SVC_CODE
         CHI   R15,2
         BRC   8,SVCEND
         CHI   R15,1
         BRC   7,SVCRET
         ST    R10,0(,R6)
         PTLB
SVCRET   LPSW  LC_SVC_OLD
SVCEND   CHECKR R5,30,20
         L     R15,LC_SVC_OLD
         N     R15,NOCC
         CHECKR R15,PSW_T|PSW_PROBLEM,21
         LCTL  1,1,CR1ZERO
         PASS
         DS    0D
DATPSW   PSW   PSW_T,L2ON
PROBPSW  PSW   PSW_T|PSW_PROBLEM,PROB
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
CR0ZERO  DC    F'0'
OLDVAL   DC    X'11111111'
NOCC     DC    A(~PSW_CC_MASK)
SSMON    DC    X'04'                   ; PSW_T>>24
SSMOFF   DC    X'00'
MASKSAVE DS    X
         END
