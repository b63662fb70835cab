* svcdat.s -- the CMS system-call pattern (cms/svc.s): a problem-state
* program with DAT on makes an SVC; the handler runs with DAT off and
* returns with LPSW of the SVC old PSW, DAT on again.  On the bare
* machine both are ordinary instructions; under CP each round trip is
* two exits (the SVC reflected, the LPSW emulated) -- three while CP
* still dropped its shadow tables at every DAT change, because the
* program's first fetch after the LPSW then refilled them.
* BENCH: 65536 SVC round trips, DAT on in the program and off in the handler
         INCLUDE '../arch/lib.s'
         TSTART SVC=SVCH
         DATIDENT STO=X'10000',PTO=X'11000'
         LCTL  1,1,CR1
         LUI   R1,1                    ; 65536 rounds
         LPSW  PROBPSW
PROB     SVC   1
         BRCT  R1,PROB
         SVC   0                       ; the end
SVCH     L     R15,LC_SVC_CODE
         LTR   R15,R15
         BRC   8,THEEND
         LPSW  LC_SVC_OLD
THEEND   PASS
         DS    0D
PROBPSW  PSW   PSW_T|PSW_PROBLEM,PROB
CR1      DC    A(0x10000)              ; segment-table length 0: segment 0
         END
