* io_dat.s -- channel programs use real addresses, whatever the CPU's
* translation: with DAT on and virtual page 0x80 mapped to real frame
* 0x30, the CAW, the CCWs and their data addresses are real.  A line
* built through virtual 0x80000 is written from real 0x30000; a card read
* into real 0x30100 is seen at virtual 0x80100.  (Under CP this is what
* CCW translation must preserve.)
* COVERS: dat io caw console reader
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R1,0x11000+4*0x80
         LI    R2,0x30000
         ST    R2,0(,R1)               ; page 0x80 -> frame 0x30
         LI    R1,0x30000              ; the CCWs live in frame 0x30 too
         LI    R2,(CCW_CMD_WRITE<<24)|12
         ST    R2,X'200'(,R1)
         LI    R2,0x30000
         ST    R2,X'204'(,R1)
         LI    R2,(CCW_CMD_READ<<24)|80
         ST    R2,X'208'(,R1)
         LI    R2,0x30100
         ST    R2,X'20C'(,R1)
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
* build the line through the virtual address
DATON    LI    R4,0x80000
         LA    R1,0(,R4)
         LA    R2,TEXT
         LHI   R3,12
         MVC   R1,R2,R3
* write it: CAW = real 0x30200
         LI    R2,0x30200
         ST    R2,LC_CAW
         LHI   R1,X'009'
         BRAS  R14,DOIO
         CHECKR R15,0,1
         CHECKW LC_CSW,0x30208,2
         CHECKCSW UNIT_CE|UNIT_DE,0,0,3
* read a card into real 0x30100
         LI    R2,0x30208
         ST    R2,LC_CAW
         LHI   R1,X'00C'
         BRAS  R14,DOIO
         CHECKR R15,0,4
         CHECKCSW UNIT_CE|UNIT_DE,0,0,5
         L     R1,X'100'(,R4)          ; virtual 0x80100
         CHECKR R1,C'REAL',6
* real 0x80100 (identity page 0x80 is not mapped there): untouched
         STNSM SAVEM,X'FB'
         LI    R4,0x80100
         L     R1,0(,R4)
         CHECKR R1,0,7
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
SAVEM    DC    X'00'
TEXT     DC    C'VIRTUAL LINE'
         END
