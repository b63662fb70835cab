* storage.s -- loads and stores: L ST LH LLH STH LLC STC and LA.
* Sign and zero extension, big-endian byte order, partial stores leave
* neighbours alone, LA computes d + X + B modulo 2^32 with register 0
* meaning "none", and no load or store changes the CC.
* COVERS: L ST LH LLH STH LLC STC LA
         INCLUDE 'lib.s'
         TSTART
         SETCC 3
         L     R1,WORDS
         CHECKCC 3,1
         CHECKR R1,0x89ABCDEF,2
         L     R1,WORDS+4
         CHECKR R1,0x01234567,3
* LH sign-extends, LLH zero-extends
         LH    R1,WORDS
         CHECKR R1,0xFFFF89AB,4
         LLH   R1,WORDS
         CHECKR R1,0x000089AB,5
         LH    R1,WORDS+2
         CHECKR R1,0xFFFFCDEF,6
         LH    R1,WORDS+4
         CHECKR R1,0x00000123,7
         LLH   R1,WORDS+6
         CHECKR R1,0x00004567,8
* LLC zero-extends, any byte address
         LLC   R1,WORDS
         CHECKR R1,0x89,9
         LLC   R1,WORDS+3
         CHECKR R1,0xEF,10
         LLC   R1,WORDS+5
         CHECKR R1,0x23,11
* ST
         LI    R1,0xCAFEF00D
         ST    R1,AREA
         CHECKW AREA,0xCAFEF00D,12
         CHECKB AREA,0xCA,13
         CHECKB AREA+3,0x0D,14
* STH: low 16 bits, neighbours untouched
         LI    R1,0x12345678
         STH   R1,AREA+2
         CHECKW AREA,0xCAFE5678,15
         STH   R1,AREA
         CHECKW AREA,0x56785678,16
* STC: low 8 bits, any byte
         LHI   R1,X'1AB'
         STC   R1,AREA+1
         CHECKW AREA,0x56AB5678,17
         SETCC 3
         STC   R1,AREA+3
         L     R2,AREA
         LH    R2,AREA
         LLC   R2,AREA
         ST    R2,AREA+4
         STH   R2,AREA+4
         CHECKCC 3,18                  ; no load or store changed the CC
         CHECKW AREA,0x56AB56AB,19
* indexed and based addressing
         LA    R2,WORDS
         LHI   R3,4
         L     R1,0(R3,R2)
         CHECKR R1,0x01234567,20
         L     R1,4(,R2)
         CHECKR R1,0x01234567,21
         LHI   R3,-4
         L     R1,8(R3,R2)
         CHECKR R1,0x01234567,22
* the effective address wraps modulo 2^32 for storage operands too
         LHI   R2,-4
         L     R1,LC_PGM_NEW+8(,R2)    ; = LC_PGM_NEW + 4
         CHECKR R1,UNEXP_PGM,23
* LA
         LA    R1,0
         CHECKR R1,0,24
         LA    R1,4095
         CHECKR R1,4095,25
         LHI   R2,1000
         LHI   R3,20
         LA    R1,7(R3,R2)
         CHECKR R1,1027,26
         LA    R1,7(,R2)
         CHECKR R1,1007,27
         LHI   R0,500                  ; register 0 as index/base: none
         LA    R1,8(R0,R0)
         CHECKR R1,8,28
         LHI   R2,-2
         LA    R1,5(,R2)               ; wraps modulo 2^32
         CHECKR R1,3,29
         LI    R2,0xFFFFFFF0
         LI    R3,0x00000020
         LA    R1,1(R2,R3)
         CHECKR R1,0x11,30
         LI    R2,0x7FFFFFFF
         LA    R1,1(,R2)               ; full 32 bits, no truncation
         CHECKR R1,0x80000000,31
         LA    R2,1(,R2)
         CHECKR R2,0x80000000,32
         SETCC 1
         LA    R1,5
         CHECKCC 1,33
* halfword at a halfword boundary inside a word
         LHI   R1,-2
         STH   R1,AREA+6
         LH    R1,AREA+6
         CHECKR R1,-2,34
         LLH   R1,AREA+6
         CHECKR R1,0xFFFE,35
         PASS
         ALIGN 4
WORDS    DC    X'89ABCDEF01234567'
AREA     DC    F'0,0,0,0'
         END
