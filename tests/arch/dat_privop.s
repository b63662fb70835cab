* dat_privop.s -- privileged instructions whose storage operand is in an
* invalid page (DAT on): LPSW SSM STNSM STOSM LCTL STCTL SPT STPT SCKC
* STCKC STIDP each take a page-translation exception: nullified (old PSW
* at the instruction, nothing stored, the mask unchanged) with the
* operand's page at 0x08C.  Storing ones into a protected page take a
* protection exception (old PSW after the instruction, nothing stored).
* (Under CP these operands are reached by the emulator through the
* guest's own tables: the same exceptions must come out.)
*   page 0x81 invalid; page 0x82 -> frame 0x42, protected.
* COVERS: dat page-translation protection LPSW SSM STNSM STOSM LCTL
* COVERS: STCTL SPT STPT SCKC STCKC STIDP
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R6,0x11000
         LHI   R2,PTE_INVALID
         ST    R2,4*0x81(,R6)
         LI    R2,0x42000+PTE_PROTECT
         ST    R2,4*0x82(,R6)
         LI    R2,0x42000
         LI    R3,0xEEEEEEEE
         ST    R3,0(,R2)
         ST    R3,4(,R2)
         LCTL  1,1,CR1FULL
         LI    R4,0x81000              ; invalid
         LI    R5,0x82000              ; protected
         LPSW  DP1
* each block: trap, run the instruction, expect code/IA, then back on
T1       PGMTRAP P1R
P1       LPSW  0(R4)
         FAIL  1
P1R      CHECKPGM PGM_PAGE_TRANS,P1,2
         BRAS  R13,TRANS
         LPSW  DP2
T2       PGMTRAP P2R
P2       SSM   0(R4)
         FAIL  4
P2R      CHECKPGM PGM_PAGE_TRANS,P2,5
         BRAS  R13,TRANS
         LPSW  DP3
T3       PGMTRAP P3R
P3       STNSM 0(R4),X'FF'
         FAIL  7
P3R      CHECKPGM PGM_PAGE_TRANS,P3,8
         BRAS  R13,TRANS
         CHECKW LC_PGM_OLD,PSW_T,10    ; the mask is unchanged
         LPSW  DP4
T4       PGMTRAP P4R
P4       STOSM 0(R4),X'03'
         FAIL  11
P4R      CHECKPGM PGM_PAGE_TRANS,P4,12
         BRAS  R13,TRANS
         CHECKW LC_PGM_OLD,PSW_T,14
         LPSW  DP5
T5       PGMTRAP P5R
P5       LCTL  0,0,0(R4)
         FAIL  15
P5R      CHECKPGM PGM_PAGE_TRANS,P5,16
         BRAS  R13,TRANS
         LPSW  DP6
T6       PGMTRAP P6R
P6       STCTL 0,0,0(R4)
         FAIL  18
P6R      CHECKPGM PGM_PAGE_TRANS,P6,19
         BRAS  R13,TRANS
         LPSW  DP7
T7       PGMTRAP P7R
P7       SPT   0(R4)
         FAIL  21
P7R      CHECKPGM PGM_PAGE_TRANS,P7,22
         BRAS  R13,TRANS
         LPSW  DP8
T8       PGMTRAP P8R
P8       STPT  0(R4)
         FAIL  24
P8R      CHECKPGM PGM_PAGE_TRANS,P8,25
         BRAS  R13,TRANS
         LPSW  DP9
T9       PGMTRAP P9R
P9       SCKC  0(R4)
         FAIL  27
P9R      CHECKPGM PGM_PAGE_TRANS,P9,28
         BRAS  R13,TRANS
         LPSW  DP10
T10      PGMTRAP P10R
P10      STCKC 0(R4)
         FAIL  30
P10R     CHECKPGM PGM_PAGE_TRANS,P10,31
         BRAS  R13,TRANS
         LPSW  DP11
T11      PGMTRAP P11R
P11      STIDP 0(R4)
         FAIL  33
P11R     CHECKPGM PGM_PAGE_TRANS,P11,34
         BRAS  R13,TRANS
* stores into the protected page
         LPSW  DP12
T12      PGMTRAP P12R
P12      STCTL 0,1,0(R5)
         FAIL  36
P12R     CHECKPGM PGM_PROTECTION,P12+4,37
         LPSW  DP13
T13      PGMTRAP P13R
P13      STIDP 0(R5)
         FAIL  39
P13R     CHECKPGM PGM_PROTECTION,P13+4,40
         LPSW  DP14
T14      PGMTRAP P14R
P14      STCKC 0(R5)
         FAIL  42
P14R     CHECKPGM PGM_PROTECTION,P14+4,43
         LPSW  DP15
T15      PGMTRAP P15R
P15      STNSM 0(R5),X'FF'
         FAIL  45
P15R     CHECKPGM PGM_PROTECTION,P15+4,46
* nothing was stored in the protected frame; loads from it are fine
         LI    R2,0x42000
         CHECKW 0(R2),0xEEEEEEEE,48
         CHECKW 4(R2),0xEEEEEEEE,49
         LPSW  DP16
T16      LCTL  5,5,0(R5)               ; a load from a protected page
         STCTL 5,5,SAVEW
         CHECKW SAVEW,0xEEEEEEEE,50
         STNSM SAVEM,X'FB'
         LCTL  0,1,ZEROS
         PASS
* TRANS: check that 0x08C names page 0x81; return on R13
TRANS    L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CLHI  R1,X'81'
         BCR   8,R13
         FAIL  51
DP1      PSW   PSW_T,T1
DP2      PSW   PSW_T,T2
DP3      PSW   PSW_T,T3
DP4      PSW   PSW_T,T4
DP5      PSW   PSW_T,T5
DP6      PSW   PSW_T,T6
DP7      PSW   PSW_T,T7
DP8      PSW   PSW_T,T8
DP9      PSW   PSW_T,T9
DP10     PSW   PSW_T,T10
DP11     PSW   PSW_T,T11
DP12     PSW   PSW_T,T12
DP13     PSW   PSW_T,T13
DP14     PSW   PSW_T,T14
DP15     PSW   PSW_T,T15
DP16     PSW   PSW_T,T16
CR1FULL  DC    A(0x10000+1023)
ZEROS    DC    F'0,0'
SAVEW    DC    F'0'
SAVEM    DC    X'00'
         END
