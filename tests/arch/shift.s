* shift.s -- SLL SRL (logical, no CC), SRA (arithmetic, CC arith), SLA
* (sign kept, CC arith, CC 3 on overflow).  The count is the low 6 bits
* of the effective address: counts 32..63 shift everything out, 64 is 0.
* COVERS: SLL SRL SRA SLA
         INCLUDE 'lib.s'
         TSTART
* SLL
         SETCC 1
         LI    R1,0x80000001
         SLL   R1,1
         CHECKCC 1,1
         CHECKR R1,0x00000002,2
         LI    R1,0x12345678
         SLL   R1,4
         CHECKR R1,0x23456780,3
         SLL   R1,0
         CHECKR R1,0x23456780,4
         SLL   R1,31
         CHECKR R1,0,5
         LHI   R1,-1
         SLL   R1,32
         CHECKR R1,0,6
         LHI   R1,-1
         SLL   R1,40
         CHECKR R1,0,7
         LHI   R1,-1
         SLL   R1,63
         CHECKR R1,0,8
         LHI   R1,-1
         SLL   R1,64                   ; count 0
         CHECKR R1,-1,9
* count from a register; only 6 bits count
         LHI   R1,1
         LHI   R2,X'141'               ; low 6 bits: 1
         SLL   R1,0(R2)
         CHECKR R1,2,10
         LHI   R2,3
         SLL   R1,2(R2)                ; 5
         CHECKR R1,64,11
         LHI   R0,5
         LHI   R1,1
         SLL   R1,0(R0)                ; register 0 as base: none, count 0
         CHECKR R1,1,12
* SRL
         LI    R1,0x80000000
         SRL   R1,31
         CHECKR R1,1,13
         LI    R1,0x87654321
         SRL   R1,4
         CHECKR R1,0x08765432,14
         LHI   R1,-1
         SRL   R1,32
         CHECKR R1,0,15
         LHI   R1,-1
         SRL   R1,48
         CHECKR R1,0,16
         LHI   R1,-1
         SRL   R1,128                  ; count 0
         CHECKR R1,-1,17
* SRA
         LI    R1,0x80000000
         SRA   R1,4
         CHECKCC 1,18
         CHECKR R1,0xF8000000,19
         LHI   R1,-1
         SRA   R1,40
         CHECKCC 1,20
         CHECKR R1,-1,21
         LI    R1,0x7FFFFFFF
         SRA   R1,40
         CHECKCC 0,22
         CHECKR R1,0,23
         LHI   R1,100
         SRA   R1,2
         CHECKCC 2,24
         CHECKR R1,25,25
         LHI   R1,-7
         SRA   R1,1                    ; rounds toward minus infinity
         CHECKCC 1,26
         CHECKR R1,-4,27
         LHI   R1,5
         SRA   R1,0
         CHECKCC 2,28
         CHECKR R1,5,29
         LI    R1,0x80000000
         SRA   R1,63
         CHECKCC 1,30
         CHECKR R1,-1,31
* SLA
         LHI   R1,3
         SLA   R1,2
         CHECKCC 2,32
         CHECKR R1,12,33
         LHI   R1,-3
         SLA   R1,2
         CHECKCC 1,34
         CHECKR R1,-12,35
         LHI   R1,0
         SLA   R1,40
         CHECKCC 0,36
         CHECKR R1,0,37
         LI    R1,0x40000000
         SLA   R1,1                    ; a 1 reaches the sign position
         CHECKCC 3,38
         CHECKR R1,0,39                ; the sign (0) is kept
         LI    R1,0xC0000000
         SLA   R1,1                    ; -2^30 * 2 = -2^31: no overflow
         CHECKCC 1,40
         CHECKR R1,0x80000000,41
         LI    R1,0x80000001
         SLA   R1,1                    ; overflow, sign 1 kept
         CHECKCC 3,42
         CHECKR R1,0x80000002,43
         LHI   R1,1
         SLA   R1,30
         CHECKCC 2,44
         CHECKR R1,0x40000000,45
         LHI   R1,1
         SLA   R1,32
         CHECKCC 3,46
         PASS
         END
