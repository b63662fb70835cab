* mvc.s -- MVC and CLC (register operands: R1 destination/first operand,
* R2 source/second operand, R3 the length 0..4096).  Length 0 moves
* nothing and compares equal; 4096 is a full page; more than 4096 is a
* specification exception.  MVC leaves the CC alone; CLC compares
* unsigned and stops at the first difference.  The operands need no
* alignment.
* COVERS: MVC CLC
         INCLUDE 'lib.s'
         TSTART
         LI    R6,0x20000              ; source area (8 KiB)
         LI    R7,0x24000              ; destination area
* fill the source with a pattern: byte i = i & 0xFF, 8192 bytes
         LHI   R1,0
FILL     STC   R1,0(R1,R6)
         AHI   R1,1
         CHI   R1,8192
         BRC   4,FILL
* a short move, odd addresses
         LA    R1,1(,R7)
         LA    R2,3(,R6)
         LHI   R3,5
         SETCC 2
         MVC   R1,R2,R3
         CHECKCC 2,1
         CHECKR R3,5,2                 ; registers unchanged
         CHECKR R1,0x24001,3
         L     R4,0(,R7)
         CHECKR R4,0x00030405,4
         L     R4,4(,R7)
         CHECKR R4,0x06070000,5
* length 0 moves nothing
         LHI   R3,0
         LR    R1,R7
         MVC   R1,R2,R3
         L     R4,0(,R7)
         CHECKR R4,0x00030405,6
* CLC
         LA    R1,1(,R7)
         LA    R2,3(,R6)
         LHI   R3,5
         CLC   R1,R2,R3
         CHECKCC 0,7
         LHI   R3,6                    ; 0x00 at dest+6 vs 0x08
         CLC   R1,R2,R3
         CHECKCC 1,8
         CLC   R2,R1,R3
         CHECKCC 2,9
         LHI   R3,0
         SETCC 3
         CLC   R2,R1,R3                ; length 0: equal
         CHECKCC 0,10
* unsigned: 0xFF > 0x01
         LA    R1,BYTES
         LA    R2,BYTES+1
         LHI   R3,1
         CLC   R1,R2,R3
         CHECKCC 2,11
         CLC   R2,R1,R3
         CHECKCC 1,12
* 4096 bytes
         LR    R1,R7
         LR    R2,R6
         LHI   R3,4096
         MVC   R1,R2,R3
         CLC   R1,R2,R3
         CHECKCC 0,13
         LLC   R4,4095(,R7)
         CHECKR R4,0xFF,14
         LA    R8,4095(,R7)
         LLC   R4,1(,R8)               ; the byte after: untouched
         CHECKR R4,0,15
* a difference in the last byte of 4096
         LHI   R4,X'AA'
         STC   R4,4095(,R7)
         CLC   R1,R2,R3
         CHECKCC 1,16                  ; X'AA' < X'FF'
* more than 4096: specification, nothing moved
         LHI   R3,4097
         LI    R1,0x30000
         PGMTRAP P1R
P1       MVC   R1,R2,R3
         FAIL  17
P1R      CHECKPGM PGM_SPECIFICATION,P1+4,18
         LI    R1,0x30000
         L     R4,0(,R1)
         CHECKR R4,0,20
         PGMTRAP P2R
P2       CLC   R1,R2,R3
         FAIL  21
P2R      CHECKPGM PGM_SPECIFICATION,P2+4,22
         LI    R3,0x80000000           ; huge (negative) length
         PGMTRAP P3R
P3       MVC   R1,R2,R3
         FAIL  24
P3R      CHECKPGM PGM_SPECIFICATION,P3+4,25
* overlapping operands, destination one byte after the source: the move
* goes left to right a byte at a time, so the first byte propagates (the
* S/370 idiom for filling an area; isa.def does not say -- see report)
         LI    R1,0x30001
         LI    R2,0x30000
         LHI   R4,X'5A'
         STC   R4,0(,R2)
         LHI   R3,255
         MVC   R1,R2,R3
         L     R4,252(,R2)
         CHECKR R4,0x5A5A5A5A,27
         LLC   R4,256(,R2)
         CHECKR R4,0,28
* destination before the source (overlapping): an ordinary move
         LA    R1,SHIFTB
         LA    R2,SHIFTB+1
         LHI   R3,4
         MVC   R1,R2,R3
         CHECKW SHIFTB,C'BCDE',29
         PASS
BYTES    DC    X'FF01'
         ALIGN 4
SHIFTB   DC    C'ABCDE'
         END
