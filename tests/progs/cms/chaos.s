* chaos.s -- thousands of system calls with random registers: random
* service numbers, addresses inside and outside the program's storage,
* lengths, file numbers and modes, now and then a real file block.
* CMS must answer each with a return code and still be there after.
* (SVC 0, 1 and 2 are left out: they would end the program, fill the
* transcript or eat the script's next line.)
         INCLUDE 'cmslib.s'
CHAOS    BEGIN
         LI    R9,12345              ; the generator's state
         LHI   R10,3000              ; calls to make
LOOP     BRAS  R14,RANDOM            ; R1 for the file number
         NHI   R0,3
         LR    R1,R0
         BRAS  R14,RANDOM            ; R2: an address of some kind
         LR    R2,R0
         BRAS  R14,RANDOM
         LR    R4,R0
         NHI   R4,3
         JZ    ADDRDONE              ; 1/4 anything at all
         CHI   R4,1
         JNE   ADDR2
         NHI   R2,X'FFFF'            ; 1/4 inside C0000-CFFFF
         LI    R5,X'C0000'
         AR    R2,R5
ADDR2    CHI   R4,2
         JNE   ADDR3
         LI    R5,X'3FFFF'           ; 1/4 anywhere in storage
         NR    R2,R5
         J     ADDRDONE
ADDR3    LA    R2,GOODFILE           ; 1/4 a real file block
ADDRDONE BRAS  R14,RANDOM            ; R3: a length or a mode
         LR    R3,R0
         BRAS  R14,RANDOM
         NHI   R0,3
         JZ    LENDONE
         NHI   R3,X'1FF'
         CHI   R0,1
         JNE   LENDONE
         LHI   R3,C'R'
         BRAS  R14,RANDOM
         NHI   R0,1
         JZ    LENDONE
         LHI   R3,C'W'
LENDONE  BRAS  R14,RANDOM            ; which service
         NHI   R0,7
         SLL   R0,3
         LA    R4,CALLS
         AR    R4,R0
         BR    R4
CALLS    SVC   3
         J     NEXT
         SVC   4
         J     NEXT
         SVC   5
         J     NEXT
         SVC   6
         J     NEXT
         SVC   7
         J     NEXT
         SVC   99
         J     NEXT
         SVC   4
         J     NEXT
         SVC   5
         J     NEXT
NEXT     BRCT  R10,LOOP
         WRTERM DONE,DONELEN
         EXIT  RC=0
* RANDOM: R0 := the next number of a linear congruential generator.
RANDOM   LR    R0,R9
         MS    R0,MULT
         AHI   R0,12345
         LR    R9,R0
         SRL   R0,7                  ; the low bits of an LCG are poor
         BR    R14
MULT     DC    F'1103515245'
GOODFILE FSCB  CHAOS,FILE
DONE     DC    C'CHAOS: 3000 calls, CMS still answers'
DONELEN  EQU   *-DONE
         END   CHAOS
