* dat_block.s -- MVC and CLC of 4096 bytes with DAT on, both operands
* crossing a page boundary into non-contiguous frames:
*   source virtual 0x80800..0x817FF: pages 0x80 -> frame 0x30,
*                                    0x81 -> frame 0x45
*   target virtual 0x90400..0x913FF: pages 0x90 -> frame 0x50,
*                                    0x91 -> frame 0x33
* The bytes land in the right frames (checked with DAT off), CLC sees
* them equal, and a difference in the second page is found.
* COVERS: dat MVC CLC
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R6,0x11000
         LI    R2,0x30000
         ST    R2,4*0x80(,R6)
         LI    R2,0x45000
         ST    R2,4*0x81(,R6)
         LI    R2,0x50000
         ST    R2,4*0x90(,R6)
         LI    R2,0x33000
         ST    R2,4*0x91(,R6)
* source pattern in real storage: frame 0x30 bytes 0x800.. = i & 0xFF for
* i = 0..0x7FF, frame 0x45 bytes 0..0x7FF = (i + 0x800) & 0xFF ^ 0x55
         LI    R7,0x30800
         LHI   R1,0
SRC1     STC   R1,0(R1,R7)
         AHI   R1,1
         CHI   R1,X'800'
         BRC   4,SRC1
         LI    R7,0x45000
         LHI   R1,0
SRC2     LR    R2,R1
         XHI   R2,X'55'
         STC   R2,0(R1,R7)
         AHI   R1,1
         CHI   R1,X'800'
         BRC   4,SRC2
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
DATON    LI    R1,0x90400
         LI    R2,0x80800
         LHI   R3,4096
         MVC   R1,R2,R3
         CLC   R1,R2,R3
         CHECKCC 0,1
         STNSM SAVEM,X'FB'
* frame 0x50 +0x400..0xFFF holds source bytes 0..0xBFF
         LI    R4,0x50400
         LLC   R1,0(,R4)
         CHECKR R1,0,2
         LLC   R1,X'3FF'(,R4)          ; source i = 0x3FF
         CHECKR R1,0xFF,3
         LI    R4,0x50FFF              ; source i = 0xBFF: frame 0x45 +0x3FF
         LLC   R1,0(,R4)
         CHECKR R1,0xFF^0x55,4
* frame 0x33 +0..0x3FF holds source bytes 0xC00..0xFFF
         LI    R4,0x33000              ; source i = 0xC00: frame 0x45 +0x400
         LLC   R1,0(,R4)
         CHECKR R1,0x00^0x55,5
         LLC   R1,X'3FF'(,R4)          ; source i = 0xFFF
         CHECKR R1,0xFF^0x55,6
         LLC   R1,X'400'(,R4)          ; beyond the move: untouched
         CHECKR R1,0,7
* a difference in the target's second page
         LHI   R1,X'AA'
         STC   R1,X'100'(,R4)
         LPSW  DATPSW2
DATON2   LI    R1,0x90400
         LI    R2,0x80800
         LHI   R3,4096
         CLC   R1,R2,R3
         CHECKCC 2,8                   ; X'AA' > the source byte
         STNSM SAVEM,X'FB'
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
DATPSW2  PSW   PSW_T,DATON2
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
SAVEM    DC    X'00'
         END
