* smc.s -- stores into the instruction stream take effect: a program
* that rewrites an instruction ahead of itself (or in a loop body it has
* already executed, or in a loop that has run hot) runs the new
* instruction; also when the store is the instruction just before it.  (A simulator that caches
* decoded instructions must notice the store.)
* COVERS: self-modifying-code
         INCLUDE 'lib.s'
         TSTART
* rewrite the next-but-one instruction
         L     R2,NEWI
         ST    R2,PATCH1
         LHI   R1,0
PATCH1   LHI   R1,1                    ; becomes LHI R1,2
         CHECKR R1,2,1
* a loop whose body is changed after its first pass
         LHI   R1,0
         LHI   R3,3
         L     R2,NEWI2
LOOP     EQU   *
PATCH2   AHI   R1,1                    ; becomes AHI R1,100
         ST    R2,PATCH2
         BRCT  R3,LOOP
         CHECKR R1,201,2               ; 1 + 100 + 100
* with an MVC
         LA    R1,PATCH3
         LA    R2,NEWI3
         LHI   R3,4
         MVC   R1,R2,R3
         LHI   R4,0
PATCH3   LHI   R4,1                    ; becomes LHI R4,3
         CHECKR R4,3,3
* rewrite the very next instruction: the store is the instruction just
* before it, in the same page, with no branch between
         L     R2,NEWI4
         LHI   R5,0
         ST    R2,PATCH4
PATCH4   LHI   R5,1                    ; becomes LHI R5,4
         CHECKR R5,4,4
* a hot loop (1000 passes) that rewrites an instruction of its own
* body on pass 500: the passes before run the old instruction, the
* passes after the new one
         LHI   R1,0
         LHI   R3,1000
         L     R2,NEWI5
LOOP5    EQU   *
PATCH5   AHI   R1,1                    ; becomes AHI R1,3
         CHI   R3,501
         BRC   7,SKIP5
         ST    R2,PATCH5
SKIP5    BRCT  R3,LOOP5
         CHECKR R1,2000,5              ; 500 * 1 + 500 * 3
         PASS
NEWI     LHI   R1,2
NEWI2    AHI   R1,100
NEWI3    LHI   R4,3
NEWI4    LHI   R5,4
NEWI5    AHI   R1,3
         END
