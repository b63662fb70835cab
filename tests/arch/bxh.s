* bxh.s -- BXH and BXLE: R1 := R1 + R3, compared with R3|1 (the odd
* register of the pair when r3 is even, R3 itself when r3 is odd).
* Loops up and down, the odd-r3 form, and the branch taken/not taken at
* the boundary.
* COVERS: BXH BXLE
         INCLUDE 'lib.s'
         TSTART
* BXLE loop: i = 0, 4, 8, ... <= 36  (10 iterations)
         LHI   R1,0                    ; index
         LHI   R2,4                    ; increment
         LHI   R3,36                   ; limit (R2|1)
         LHI   R5,0                    ; counter
L1       AHI   R5,1
         BXLE  R1,R2,L1
         CHECKR R5,10,1
         CHECKR R1,40,2
* BXH loop counting down: i = 20, 18, ... > 0
         LHI   R1,20
         LHI   R6,-2                   ; increment
         LHI   R7,0                    ; limit
         LHI   R5,0
L2       AHI   R5,1
         BXH   R1,R6,L2
         CHECKR R5,10,3
         CHECKR R1,0,4
* odd r3: the increment is also the comparand
         LHI   R1,0
         LHI   R3,5
         LHI   R5,0
L3       AHI   R5,1
         BXLE  R1,R3,L3                ; 5 <= 5 taken, 10 <= 5 not
         CHECKR R5,2,5
         CHECKR R1,10,6
         LHI   R1,0
         LHI   R3,5
         BXH   R1,R3,F7                ; 5 > 5: not taken
         CHECKR R1,5,7
         BXH   R1,R3,T8                ; 10 > 5: taken
F7       FAIL  8
* R1 may be the even register of the increment pair
T8       LHI   R4,3
         LHI   R5,100                  ; comparand
         BXLE  R4,R4,T9                ; R4 := 6; 6 <= 100 taken
         FAIL  9
T9       CHECKR R4,6,10
* signed comparison
         LHI   R1,-10
         LHI   R2,1
         LHI   R3,-5
         BXH   R1,R2,F11               ; -9 > -5? no
         BXLE  R1,R2,T11               ; -8 <= -5: taken
F11      FAIL  11
T11      CHECKR R1,-8,12
* no CC change
         SETCC 3
         BXLE  R1,R2,T13
         FAIL  13
T13      CHECKCC 3,14
         PASS
         END
