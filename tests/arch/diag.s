* diag.s -- DIAGNOSE on the bare machine (no control program to call):
* CC 3, registers unchanged, execution continues after it.
* EQUIV: bare      (checks that it runs on the real machine, not under CP)
* COVERS: DIAG
         INCLUDE 'lib.s'
         TSTART
         LHI   R2,123
         LHI   R3,456
         SETCC 0
         DIAG  R2,R3,8
         CHECKCC 3,1
         CHECKR R2,123,2
         CHECKR R3,456,3
         SETCC 1
         LA    R4,X'10'
         DIAG  R2,R3,0(R4)             ; function X'10'
         CHECKCC 3,4
         SETCC 2
         DIAG  R0,R0,X'FFF'
         CHECKCC 3,5
         PASS
         END
