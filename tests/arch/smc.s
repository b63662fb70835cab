* smc.s -- stores into the instruction stream take effect: a program
* that rewrites an instruction ahead of itself (or in a loop body it has
* already executed) runs the new instruction.  (A simulator that caches
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
         PASS
NEWI     LHI   R1,2
NEWI2    AHI   R1,100
NEWI3    LHI   R4,3
         END
