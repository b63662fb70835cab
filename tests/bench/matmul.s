* matmul.s -- integer matrix multiply C = A x B, 100 x 100 words, with
* A[i][k] = i + k and B[k][j] = k - j; every C[i][j] is checked against
* the closed form i*S1 - N*i*j + S2 - j*S1 (S1 = sum k = 4950, S2 = sum
* k^2 = 328350).  The inner loop is load, multiply (MS), add, two index
* steps and BRCT: about 6.5 million guest instructions.
* BENCH: 100x100 integer matrix multiply (MS inner loop) + full check
         INCLUDE '../arch/lib.s'
         TSTART
MM_N     EQU   100
MM_ROW   EQU   MM_N*4
         LI    R10,0x40000             ; A
         LI    R11,0x50000             ; B
         LI    R12,0x60000             ; C
* fill A and B
         LHI   R1,0                    ; i (row)
         LR    R6,R10
         LR    R7,R11
MMF1     LHI   R2,0                    ; j (column)
MMF2     LR    R3,R1
         AR    R3,R2
         ST    R3,0(,R6)               ; A[i][j] = i + j
         LR    R3,R1
         SR    R3,R2
         ST    R3,0(,R7)               ; B[i][j] = i - j
         AHI   R6,4
         AHI   R7,4
         AHI   R2,1
         CHI   R2,MM_N
         BRC   4,MMF2
         AHI   R1,1
         CHI   R1,MM_N
         BRC   4,MMF1
* C[i][j] = sum over k of A[i][k] * B[k][j]
         LHI   R1,0                    ; i
         LR    R9,R12                  ; &C[i][j]
MMI      LHI   R2,0                    ; j
MMJ      LR    R6,R1
         MHI   R6,MM_ROW
         AR    R6,R10                  ; &A[i][0]
         LR    R7,R2
         SLL   R7,2
         AR    R7,R11                  ; &B[0][j]
         LHI   R4,0                    ; sum
         LHI   R8,MM_N                 ; k count
MMK      L     R5,0(,R6)
         MS    R5,0(,R7)
         AR    R4,R5
         AHI   R6,4
         AHI   R7,MM_ROW
         BRCT  R8,MMK
         ST    R4,0(,R9)
         AHI   R9,4
         AHI   R2,1
         CHI   R2,MM_N
         BRC   4,MMJ
         AHI   R1,1
         CHI   R1,MM_N
         BRC   4,MMI
* check every element
         LHI   R1,0
         LR    R9,R12
MMCI     LHI   R2,0
MMCJ     LR    R3,R1
         MHI   R3,4950                 ; i*S1
         LR    R4,R1
         MSR   R4,R2
         MHI   R4,MM_N                 ; N*i*j
         SR    R3,R4
         A     R3,S2                   ; + S2
         LR    R4,R2
         MHI   R4,4950                 ; j*S1
         SR    R3,R4
         C     R3,0(,R9)
         BRC   7,MMBAD
         AHI   R9,4
         AHI   R2,1
         CHI   R2,MM_N
         BRC   4,MMCJ
         AHI   R1,1
         CHI   R1,MM_N
         BRC   4,MMCI
* and one known value: C[37][81] = -189150
         LI    R9,0x60000+(37*MM_N+81)*4
         L     R3,0(,R9)
         CHECKR R3,-189150,2
         PASS
MMBAD    FAIL  1
S2       DC    F'328350'
         END
