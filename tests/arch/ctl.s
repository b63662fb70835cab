* ctl.s -- LCTL and STCTL: load and store control registers, ranges with
* wrap-around (CR14..CR1), one register, all sixteen.  CR1 is changed
* only while DAT is off; CR0 only with external interruptions disabled.
* COVERS: LCTL STCTL
         INCLUDE 'lib.s'
         TSTART
         LCTL  0,15,VALS
         STCTL 0,15,AREA
         LHI   R1,0
         LHI   R2,64
         LA    R3,VALS
         LA    R4,AREA
         CLC   R3,R4,R2
         CHECKCC 0,1
* one register
         LCTL  5,5,ONE
         STCTL 5,5,AREA
         CHECKW AREA,0xCAFEBABE,2
         STCTL 4,6,AREA
         CHECKW AREA,0x44444444,3
         CHECKW AREA+4,0xCAFEBABE,4
         CHECKW AREA+8,0x66666666,5
* wrap: CR14, CR15, CR0, CR1
         LCTL  14,1,WRAP
         STCTL 0,1,AREA
         CHECKW AREA,0xA0000000,6
         CHECKW AREA+4,0xA1000000,7
         STCTL 14,15,AREA
         CHECKW AREA,0xAE000000,8
         CHECKW AREA+4,0xAF000000,9
         STCTL 15,0,AREA               ; store wrapping too
         CHECKW AREA,0xAF000000,10
         CHECKW AREA+4,0xA0000000,11
         CHECKW AREA+8,0x66666666,12   ; untouched (from STCTL 4,6)
* registers unchanged, operand through a base
         LA    R5,AREA
         LCTL  2,2,ONE
         STCTL 2,2,8(R5)
         CHECKW AREA+8,0xCAFEBABE,13
* misaligned operand: specification
         PGMTRAP P1R
P1       LCTL  2,2,2(R5)
         FAIL  14
P1R      CHECKPGM PGM_SPECIFICATION,P1+4,15
         PGMTRAP P2R
P2       STCTL 2,2,1(R5)
         FAIL  17
P2R      CHECKPGM PGM_SPECIFICATION,P2+4,18
* leave CR0 and CR1 clean
         LCTL  0,1,ZEROS
         PASS
         ALIGN 4
VALS     DC    A(0,0x11111111,0x22222222,0x33333333)
         DC    A(0x44444444,0x55555555,0x66666666,0x77777777)
         DC    A(0x88888888,0x99999999,0xAAAAAAAA,0xBBBBBBBB)
         DC    A(0xCCCCCCCC,0xDDDDDDDD,0xEEEEEEEE,0xFFFFFFFF)
ONE      DC    A(0xCAFEBABE)
WRAP     DC    A(0xAE000000,0xAF000000,0xA0000000,0xA1000000)
ZEROS    DC    F'0,0'
AREA     DC    16A(0xEEEEEEEE)
         END
