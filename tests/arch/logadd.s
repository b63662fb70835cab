* logadd.s -- unsigned add and subtract: ALR AL SLR SL.  CC for logical
* add: 0 zero/no carry, 1 nonzero/no carry, 2 zero/carry, 3 nonzero/
* carry; for logical subtract: 1 nonzero/borrow, 2 zero/no borrow,
* 3 nonzero/no borrow.  Never an overflow interruption, even with the
* fixed-point-overflow mask on.
* COVERS: ALR AL SLR SL
         INCLUDE 'lib.s'
         TSTART
* ALR
         LHI   R1,0
         LHI   R2,0
         ALR   R1,R2
         CHECKCC 0,1
         CHECKR R1,0,2
         LHI   R1,3
         LHI   R2,4
         ALR   R1,R2
         CHECKCC 1,3
         CHECKR R1,7,4
         LHI   R1,-1
         LHI   R2,1
         ALR   R1,R2
         CHECKCC 2,5
         CHECKR R1,0,6
         LHI   R1,-1
         LHI   R2,-1
         ALR   R1,R2
         CHECKCC 3,7
         CHECKR R1,0xFFFFFFFE,8
         LI    R1,0x7FFFFFFF
         LHI   R2,1
         ALR   R1,R2                  ; signed overflow is no matter
         CHECKCC 1,9
         CHECKR R1,0x80000000,10
* AL
         LI    R1,0x80000000
         AL    R1,W80000000
         CHECKCC 2,11
         CHECKR R1,0,12
         LHI   R1,5
         AL    R1,W80000000
         CHECKCC 1,13
         CHECKR R1,0x80000005,14
         AL    R1,W80000000
         CHECKCC 3,15
         CHECKR R1,5,16
         LHI   R1,0
         AL    R1,W0
         CHECKCC 0,17
* SLR
         LHI   R1,5
         LHI   R2,3
         SLR   R1,R2
         CHECKCC 3,18
         CHECKR R1,2,19
         LHI   R1,3
         SLR   R1,R2
         CHECKCC 2,20
         CHECKR R1,0,21
         LHI   R1,3
         LHI   R2,5
         SLR   R1,R2
         CHECKCC 1,22
         CHECKR R1,-2,23
         LHI   R1,0
         LHI   R2,0
         SLR   R1,R2                  ; 0 - 0: zero, no borrow
         CHECKCC 2,24
         LI    R1,0x80000000
         LHI   R2,1
         SLR   R1,R2
         CHECKCC 3,25
         CHECKR R1,0x7FFFFFFF,26
* SL
         LHI   R1,0
         SL    R1,W80000000
         CHECKCC 1,27
         CHECKR R1,0x80000000,28
         SL    R1,W80000000
         CHECKCC 2,29
         CHECKR R1,0,30
         LHI   R1,-1
         SL    R1,W80000000
         CHECKCC 3,31
         CHECKR R1,0x7FFFFFFF,32
* With the fixed-point-overflow mask on: still no interruption.
         LPSW  FPOPSW
FPOON    LHI   R1,-1
         LHI   R2,-1
         ALR   R1,R2
         CHECKCC 3,33
         LHI   R1,0
         SL    R1,W80000000
         CHECKCC 1,34
         PASS
FPOPSW   PSW   PSW_FPO,FPOON
W80000000 DC   A(0x80000000)
W0       DC    F'0'
         END
