* psw.s -- LPSW, SSM, STNSM, STOSM.  LPSW loads masks, state, CC and
* address; a PSW with reserved bits set, or with an address that is not
* a multiple of 4, is a specification exception.  SSM/STNSM/STOSM work
* on the system mask (the first PSW byte: T I E); the PSW is observed
* through the SVC old PSW.
* COVERS: LPSW SSM STNSM STOSM
         INCLUDE 'lib.s'
         TSTART SVC=SVCH
* LPSW sets the CC
         LPSW  CC3PSW
T1       CHECKCC 3,1
         LPSW  CC1PSW
T2       CHECKCC 1,2
* SSM: enable I/O and external (nothing is pending)
         SSM   MASK03
         SETCC 1
         SVC   1
         CHECKW LC_SVC_OLD,PSW_IO|PSW_EXT|0x1000,3   ; CC 1 kept
         SSM   MASK00
         SETCC 1
         SVC   2
         CHECKW LC_SVC_OLD,0x1000,4
* STOSM: store the old mask, OR in the immediate
         STOSM SAVED,X'02'
         CHECKB SAVED,0x00,5
         SETCC 1
         SVC   3
         CHECKW LC_SVC_OLD,PSW_IO|0x1000,6
         STOSM SAVED,X'01'
         CHECKB SAVED,0x02,7
         SETCC 1
         SVC   4
         CHECKW LC_SVC_OLD,PSW_IO|PSW_EXT|0x1000,8
* STNSM: store the old mask, AND with the immediate
         STNSM SAVED,X'FD'
         CHECKB SAVED,0x03,9
         SETCC 1
         SVC   5
         CHECKW LC_SVC_OLD,PSW_EXT|0x1000,10
         STNSM SAVED,X'00'
         CHECKB SAVED,0x01,11
         SETCC 1
         SVC   6
         CHECKW LC_SVC_OLD,0x1000,12
* STOSM/STNSM store only one byte
         LI    R1,0x11223344
         ST    R1,SAVEW
         STOSM SAVEW+1,X'00'
         CHECKW SAVEW,0x11003344,13
* LPSW into problem state, then back via SVC
         LPSW  PROBPSW
PROB     SVC   X'99'
         FAIL  14
* LPSW of invalid PSWs: specification
T15      PGMTRAP P15R
P15      LPSW  BADPSW1                 ; reserved bit 0
         FAIL  15
P15R     CHECKPGMC PGM_SPECIFICATION,16
         PGMTRAP P17R
P17      LPSW  BADPSW2                 ; reserved bit 31
         FAIL  17
P17R     CHECKPGMC PGM_SPECIFICATION,18
         PGMTRAP P19R
P19      LPSW  BADPSW3                 ; address 2 mod 4
         FAIL  19
P19R     CHECKPGMC PGM_SPECIFICATION,20
         PGMTRAP P25R
P25      LPSW  BADPSW4                 ; reserved bit 16
         FAIL  21
P25R     CHECKPGMC PGM_SPECIFICATION,22
         PGMTRAP P27R
P27      LPSW  BADPSW5                 ; reserved bit 21
         FAIL  23
P27R     CHECKPGMC PGM_SPECIFICATION,24
         PGMTRAP P29R
P29      LPSW  BADPSW6                 ; reserved bit 4
         FAIL  25
P29R     CHECKPGMC PGM_SPECIFICATION,26
* SSM / STOSM that would set a reserved system-mask bit (vl32.h: bits
* shown as 0 must be zero): specification
         PGMTRAP P31R
P31      SSM   MASKF8
         FAIL  27
P31R     CHECKPGM PGM_SPECIFICATION,P31+4,28
         PGMTRAP P34R
P34      STOSM SAVED,X'08'
         FAIL  30
P34R     CHECKPGM PGM_SPECIFICATION,P34+4,31
* a valid problem-state PSW with the FPO and machine-check masks: LPSW
* does not return
         LPSW  OKPSW
         FAIL  33
T22      CHECKW LC_SVC_OLD,PSW_PROBLEM|PSW_FPO|PSW_MCK,34
         PASS
* the SVC handler: return, except for SVC X'99' and X'77'
SVCH     L     R15,LC_SVC_CODE
         CHI   R15,X'99'
         BRC   8,SVCH99
         CHI   R15,X'77'
         BRC   8,T22
         LPSW  LC_SVC_OLD
SVCH99   CHECKW LC_SVC_OLD,PSW_PROBLEM,35
         CHECKW LC_SVC_OLD+4,PROB+4,36
         J     T15
OKPROB   SVC   X'77'
CC3PSW   PSW   0x3000,T1
CC1PSW   PSW   0x1000,T2
PROBPSW  PSW   PSW_PROBLEM,PROB
OKPSW    PSW   PSW_PROBLEM|PSW_FPO|PSW_MCK,OKPROB
BADPSW1  DC    A(0x80000000,T15)
BADPSW2  DC    A(0x00000001,T15)
BADPSW3  DC    A(0,T15+2)
BADPSW4  DC    A(0x00008000,T15)
BADPSW5  DC    A(0x00000400,T15)
BADPSW6  DC    A(0x08000000,T15)
MASK03   DC    X'03'
MASK00   DC    X'00'
MASKF8   DC    X'F8'
SAVED    DC    X'FF'
         ALIGN 4
SAVEW    DC    F'0'
         END
