* stck.s -- STCK: the TOD clock (simulated cycles) as a doubleword, CC 0;
* it is monotonic: each reading is greater than the one before.  STCK is
* not privileged (it also works in problem state).
* EQUIV: timing    (stores clock/timer values or counts that depend on timing)
* COVERS: STCK
         INCLUDE 'lib.s'
         TSTART SVC=SVCH
         SETCC 3
         STCK  V1
         CHECKCC 0,1
         STCK  V2
         LHI   R3,100
L2       BRCT  R3,L2
         STCK  V3
* V1 < V2 < V3 (as 64-bit unsigned values)
         LM    R4,R5,V1
         LM    R6,R7,V2
         BRAS  R14,LESS
         CHECKR R1,1,2
         LM    R4,R5,V2
         LM    R6,R7,V3
         BRAS  R14,LESS
         CHECKR R1,1,3
* the loop took at least 100 cycles
         L     R1,V3+4
         S     R1,V2+4
         CHI   R1,100
         BRC   4,F4
         J     T5
F4       FAIL  4
* problem state
T5       LPSW  PROBPSW
PROB     STCK  V4
         SVC   1
SVCH     LM    R4,R5,V3
         LM    R6,R7,V4
         BRAS  R14,LESS
         CHECKR R1,1,5
         PASS
* LESS: R1 := 1 if R4:R5 < R6:R7 unsigned, else 0
LESS     LHI   R1,0
         CLR   R4,R6
         BRC   4,LESS1
         BRC   2,LESSX
         CLR   R5,R7
         BRC   4,LESS1
         BR    R14
LESS1    LHI   R1,1
LESSX    BR    R14
         ALIGN 8
PROBPSW  PSW   PSW_PROBLEM,PROB
V1       DC    D'0'
V2       DC    D'0'
V3       DC    D'0'
V4       DC    D'0'
         END
