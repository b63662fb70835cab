* blockcopy.s -- block moves: 800 rounds of copying a 64 KiB area A to B
* with MVC in chunks whose lengths cycle through 1..256 bytes, then
* checking B against A with CLC (4096 bytes at a time), then changing one
* word of A so that the next round has something new to copy.  About 6
* million guest instructions moving about 52 MB.
* BENCH: MVC copy of 64 KiB in 1..256-byte chunks + CLC check, 800 rounds
         INCLUDE '../arch/lib.s'
         TSTART
BC_ROUNDS EQU  800
         LI    R6,0x40000              ; A
         LI    R7,0x60000              ; B
         LI    R8,0x10000              ; 64 KiB
* A := a pattern: word i = i * 0x01010101 + 0x12345
         LHI   R1,0
         LI    R2,0x12345
         LI    R3,0x01010101
BCFILL   ST    R2,0(R1,R6)
         AR    R2,R3
         AHI   R1,4
         CR    R1,R8
         BRC   4,BCFILL
         LHI   R12,BC_ROUNDS
         LHI   R11,0                   ; the chunk length - 1, cycling
BCROUND  LHI   R9,0                    ; offset
BCCOPY   LR    R3,R11
         AHI   R3,1                    ; length 1..256
         LR    R4,R8
         SR    R4,R9                   ; bytes left
         CR    R3,R4
         BRC   12,BCC1
         LR    R3,R4
BCC1     LA    R1,0(R9,R7)
         LA    R2,0(R9,R6)
         MVC   R1,R2,R3
         AR    R9,R3
         AHI   R11,1
         NHI   R11,255
         CR    R9,R8
         BRC   4,BCCOPY
* check B = A
         LHI   R9,0
         LHI   R3,4096
BCCHK    LA    R1,0(R9,R7)
         LA    R2,0(R9,R6)
         CLC   R1,R2,R3
         BRC   7,BCBAD
         AR    R9,R3
         CR    R9,R8
         BRC   4,BCCHK
* change one word of A: offset (round * 388) mod 64 KiB, word-aligned
         LR    R1,R12
         MHI   R1,388
         NHI   R1,X'FFFC'
         ST    R12,0(R1,R6)
         BRCT  R12,BCROUND
         PASS
BCBAD    FAIL  1
         END
