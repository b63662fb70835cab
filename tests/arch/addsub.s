* addsub.s -- signed add and subtract: AR SR A S AHI.  Results and CC
* (0 zero, 1 negative, 2 positive, 3 overflow); on overflow with the
* fixed-point-overflow mask off the result wraps and no interruption
* occurs (see fpo.s for the interruption).
* COVERS: AR SR A S AHI
         INCLUDE 'lib.s'
         TSTART
* AR
         LHI   R1,7
         LHI   R2,5
         AR    R1,R2
         CHECKCC 2,1
         CHECKR R1,12,2
         LHI   R1,-7
         AR    R1,R2
         CHECKCC 1,3
         CHECKR R1,-2,4
         LHI   R1,-5
         AR    R1,R2
         CHECKCC 0,5
         CHECKR R1,0,6
         LI    R1,0x7FFFFFFF
         LHI   R2,1
         AR    R1,R2
         CHECKCC 3,7
         CHECKR R1,0x80000000,8
         LI    R1,0x80000000
         LHI   R2,-1
         AR    R1,R2
         CHECKCC 3,9
         CHECKR R1,0x7FFFFFFF,10
         LI    R1,0x80000000
         LR    R2,R1
         AR    R1,R2                  ; -2^31 + -2^31 = 0, overflow
         CHECKCC 3,11
         CHECKR R1,0,12
         LHI   R1,21
         AR    R1,R1
         CHECKR R1,42,13
* SR
         LHI   R1,7
         LHI   R2,5
         SR    R1,R2
         CHECKCC 2,14
         CHECKR R1,2,15
         SR    R1,R1
         CHECKCC 0,16
         CHECKR R1,0,17
         LHI   R1,5
         LHI   R2,7
         SR    R1,R2
         CHECKCC 1,18
         CHECKR R1,-2,19
         LI    R1,0x80000000
         LHI   R2,1
         SR    R1,R2
         CHECKCC 3,20
         CHECKR R1,0x7FFFFFFF,21
         LHI   R1,0
         LI    R2,0x80000000
         SR    R1,R2                  ; 0 - (-2^31) overflows
         CHECKCC 3,22
         CHECKR R1,0x80000000,23
         LHI   R1,-1
         LI    R2,0x80000000
         SR    R1,R2                  ; -1 - (-2^31) = 2^31-1, no overflow
         CHECKCC 2,24
         CHECKR R1,0x7FFFFFFF,25
* A, S (storage operands)
         LHI   R1,100
         A     R1,W1000
         CHECKCC 2,26
         CHECKR R1,1100,27
         A     R1,WM1100
         CHECKCC 0,28
         CHECKR R1,0,29
         LI    R1,0x7FFFFFF0
         A     R1,W1000
         CHECKCC 3,30
         CHECKR R1,0x800003D8,31
         LHI   R1,100
         S     R1,W1000
         CHECKCC 1,32
         CHECKR R1,-900,33
         LHI   R1,-900
         S     R1,WM1100
         CHECKCC 2,34
         CHECKR R1,200,35
         LI    R1,0x80000010
         S     R1,W1000
         CHECKCC 3,36
         CHECKR R1,0x7FFFFC28,37
* AHI: sign-extended immediate
         LHI   R1,10
         AHI   R1,-1
         CHECKCC 2,38
         CHECKR R1,9,39
         AHI   R1,-9
         CHECKCC 0,40
         AHI   R1,-32768
         CHECKCC 1,41
         CHECKR R1,-32768,42
         AHI   R1,32767
         CHECKCC 1,43
         CHECKR R1,-1,44
         LI    R1,0x7FFFFFFF
         AHI   R1,1
         CHECKCC 3,45
         CHECKR R1,0x80000000,46
         LI    R1,0x80000000
         AHI   R1,-1
         CHECKCC 3,47
         CHECKR R1,0x7FFFFFFF,48
         PASS
         ALIGN 4
W1000    DC    F'1000'
WM1100   DC    F'-1100'
         END
