* align.s -- specification exceptions for misaligned operands: word
* operands (L ST A C ...) not on a 4-byte boundary, halfword operands
* (LH LLH STH) not on a 2-byte boundary, an LPSW operand not on an 8-byte
* boundary, doubleword operands (STCK SPT STPT SCKC STCKC STIDP) not
* on an 8-byte boundary, and a branch to an instruction address that is not a
* multiple of 4.  The instruction is suppressed (the register or storage
* is unchanged) and the old PSW points after it.
* COVERS: program-interrupt specification
         INCLUDE 'lib.s'
         TSTART
         LA    R2,AREA
         LI    R1,0x55555555
         PGMTRAP P1R
P1       L     R1,1(,R2)
         FAIL  1
P1R      CHECKPGM PGM_SPECIFICATION,P1+4,2
         CHECKR R1,0x55555555,4
         PGMTRAP P2R
P2       ST    R1,2(,R2)
         FAIL  5
P2R      CHECKPGM PGM_SPECIFICATION,P2+4,6
         CHECKW AREA,0,8
         CHECKW AREA+4,0,9
         PGMTRAP P3R
P3       A     R1,3(,R2)
         FAIL  10
P3R      CHECKPGM PGM_SPECIFICATION,P3+4,11
         PGMTRAP P4R
P4       C     R1,1(,R2)
         FAIL  13
P4R      CHECKPGM PGM_SPECIFICATION,P4+4,14
         PGMTRAP P5R
P5       LH    R1,1(,R2)
         FAIL  16
P5R      CHECKPGM PGM_SPECIFICATION,P5+4,17
         PGMTRAP P6R
P6       STH   R1,3(,R2)
         FAIL  19
P6R      CHECKPGM PGM_SPECIFICATION,P6+4,20
         PGMTRAP P7R
P7       LLH   R1,5(,R2)
         FAIL  22
P7R      CHECKPGM PGM_SPECIFICATION,P7+4,23
         PGMTRAP P8R
P8       MS    R1,2(,R2)
         FAIL  25
P8R      CHECKPGM PGM_SPECIFICATION,P8+4,26
* aligned halfwords at offset 2 are fine
         LH    R1,2(,R2)
         CHECKR R1,0,28
* LPSW of a 4- but not 8-aligned doubleword
         PGMTRAP P9R
P9       LPSW  MISPSW
         FAIL  29
P9R      CHECKPGMC PGM_SPECIFICATION,30
* doubleword operands on a 4- but not 8-byte boundary (isa.def states the
* 8-alignment only for LPSW; the others follow the same rule here)
         LA    R4,DW+4
         PGMTRAP P40R
P40      STCK  0(R4)
         FAIL  31
P40R     CHECKPGM PGM_SPECIFICATION,P40+4,32
         PGMTRAP P43R
P43      SPT   0(R4)
         FAIL  34
P43R     CHECKPGM PGM_SPECIFICATION,P43+4,35
         PGMTRAP P46R
P46      STPT  0(R4)
         FAIL  37
P46R     CHECKPGM PGM_SPECIFICATION,P46+4,38
         PGMTRAP P49R
P49      SCKC  0(R4)
         FAIL  40
P49R     CHECKPGM PGM_SPECIFICATION,P49+4,41
         PGMTRAP P52R
P52      STCKC 0(R4)
         FAIL  43
P52R     CHECKPGM PGM_SPECIFICATION,P52+4,44
         PGMTRAP P55R
P55      STIDP 0(R4)
         FAIL  46
P55R     CHECKPGM PGM_SPECIFICATION,P55+4,47
         CHECKW DW+4,0xEEEEEEEE,49     ; nothing stored
         CHECKW DW+8,0xEEEEEEEE,50
* branch to an address that is not a multiple of 4 (recognized when the
* instruction is fetched; only the code is checked)
         PGMTRAP P10R
         LA    R3,T10+2
         BR    R3
         FAIL  51
         ALIGN 8
T10      DC    F'0,0'
         FAIL  52
P10R     CHECKPGMC PGM_SPECIFICATION,53
         PASS
         ALIGN 8
DW       DC    4A(0xEEEEEEEE)
AREA     DC    F'0,0,0,0'
         DC    F'0'
MISPSW   DC    F'0'                    ; 4 mod 8
         DC    A(MISF)
MISF     FAIL  54                      ; the LPSW was taken
         END
