* divide.s -- DR (signed) and DLR (unsigned): R1 even, R1+1 := R1+1 / R2,
* R1 := remainder.  Per sim/isa.def the dividend is the 32-bit R1+1 (not
* the 64-bit pair of S/370): a nonzero R1 beforehand must not matter.
* Quotients truncate toward zero; the remainder has the dividend's sign.
* Divide by zero, and -2^31 / -1 for DR, are fixed-point-divide
* exceptions (code 9); odd R1 is a specification exception.
* COVERS: DR DLR
         INCLUDE 'lib.s'
         TSTART
         SETCC 3
         LHI   R2,0
         LHI   R3,100
         LHI   R4,7
         DR    R2,R4
         CHECKCC 3,1                   ; CC unchanged
         CHECKR R3,14,2
         CHECKR R2,2,3
         LHI   R2,0
         LHI   R3,-100
         DR    R2,R4
         CHECKR R3,-14,4
         CHECKR R2,-2,5
         LHI   R2,0
         LHI   R3,100
         LHI   R4,-7
         DR    R2,R4
         CHECKR R3,-14,6
         CHECKR R2,2,7
         LHI   R2,0
         LHI   R3,-100
         DR    R2,R4
         CHECKR R3,14,8
         CHECKR R2,-2,9
* the old content of R1 is not part of the dividend
         LHI   R2,5
         LHI   R3,100
         LHI   R4,10
         DR    R2,R4
         CHECKR R3,10,10
         CHECKR R2,0,11
         LI    R2,0x12345678
         LHI   R3,-9
         LHI   R4,2
         DR    R2,R4
         CHECKR R3,-4,12
         CHECKR R2,-1,13
         LHI   R2,0
         LI    R3,0x80000000
         LHI   R4,1
         DR    R2,R4
         CHECKR R3,0x80000000,14
         CHECKR R2,0,15
* the divisor may be R1+1 itself
         LHI   R2,0
         LHI   R3,-12
         DR    R2,R3
         CHECKR R3,1,16
         CHECKR R2,0,17
* DLR
         LHI   R2,0
         LHI   R3,-1                   ; 0xFFFFFFFF
         LHI   R4,2
         DLR   R2,R4
         CHECKR R3,0x7FFFFFFF,18
         CHECKR R2,1,19
         LHI   R2,77                   ; ignored
         LHI   R3,100
         LHI   R4,-1                   ; 0xFFFFFFFF
         DLR   R2,R4
         CHECKR R3,0,20
         CHECKR R2,100,21
         LI    R3,0x80000000
         LI    R4,0x80000000
         DLR   R2,R4
         CHECKR R3,1,22
         CHECKR R2,0,23
* divide by zero
         LHI   R2,0
         LHI   R3,5
         LHI   R4,0
         PGMTRAP P1R
P1       DR    R2,R4
         FAIL  24
P1R      CHECKPGM PGM_FIXED_DIVIDE,P1+4,25
         L     R1,P1                   ; the instruction word at 0x094
         C     R1,LC_PGM_INSN
         BRC   8,T39
         FAIL  27
T39      EQU   *
         PGMTRAP P2R
P2       DLR   R2,R4
         FAIL  28
P2R      CHECKPGM PGM_FIXED_DIVIDE,P2+4,29
* quotient too large: -2^31 / -1
         LHI   R2,0
         LI    R3,0x80000000
         LHI   R4,-1
         PGMTRAP P3R
P3       DR    R2,R4
         FAIL  31
P3R      CHECKPGM PGM_FIXED_DIVIDE,P3+4,32
* odd R1
         LHI   R4,1
         PGMTRAP P4R
P4       DR    R3,R4
         FAIL  34
P4R      CHECKPGM PGM_SPECIFICATION,P4+4,35
         PGMTRAP P5R
P5       DLR   R1,R4
         FAIL  37
P5R      CHECKPGM PGM_SPECIFICATION,P5+4,38
         PASS
         END
