* mult.s -- MR (64-bit signed product into an even/odd pair), MSR, MS,
* MHI (low 32 bits).  No condition code change; MR with an odd R1 is a
* specification exception.
* COVERS: MR MSR MS MHI
         INCLUDE 'lib.s'
         TSTART
* MR: R2:R3 := R3 * R4
         SETCC 1
         LHI   R2,99                   ; ignored
         LHI   R3,1000
         LHI   R4,-3
         MR    R2,R4
         CHECKCC 1,1
         CHECKR R2,0xFFFFFFFF,2
         CHECKR R3,-3000,3
         LI    R3,0x10000
         LI    R4,0x10000
         MR    R2,R4
         CHECKR R2,1,4
         CHECKR R3,0,5
         LI    R3,0x80000000
         LR    R4,R3
         MR    R2,R4                   ; (-2^31)^2 = 2^62
         CHECKR R2,0x40000000,6
         CHECKR R3,0,7
         LI    R3,0x7FFFFFFF
         LHI   R4,-1
         MR    R2,R4
         CHECKR R2,0xFFFFFFFF,8
         CHECKR R3,0x80000001,9
         LHI   R3,12345
         LHI   R4,0
         MR    R2,R4
         CHECKR R2,0,10
         CHECKR R3,0,11
         LHI   R1,7                    ; MR R0: pair R0:R1
         LHI   R0,-1
         LHI   R5,6
         MR    R0,R5
         CHECKR R0,0,12
         CHECKR R1,42,13
* the multiplier may be R1+1 itself
         LHI   R3,-7
         MR    R2,R3
         CHECKR R2,0,14
         CHECKR R3,49,15
         LHI   R4,9
         MSR   R4,R4
         CHECKR R4,81,16
* MR with odd R1: specification
         PGMTRAP P1R
P1       MR    R3,R4
         FAIL  17
P1R      CHECKPGM PGM_SPECIFICATION,P1+4,18
* MSR
         SETCC 2
         LHI   R1,-7
         LHI   R2,6
         MSR   R1,R2
         CHECKCC 2,20
         CHECKR R1,-42,21
         LI    R1,0x00012345
         LI    R2,0x00010000
         MSR   R1,R2                   ; low 32 bits only, no overflow
         CHECKR R1,0x23450000,22
         CHECKR R2,0x00010000,23
* MS
         LHI   R1,-3
         MS    R1,W100000
         CHECKR R1,-300000,24
         LI    R1,0x80000001
         MS    R1,WM1
         CHECKR R1,0x7FFFFFFF,25
* MHI: sign-extended immediate
         LHI   R1,1000
         MHI   R1,-1000
         CHECKR R1,-1000000,26
         LI    R1,0x40000000
         MHI   R1,4
         CHECKR R1,0,27
         LHI   R1,3
         MHI   R1,X'FFFF'              ; -1
         CHECKR R1,-3,28
         PASS
         ALIGN 4
W100000  DC    F'100000'
WM1      DC    F'-1'
         END
