* priv.s -- privileged-operation exception (code 2) for every privileged
* instruction executed in problem state: SSM LPSW STNSM STOSM LCTL STCTL
* LRA PTLB SPT STPT SCKC STCKC STIDP SIO TIO HIO DIAG.  Problem state is
* reached with LPSW.  For each, the handler checks the code, that the
* old PSW is in problem state and points after the instruction, that
* the instruction word is stored at 0x094, that no operand was stored,
* and resumes the problem program with LPSW of the old PSW.  A
* misaligned operand does not matter: privileged operation comes first.
* COVERS: privileged-operation program-interrupt problem-state
         INCLUDE 'lib.s'
         TSTART PGM=PGMH,SVC=SVCH
         LHI   R10,0                   ; count of interruptions
         LPSW  PROBPSW
* the problem program: R11 := address of each privileged instruction
PROB     BRAS  R11,I1
I1       SSM   MASK
         BRAS  R11,I2
I2       LPSW  SUPPSW                  ; would go to supervisor state
         BRAS  R11,I3
I3       STNSM STORE,X'FF'
         BRAS  R11,I4
I4       STOSM STORE,X'FF'
         BRAS  R11,I5
I5       LCTL  0,0,ZERO
         BRAS  R11,I6
I6       STCTL 0,0,STORE
         BRAS  R11,I7
I7       LRA   R1,0
         BRAS  R11,I8
I8       PTLB
         BRAS  R11,I9
I9       SPT   DW
         BRAS  R11,I10
I10      STPT  STORE
         BRAS  R11,I11
I11      SCKC  DW
         BRAS  R11,I12
I12      STCKC STORE
         BRAS  R11,I13
I13      STIDP STORE
         BRAS  R11,I14
I14      SIO   X'009'
         BRAS  R11,I15
I15      TIO   X'009'
         BRAS  R11,I16
I16      HIO   X'009'
         BRAS  R11,I17
I17      DIAG  R0,R0,0
* privileged operation comes before a bad operand (misaligned)
         BRAS  R11,I18
I18      LPSW  SUPPSW+4
         BRAS  R11,I19
I19      STCTL 0,0,STORE+1
         SVC   0                       ; done: back to the supervisor
* program handler
PGMH     AHI   R10,1
         CHECKW LC_PGM_CODE,PGM_PRIVILEGED,1
         L     R1,LC_PGM_OLD
         N     R1,NOCC
         CHECKR R1,PSW_PROBLEM,2
         L     R1,LC_PGM_OLD+4
         AHI   R1,-4
         CR    R1,R11
         BRC   8,PGMH1
         FAIL  3
PGMH1    L     R2,0(,R11)              ; the instruction word
         C     R2,LC_PGM_INSN
         BRC   8,PGMH2
         FAIL  4
PGMH2    CHECKW STORE,0xEEEEEEEE,5
         CHECKW STORE+4,0xEEEEEEEE,6
         LPSW  LC_PGM_OLD
* SVC handler: the end
SVCH     CHECKR R10,19,7
         CHECKW LC_SVC_OLD,PSW_PROBLEM,8
         PASS
PROBPSW  PSW   PSW_PROBLEM,PROB
SUPPSW   PSW   0,BAD
DW       DC    D'0'
STORE    DC    A(0xEEEEEEEE,0xEEEEEEEE)
ZERO     DC    F'0'
NOCC     DC    A(0xFFFFCFFF)
MASK     DC    X'00'
         ALIGN 4
BAD      FAIL  9                       ; LPSW was executed
         END
