* wait_ckc.s -- an enabled wait woken by the clock comparator (see
* wait.s for the CPU timer): the old PSW is the wait PSW, the code
* 0x1004, and the TOD clock has passed the comparator.
* EQUIV: timing    (stores clock/timer values or counts that depend on timing)
* COVERS: wait-state clock-comparator external-interrupt
         INCLUDE 'lib.s'
         TSTART
         STCK  TOD1
         L     R1,TOD1
         L     R2,TOD1+4
         AL    R2,C3000
         BRC   12,NOC
         AHI   R1,1
NOC      STM   R1,R2,CKC
         SCKC  CKC
         LCTL  0,0,CR0CKC
         SETNEW LC_EXT_NEW,EXT1
         LPSW  WAIT1
         FAIL  1
EXT1     STCK  TOD2
         SETNEW LC_EXT_NEW,UNEXP_EXT
         CHECKW LC_EXT_CODE,EXT_CLOCK_COMP,2
         CHECKW LC_EXT_OLD,PSW_WAIT|PSW_EXT|0x1000,3   ; CC 1 from the PSW
         CHECKW LC_EXT_OLD+4,WADDR1,4
         L     R1,TOD2+4
         S     R1,TOD1+4
         CHI   R1,3000
         BRC   4,F5
         J     T6
F5       FAIL  5
T6       LCTL  0,0,CR0OFF
         PASS
WADDR1   FAIL  6                       ; never executed: wait PSW address
         ALIGN 8
WAIT1    PSW   PSW_WAIT|PSW_EXT|0x1000,WADDR1
TOD1     DC    D'0'
TOD2     DC    D'0'
CKC      DC    D'0'
C3000    DC    F'3000'
CR0CKC   DC    A(CR0_CKC_MASK)
CR0OFF   DC    F'0'
         END
