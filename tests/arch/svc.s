* svc.s -- SVC: the code is stored at 0x084 (LC_SVC_CODE), the old PSW
* at 0x020 holds the PSW after the SVC (masks, state, CC, next address),
* and the SVC new PSW is loaded.  From problem state too; returning with
* LPSW of the old PSW resumes after the SVC.
* COVERS: SVC svc-interrupt
         INCLUDE 'lib.s'
         TSTART SVC=SVCH
         LHI   R9,0                    ; SVC handler: count in R9
         SETCC 2
S1       SVC   X'1234'
         CHECKR R9,1,1
         CHECKW LC_SVC_CODE,0x1234,2
         CHECKW LC_SVC_OLD+4,S1+4,3
         CHECKW LC_SVC_OLD,0x2000,4    ; CC 2, supervisor, disabled
         CHECKW SAVCC,0,5              ; the handler ran with the new PSW's CC
* code 0 and 0xFFFF
S2       SVC   0
         CHECKW LC_SVC_CODE,0,6
         CHECKW LC_SVC_OLD+4,S2+4,7
         SVC   X'FFFF'
         CHECKW LC_SVC_CODE,0xFFFF,8
         CHECKR R9,3,9
* system mask and FPO in the old PSW: go enabled for I/O and external
* (nothing is pending), FPO on, CC 1
         LPSW  ENPSW
EN       SETCC 1
S3       SVC   7
         CHECKW LC_SVC_OLD,PSW_IO|PSW_EXT|PSW_FPO|0x1000,10
         CHECKW LC_SVC_OLD+4,S3+4,11
* from problem state
         LPSW  PROBPSW
PROB     SVC   X'0042'
         SVC   X'0043'
         FAIL  12                      ; (privileged in problem state)
* the handler: count, note a nonzero CC, and return unless code 0x43
SVCH     BRC   8,SVCH0                 ; the new PSW's CC is 0
         LHI   R15,1
         ST    R15,SAVCC
SVCH0    AHI   R9,1
         L     R15,LC_SVC_CODE
         CHI   R15,X'43'
         BRC   8,SVCH2
         LPSW  LC_SVC_OLD
SVCH2    CHECKW LC_SVC_OLD,PSW_PROBLEM,13
         CHECKW LC_SVC_OLD+4,PROB+8,14
         CHECKR R9,6,15
         PASS
ENPSW    PSW   PSW_IO|PSW_EXT|PSW_FPO,EN
PROBPSW  PSW   PSW_PROBLEM,PROB
SAVCC    DC    F'0'
         END
