* dat_mvc.s -- translation exceptions in MVC and CLC operands: the
* translation-exception address at 0x08C names the page that failed --
* the second operand's, or the second page of an operand that crosses a
* page boundary -- not just the first operand's start.  The operation is
* nullified (old PSW at the instruction, nothing stored).  A monitor
* (CP's shadow tables) relies on 0x08C to know which page to bring in.
*   page 0x80 -> frame 0x30, pages 0x81 and 0x82 invalid.
* COVERS: dat page-translation MVC CLC
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R1,0x11000+4*0x80
         LI    R2,0x30000
         ST    R2,0(,R1)
         LHI   R2,PTE_INVALID
         ST    R2,4(,R1)
         ST    R2,8(,R1)
         LCTL  1,1,CR1FULL
         LPSW  DATPSW
* the source (second operand) is in an invalid page
DATON    LI    R1,0x80000
         LI    R2,0x82000
         LHI   R3,8
         PGMTRAP P1R
P1       MVC   R1,R2,R3
         FAIL  1
P1R      CHECKPGM PGM_PAGE_TRANS,P1,2
         L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CHECKR R1,0x82,4
* the destination runs from page 0x80 into invalid page 0x81: nothing
* is stored, not even in page 0x80
         LPSW  DATPSW2
DATON2   LI    R1,0x80FFC
         LA    R2,SRC
         LHI   R3,8
         PGMTRAP P5R
P5       MVC   R1,R2,R3
         FAIL  5
P5R      CHECKPGM PGM_PAGE_TRANS,P5,6
         L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CHECKR R1,0x81,8
         LI    R2,0x30FFC              ; real address of virtual 0x80FFC
         L     R1,0(,R2)
         CHECKR R1,0,9
* CLC with its second operand in an invalid page
         LPSW  DATPSW3
DATON3   LI    R1,0x80000
         LI    R2,0x82000
         LHI   R3,4
         PGMTRAP P10R
P10      CLC   R1,R2,R3
         FAIL  10
P10R     CHECKPGM PGM_PAGE_TRANS,P10,11
         L     R1,LC_TRANS_ADDR
         SRL   R1,12
         CHECKR R1,0x82,13
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
DATPSW2  PSW   PSW_T,DATON2
DATPSW3  PSW   PSW_T,DATON3
CR1FULL  DC    A(0x10000+1023)
CR1ZERO  DC    F'0'
SRC      DC    C'ABCDEFGH'
         END
