* fpo.s -- fixed-point overflow with the PSW's fixed-point-overflow mask
* (PSW_FPO) on: AR SR A S AHI LPR LCR SLA take a program interruption
* with code 8.  The operation completes (result and CC 3 in the old
* PSW), and the old PSW points after the instruction.  Without overflow
* nothing happens; with the mask off see addsub.s.
* COVERS: program-interrupt fixed-point-overflow
* COVERS: AR SR A S AHI LPR LCR SLA
         INCLUDE 'lib.s'
         TSTART
         LPSW  FPOPSW
FPOON    LHI   R1,1
         LHI   R2,2
         AR    R1,R2                   ; no overflow: no interruption
         CHECKR R1,3,1
* AR
         LI    R1,0x7FFFFFFF
         LHI   R2,1
         PGMTRAP P1R
P1       AR    R1,R2
         FAIL  2
P1R      CHECKPGM PGM_FIXED_OVERFLOW,P1+4,3
         L     R3,P1                   ; the instruction word at 0x094
         C     R3,LC_PGM_INSN
         BRC   8,T35
         FAIL  5
T35      EQU   *
         CHECKR R1,0x80000000,6
         CHECKW LC_PGM_OLD,PSW_FPO|0x3000,7   ; CC 3, mask kept
         LPSW  FPOPSW2                 ; back on with the mask
* SR
FPOON2   LI    R1,0x80000000
         LHI   R2,1
         PGMTRAP P2R
P2       SR    R1,R2
         FAIL  8
P2R      CHECKPGM PGM_FIXED_OVERFLOW,P2+4,9
         CHECKR R1,0x7FFFFFFF,11
         LPSW  FPOPSW3
* A
FPOON3   LI    R1,0x7FFFFFFF
         PGMTRAP P3R
P3       A     R1,W1
         FAIL  12
P3R      CHECKPGM PGM_FIXED_OVERFLOW,P3+4,13
         CHECKR R1,0x80000000,15
         LPSW  FPOPSW4
* S
FPOON4   LI    R1,0x80000000
         PGMTRAP P4R
P4       S     R1,W1
         FAIL  16
P4R      CHECKPGM PGM_FIXED_OVERFLOW,P4+4,17
         CHECKR R1,0x7FFFFFFF,19
         LPSW  FPOPSW5
* AHI
FPOON5   LI    R1,0x7FFFFFFF
         PGMTRAP P5R
P5       AHI   R1,1
         FAIL  20
P5R      CHECKPGM PGM_FIXED_OVERFLOW,P5+4,21
         CHECKR R1,0x80000000,23
         LPSW  FPOPSW6
* LPR
FPOON6   LI    R2,0x80000000
         PGMTRAP P6R
P6       LPR   R1,R2
         FAIL  24
P6R      CHECKPGM PGM_FIXED_OVERFLOW,P6+4,25
         CHECKR R1,0x80000000,27
         LPSW  FPOPSW7
* LCR
FPOON7   LI    R2,0x80000000
         PGMTRAP P7R
P7       LCR   R1,R2
         FAIL  28
P7R      CHECKPGM PGM_FIXED_OVERFLOW,P7+4,29
         CHECKR R1,0x80000000,31
         LPSW  FPOPSW8
* SLA: bits unlike the sign shifted out
FPOON8   LHI   R1,1
         PGMTRAP P8R
P8       SLA   R1,31
         FAIL  32
P8R      CHECKPGM PGM_FIXED_OVERFLOW,P8+4,33
         CHECKW LC_PGM_OLD,PSW_FPO|0x3000,35
         PASS
FPOPSW   PSW   PSW_FPO,FPOON
FPOPSW2  PSW   PSW_FPO,FPOON2
FPOPSW3  PSW   PSW_FPO,FPOON3
FPOPSW4  PSW   PSW_FPO,FPOON4
FPOPSW5  PSW   PSW_FPO,FPOON5
FPOPSW6  PSW   PSW_FPO,FPOON6
FPOPSW7  PSW   PSW_FPO,FPOON7
FPOPSW8  PSW   PSW_FPO,FPOON8
W1       DC    F'1'
         END
