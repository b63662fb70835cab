* logical.s -- AND, OR, exclusive OR: register, storage and immediate
* forms.  Results and CC (0 zero, 1 nonzero); immediates are
* zero-extended.
* COVERS: NR OR XR N O X NHI OHI XHI
         INCLUDE 'lib.s'
         TSTART
* NR
         LI    R1,0xF0F0FFFF
         LI    R2,0x0FF0F00F
         NR    R1,R2
         CHECKCC 1,1
         CHECKR R1,0x00F0F00F,2
         CHECKR R2,0x0FF0F00F,3
         LI    R1,0xF0F0F0F0
         LI    R2,0x0F0F0F0F
         NR    R1,R2
         CHECKCC 0,4
         CHECKR R1,0,5
* OR
         LI    R1,0xF0000000
         LI    R2,0x0000000F
         OR    R1,R2
         CHECKCC 1,6
         CHECKR R1,0xF000000F,7
         LHI   R1,0
         LHI   R2,0
         OR    R1,R2
         CHECKCC 0,8
         CHECKR R1,0,9
* XR
         LI    R1,0xFFFF0000
         LI    R2,0x0F0F0F0F
         XR    R1,R2
         CHECKCC 1,10
         CHECKR R1,0xF0F00F0F,11
         XR    R1,R1
         CHECKCC 0,12
         CHECKR R1,0,13
* N, O, X with storage operands
         LI    R1,0x12345678
         N     R1,MASK1
         CHECKCC 1,14
         CHECKR R1,0x02040608,15
         LI    R1,0x12345678
         N     R1,ZERO
         CHECKCC 0,16
         CHECKR R1,0,17
         LI    R1,0x12345678
         O     R1,MASK1
         CHECKCC 1,18
         CHECKR R1,0x1F3F5F7F,19
         LHI   R1,0
         O     R1,ZERO
         CHECKCC 0,20
         LI    R1,0x12345678
         X     R1,MASK1
         CHECKCC 1,21
         CHECKR R1,0x1D3B5977,22
         LI    R1,0x0F0F0F0F
         X     R1,MASK1
         CHECKCC 0,23
         CHECKR R1,0,24
* storage form with index and base registers
         LA    R3,MASK1-8
         LHI   R4,4
         LI    R1,0xFFFFFFFF
         N     R1,4(R4,R3)             ; EA = MASK1
         CHECKR R1,0x0F0F0F0F,25
* NHI, OHI, XHI: zero-extended immediates
         LI    R1,0xFFFFFFFF
         NHI   R1,X'8001'
         CHECKCC 1,26
         CHECKR R1,0x00008001,27
         LI    R1,0xFFFF0000
         NHI   R1,X'FFFF'
         CHECKCC 0,28
         CHECKR R1,0,29
         LI    R1,0x12340000
         OHI   R1,X'8765'
         CHECKCC 1,30
         CHECKR R1,0x12348765,31
         LHI   R1,0
         OHI   R1,0
         CHECKCC 0,32
         LI    R1,0x1234FFFF
         XHI   R1,X'F00F'
         CHECKCC 1,33
         CHECKR R1,0x12340FF0,34
         LI    R1,0x0000ABCD
         XHI   R1,X'ABCD'
         CHECKCC 0,35
         CHECKR R1,0,36
         PASS
         ALIGN 4
MASK1    DC    X'0F0F0F0F'
ZERO     DC    F'0'
         END
