* loadrr.s -- register-to-register loads: LR LTR LPR LNR LCR.
* Results and condition codes, including the -2^31 edge (LPR and LCR
* overflow to CC 3 and leave -2^31; LNR of -2^31 is fine).
* COVERS: LR LTR LPR LNR LCR
         INCLUDE 'lib.s'
         TSTART
* LR: copies, does not change the CC.
         LI    R2,0x12345678
         SETCC 2
         LR    R1,R2
         CHECKCC 2,1
         CHECKR R1,0x12345678,2
         LR    R3,R3                  ; to itself
         SETCC 1
         LR    R0,R2                  ; R0 is a real register here
         CHECKCC 1,3
         CHECKR R0,0x12345678,4
* LTR: copy and test sign.
         LHI   R2,0
         LHI   R1,5
         LTR   R1,R2
         CHECKCC 0,5
         CHECKR R1,0,6
         LHI   R2,-7
         LTR   R1,R2
         CHECKCC 1,7
         CHECKR R1,-7,8
         LI    R2,0x7FFFFFFF
         LTR   R1,R2
         CHECKCC 2,9
         CHECKR R1,0x7FFFFFFF,10
* LPR
         LHI   R2,-5
         LPR   R1,R2
         CHECKCC 2,11
         CHECKR R1,5,12
         LHI   R2,5
         LPR   R1,R2
         CHECKCC 2,13
         CHECKR R1,5,14
         LHI   R2,0
         LPR   R1,R2
         CHECKCC 0,15
         CHECKR R1,0,16
         LI    R2,0x80000000
         LPR   R1,R2
         CHECKCC 3,17
         CHECKR R1,0x80000000,18
         LI    R2,0x80000001
         LPR   R1,R2
         CHECKCC 2,19
         CHECKR R1,0x7FFFFFFF,20
* LNR
         LHI   R2,5
         LNR   R1,R2
         CHECKCC 1,21
         CHECKR R1,-5,22
         LHI   R2,-5
         LNR   R1,R2
         CHECKCC 1,23
         CHECKR R1,-5,24
         LHI   R2,0
         LNR   R1,R2
         CHECKCC 0,25
         CHECKR R1,0,26
         LI    R2,0x80000000
         LNR   R1,R2
         CHECKCC 1,27
         CHECKR R1,0x80000000,28
* LCR
         LHI   R2,5
         LCR   R1,R2
         CHECKCC 1,29
         CHECKR R1,-5,30
         LHI   R2,-5
         LCR   R1,R2
         CHECKCC 2,31
         CHECKR R1,5,32
         LHI   R2,0
         LCR   R1,R2
         CHECKCC 0,33
         CHECKR R1,0,34
         LI    R2,0x80000000
         LCR   R1,R2
         CHECKCC 3,35
         CHECKR R1,0x80000000,36
         LHI   R1,9
         LCR   R1,R1                  ; same register
         CHECKCC 1,37
         CHECKR R1,-9,38
         PASS
         END
