* wait.s -- the enabled wait state: LPSW of a PSW with PSW_WAIT and the
* external mask sleeps until the CPU timer (then the clock comparator)
* interrupts; simulated time moves on while waiting; the old PSW is the
* wait PSW (wait bit on, its address).
* EQUIV: timing    (stores clock/timer values or counts that depend on timing)
* COVERS: wait-state timer clock-comparator external-interrupt
         INCLUDE 'lib.s'
         TSTART
         STCK  TOD1
         SPT   T5000
         LCTL  0,0,CR0TIM
         SETNEW LC_EXT_NEW,EXT1
         LPSW  WAIT1
         FAIL  1
EXT1     STCK  TOD2
         SETNEW LC_EXT_NEW,UNEXP_EXT
         CHECKW LC_EXT_CODE,EXT_CPU_TIMER,2
         CHECKW LC_EXT_OLD,PSW_WAIT|PSW_EXT,3
         CHECKW LC_EXT_OLD+4,WADDR1,4
* at least 5000 cycles went by
         L     R1,TOD2+4
         S     R1,TOD1+4
         CHI   R1,5000
         BRC   4,F5
         J     T6
F5       FAIL  5
* the clock comparator wakes a wait too
T6       SPT   TBIG
         STCK  TOD1
         L     R1,TOD1
         L     R2,TOD1+4
         AL    R2,C3000
         BRC   12,NOC
         AHI   R1,1
NOC      STM   R1,R2,CKC
         SCKC  CKC
         LCTL  0,0,CR0CKC
         SETNEW LC_EXT_NEW,EXT2
         LPSW  WAIT2
         FAIL  6
EXT2     STCK  TOD2
         SETNEW LC_EXT_NEW,UNEXP_EXT
         CHECKW LC_EXT_CODE,EXT_CLOCK_COMP,7
         CHECKW LC_EXT_OLD,PSW_WAIT|PSW_EXT|0x2000,8   ; CC 2 from the PSW
         CHECKW LC_EXT_OLD+4,WADDR2,9
         L     R1,TOD2+4
         S     R1,TOD1+4
         CHI   R1,3000
         BRC   4,F10
         J     T11
F10      FAIL  10
T11      LCTL  0,0,CR0OFF
         PASS
WADDR1   FAIL  11                      ; never executed: wait PSW address
WADDR2   FAIL  12
         ALIGN 8
WAIT1    PSW   PSW_WAIT|PSW_EXT,WADDR1
WAIT2    PSW   PSW_WAIT|PSW_EXT|0x2000,WADDR2
T5000    DC    D'5000'
TBIG     DC    X'7FFFFFFFFFFFFFFF'
TOD1     DC    D'0'
TOD2     DC    D'0'
CKC      DC    D'0'
C3000    DC    F'3000'
CR0TIM   DC    A(CR0_TIMER_MASK)
CR0CKC   DC    A(CR0_CKC_MASK)
CR0OFF   DC    F'0'
         END
