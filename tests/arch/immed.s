* immed.s -- LHI (sign-extended 16-bit immediate) and LUI (immediate into
* the upper halfword, lower halfword zero).  No CC change.
* COVERS: LHI LUI
         INCLUDE 'lib.s'
         TSTART
         SETCC 2
         LHI   R1,0
         CHECKCC 2,1
         CHECKR R1,0,2
         LHI   R1,32767
         CHECKR R1,0x7FFF,3
         LHI   R1,-32768
         CHECKR R1,0xFFFF8000,4
         LHI   R1,X'FFFF'
         CHECKR R1,0xFFFFFFFF,5
         LHI   R1,X'8001'
         CHECKR R1,0xFFFF8001,6
         LHI   R1,-1
         LUI   R1,X'1234'
         CHECKR R1,0x12340000,7
         LUI   R1,X'FFFF'
         CHECKR R1,0xFFFF0000,8
         LUI   R1,0
         CHECKR R1,0,9
         LUI   R1,X'8000'
         CHECKR R1,0x80000000,10
         SETCC 1
         LUI   R2,1
         CHECKCC 1,11
         CHECKR R2,0x10000,12
* LI expands to LUI + OHI
         LI    R3,0xDEADBEEF
         CHECKR R3,0xDEADBEEF,13
         LI    R3,0x00008000
         CHECKR R3,0x00008000,14
         PASS
         END
