* farbranch.s -- relative branches far from their targets: BRC, BRAS and
* BRCT reach +-128 KiB (a signed 16-bit count of words), here 0x1F000
* bytes forwards and back; RX branches (BC, BAL, BCT) reach any address
* through a base register.
* COVERS: BRC BRAS BRCT BC BAL BCT
         INCLUDE 'lib.s'
         TSTART
         J     FAR1                    ; forwards ~124 KiB
BACK1    BRAS  R9,FAR2                 ; and again, linking
RET2     CHECKR R9,RET2,1
         LHI   R3,3
         LHI   R4,0
LOOP3    AHI   R4,1                    ; BRCT from far away
         J     FAR3
BACK3    CHECKR R4,3,2
* RX branches to a far address through a base register
         LI    R5,FAR4
         BAL   R9,0(,R5)
RET4     CHECKR R9,RET4,3
         LHI   R3,2
         LI    R5,FAR5
         LHI   R6,0
LOOP5    AHI   R6,1
         BCT   R3,0(,R5)
         CHECKR R6,2,4
         LI    R5,FAR6
         SETCC 2
         BC    2,0(,R5)
         FAIL  5
BACK6    PASS
         ORG   X'1F000'
FAR1     J     BACK1                   ; backwards ~124 KiB
FAR2     BR    R9
FAR3     BRCT  R3,LOOP3
         J     BACK3
FAR4     BR    R9
FAR5     J     LOOP5
FAR6     J     BACK6
         END
