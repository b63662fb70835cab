* lmstm.s -- LM and STM: register ranges, wrap-around after R15
* (R14..R1), a single register, all sixteen, and a misaligned operand
* (specification).
* COVERS: LM STM
         INCLUDE 'lib.s'
         TSTART
         LM    R2,R5,VALS
         CHECKR R2,0x11111111,1
         CHECKR R3,0x22222222,2
         CHECKR R4,0x33333333,3
         CHECKR R5,0x44444444,4
         STM   R2,R5,AREA
         CHECKW AREA,0x11111111,5
         CHECKW AREA+12,0x44444444,6
* wrap: R14, R15, R0, R1
         LM    R14,R1,VALS
         LR    R6,R15                  ; keep R15: the checks use it
         CHECKR R14,0x11111111,7
         CHECKR R6,0x22222222,8
         CHECKR R0,0x33333333,9
         CHECKR R1,0x44444444,10
         LI    R14,0xAAAA0000
         LI    R15,0xBBBB0000
         LHI   R0,1
         LHI   R1,2
         STM   R14,R1,AREA
         CHECKW AREA,0xAAAA0000,11,R=R6
         CHECKW AREA+4,0xBBBB0000,12,R=R6
         CHECKW AREA+8,1,13,R=R6
         CHECKW AREA+12,2,14,R=R6
* one register
         LM    R7,R7,VALS+8
         CHECKR R7,0x33333333,15
         STM   R7,R7,AREA+16
         CHECKW AREA+16,0x33333333,16
* all sixteen: R0..R15 and back
         LM    R0,R15,SIXTEEN
         STM   R0,R15,AREA
         CHECKW AREA,0,17
         CHECKW AREA+40,10,18
         CHECKW AREA+60,15,19
         CHECKR R9,9,20
         CHECKR R14,14,21
* R1 > R3 by one: wraps all the way (R3..R2 is sixteen registers)
         LM    R3,R2,SIXTEEN           ; R3=0, R4=1, ..., R2=15
         CHECKR R3,0,22
         CHECKR R4,1,23
         CHECKR R0,13,24
         CHECKR R2,15,25
* the address in a register, with a displacement
         LA    R8,AREA
         LHI   R9,-5
         LHI   R10,-6
         STM   R9,R10,100(R8)
         LM    R11,R12,100(R8)
         CHECKR R11,-5,26
         CHECKR R12,-6,27
* the base register is in the range: the address is formed first
         LA    R2,VALS
         LM    R1,R3,0(R2)
         CHECKR R1,0x11111111,28
         CHECKR R2,0x22222222,29
         CHECKR R3,0x33333333,30
* misaligned: specification
         LA    R8,AREA+2
         PGMTRAP P1R
P1       LM    R2,R3,0(R8)
         FAIL  31
P1R      CHECKPGM PGM_SPECIFICATION,P1+4,32
         PGMTRAP P2R
P2       STM   R2,R3,0(R8)
         FAIL  34
P2R      CHECKPGM PGM_SPECIFICATION,P2+4,35
         PASS
         ALIGN 4
VALS     DC    A(0x11111111,0x22222222,0x33333333,0x44444444)
SIXTEEN  DC    F'0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15'
AREA     DS    40F
         END
