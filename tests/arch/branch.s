* branch.s -- BC BCR BAL BALR BCT BCTR BRC BRAS BRCT: every mask, r2 = 0
* meaning "no branch" for the RR forms, link addresses (the plain 32-bit
* address of the next instruction), relative targets forwards and
* backwards, counting loops.
* COVERS: BC BCR BAL BALR BCT BCTR BRC BRAS BRCT
         INCLUDE 'lib.s'
         TSTART
* BC with each single-CC mask: set CC c, branch on mask 8>>c taken,
* on the other three masks not taken.
         SETCC 0
         BC    7,F1
         BC    8,T1
F1       FAIL  1
T1       SETCC 1
         BC    11,F2
         BC    4,T2
F2       FAIL  2
T2       SETCC 2
         BC    13,F3
         BC    2,T3
F3       FAIL  3
T3       SETCC 3
         BC    14,F4
         BC    1,T4
F4       FAIL  4
T4       BC    0,F5                    ; NOP
         B     T5
F5       FAIL  5
* BC with an index and base
T5       LA    R2,T6-100
         LHI   R3,60
         BC    15,40(R3,R2)
         FAIL  6
* BCR
T6       LA    R4,T7
         SETCC 2
         BCR   8,R4
         BCR   15,R0                   ; r2 = 0: no branch
         BCR   2,R4
         FAIL  7
T7       LA    R4,F8
         BCR   0,R4
         J     T8
F8       FAIL  8
* BAL, BALR: link = address of the next instruction
T8       BAL   R5,T9
B8       FAIL  9
T9       LA    R6,B8
         CR    R5,R6
         BRC   8,T10
         FAIL  10
T10      LA    R4,T11
         BALR  R5,R4
B10      FAIL  11
T11      CHECKR R5,B10,12
         BALR  R5,0                    ; r2 = 0: link, no branch
B12      CHECKR R5,B12,13
* BALR R14,R14 style: branch to the old value, link the new one
         LA    R7,T13
         BALR  R7,R7
B13      FAIL  14
T13      CHECKR R7,B13,15
* BCT: loop 5 times
         LHI   R1,5
         LHI   R2,0
L14      AHI   R2,1
         BCT   R1,L14
         CHECKR R2,5,16
         CHECKR R1,0,17
* BCT from 0 wraps to -1 and branches
         LHI   R1,0
         BCT   R1,T18
         FAIL  18
T18      CHECKR R1,-1,19
* BCTR: branch to R2; r2 = 0 only decrements
         LHI   R1,3
         LHI   R2,0
         LA    R3,L20
L20      AHI   R2,1
         BCTR  R1,R3
         CHECKR R2,3,20
         LHI   R1,10
         SETCC 1
         BCTR  R1,0
         CHECKCC 1,21                  ; no CC change
         CHECKR R1,9,22
* BRC: forwards and backwards, each mask
         SETCC 0
         BRC   7,F23
         BRC   8,T23
F23      FAIL  23
T23      J     FWD
BACK     J     T24                     ; a backward jump lands here
F24      FAIL  24
FWD      SETCC 3
         BRC   1,BACK
         FAIL  25
T24      JNOP  F26
         SETCC 2
         JNH   F26
         JH    T26
F26      FAIL  26
* BRAS: link and relative branch
T26      BRAS  R9,T27
B27      FAIL  27
T27      CHECKR R9,B27,28
* BRAS backwards to a subroutine, return with BR
         J     T29
SUB29    AHI   R10,1
         BR    R11
T29      LHI   R10,0
         BRAS  R11,SUB29
         BRAS  R11,SUB29
         CHECKR R10,2,29
* BRCT: backward loop
         LHI   R1,4
         LHI   R2,0
L30      AHI   R2,3
         BRCT  R1,L30
         CHECKR R2,12,30
         CHECKR R1,0,31
         LHI   R1,1
         BRCT  R1,F32                  ; 1 -> 0: falls through
         J     T32
F32      FAIL  32
* BAL: the branch address is formed before the link register is set
T32      LA    R5,T33
         BAL   R5,0(,R5)
B33      FAIL  33
T33      CHECKR R5,B33,34
         LA    R5,T35
         BALR  R6,R5
B35      FAIL  35
T35      CHECKR R6,B35,36
         PASS
         END
