* dat_exec.s -- instruction fetch follows translation changes made by
* the running code itself, in the page it is running in:
*   1. code in virtual page 0x90 (frame 0x50) remaps its own page to
*      frame 0x51 and issues PTLB: the next instruction comes from 0x51;
*   2. the same with LCTL (which also purges);
*   3. code at virtual 0x90200 (frame 0x50) turns DAT off with STNSM: the
*      next instruction comes from real 0x90204;
*   4. code at real 0x91300 turns DAT on with SSM: the next instruction
*      comes from virtual 0x91304 = frame 0x52.
* (A simulator that keeps a host pointer to the current instruction page
* must drop it on PTLB, LCTL and a change of the DAT bit.)
* COVERS: dat tlb PTLB LCTL SSM STNSM
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R6,0x11000+4*0x90       ; PTE of page 0x90
         LI    R7,0x50000
         LI    R8,0x51000
         ST    R7,0(,R6)
         LI    R1,0x52000
         ST    R1,4(,R6)               ; page 0x91 -> frame 0x52
* copy the code fragments into place
         LI    R1,0x50000
         LA    R2,F1
         LHI   R3,20
         MVC   R1,R2,R3
         LI    R1,0x5100C
         LA    R2,F1NEW
         LHI   R3,8
         MVC   R1,R2,R3
         LI    R1,0x50100
         LA    R2,F2
         LHI   R3,16
         MVC   R1,R2,R3
         LI    R1,0x51108
         LA    R2,F2NEW
         LHI   R3,8
         MVC   R1,R2,R3
         LI    R1,0x50200
         LA    R2,F3
         LHI   R3,12
         MVC   R1,R2,R3
         LI    R1,0x90204
         LA    R2,F3REAL
         LHI   R3,8
         MVC   R1,R2,R3
         LI    R1,0x91300
         LA    R2,F4
         LHI   R3,12
         MVC   R1,R2,R3
         LI    R1,0x52304
         LA    R2,F4VIRT
         LHI   R3,8
         MVC   R1,R2,R3
         LCTL  1,1,CR1FULL
* 1. PTLB
         LPSW  DATPSW
DATON    LI    R5,0x90000
         LHI   R1,0
         BALR  R14,R5
         CHECKR R1,3,1
* 2. LCTL
         ST    R7,0(,R6)
         PTLB
         LI    R5,0x90100
         LHI   R1,0
         BALR  R14,R5
         CHECKR R1,7,2
* 3. STNSM turns DAT off
         ST    R7,0(,R6)
         PTLB
         LI    R5,0x90200
         LHI   R1,0
         BALR  R14,R5
         CHECKR R1,9,3
* 4. SSM turns DAT on (DAT is off now)
         LI    R5,0x91300
         LHI   R1,0
         BALR  R14,R5
         CHECKR R1,11,4
         STNSM SAVEM,X'FB'
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
SAVEM    DC    X'00'
MASKT    DC    X'04'
         ALIGN 4
* fragment 1: at frame 0x50 +0
F1       LHI   R1,1
         ST    R8,0(,R6)               ; page 0x90 -> frame 0x51
         PTLB
         LHI   R1,2                    ; (old frame: not to be run)
         BR    R14
F1NEW    LHI   R1,3                    ; at frame 0x51 +12
         BR    R14
* fragment 2: at frame 0x50 +0x100
F2       ST    R8,0(,R6)
         LCTL  1,1,CR1FULL
         LHI   R1,6                    ; (old frame)
         BR    R14
F2NEW    LHI   R1,7                    ; at frame 0x51 +0x108
         BR    R14
* fragment 3: at frame 0x50 +0x200 (virtual 0x90200)
F3       STNSM SAVEM,X'FB'
         LHI   R1,8                    ; (frame 0x50: not to be run)
         BR    R14
F3REAL   LHI   R1,9                    ; at real 0x90204
         BR    R14
* fragment 4: at real 0x91300
F4       SSM   MASKT
         LHI   R1,10                   ; (real 0x91304: not to be run)
         BR    R14
F4VIRT   LHI   R1,11                   ; at frame 0x52 +0x304
         BR    R14
         END
