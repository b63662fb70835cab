* timer.s -- the CPU timer: SPT and STPT, the timer counting down in
* simulated cycles, and the CPU-timer external interruption (code
* 0x1005) when the timer is negative, taken only when both the PSW's
* external mask and the CR0 CPU-timer subclass mask (CR0_TIMER_MASK) are
* on -- and at once when the second of them is turned on.
* EQUIV: timing    (stores clock/timer values or counts that depend on timing)
* COVERS: SPT STPT timer external-interrupt
         INCLUDE 'lib.s'
         TSTART
* SPT / STPT
         SPT   T1M
         STPT  V1
         STPT  V2
         CHECKW V1,0,1                 ; high word
         CHECKW V2,0,2
         L     R1,V1+4
         L     R2,V2+4
         CL    R1,C1M
         BRC   2,F3                    ; above the value set
         CLR   R2,R1
         BRC   4,T4                    ; strictly decreasing
F3       FAIL  3
T4       LI    R3,1000000-1000
         CLR   R1,R3
         BRC   4,F3                    ; and not by much
* SPT of a negative value reads back negative
         SPT   TNEG
         STPT  V1
         CHECKW V1,0xFFFFFFFF,4
* a negative timer but the CR0 subclass mask off: no interruption
         SPT   T0
         SSM   MEXT
         LHI   R3,1000
L5       BRCT  R3,L5
         SSM   MNONE
* the CR0 mask on but the PSW disabled: no interruption
         LCTL  0,0,CR0TIM
         LHI   R3,1000
L6       BRCT  R3,L6
* enable: the interruption comes right after the SSM
         SETNEW LC_EXT_NEW,EXT1
S7       SSM   MEXT
         FAIL  5
EXT1     SETNEW LC_EXT_NEW,UNEXP_EXT
         CHECKW LC_EXT_CODE,EXT_CPU_TIMER,6
         CHECKW LC_EXT_OLD+4,S7+4,7
         L     R1,LC_EXT_OLD
         N     R1,NOCC
         CHECKR R1,PSW_EXT,8
* the timer runs down in a loop: SPT 500, count iterations
         SPT   T500
         SETNEW LC_EXT_NEW,EXT2
         LHI   R3,0
         SSM   MEXT
L9       AHI   R3,1
         CHI   R3,20000
         BRC   4,L9
         FAIL  9                       ; never interrupted
EXT2     SETNEW LC_EXT_NEW,UNEXP_EXT
         CHECKW LC_EXT_CODE,EXT_CPU_TIMER,10
         CHI   R3,20                   ; 500 cycles: at least 20 passes
         BRC   4,F11
         CHI   R3,500                  ; ... and at most 500
         BRC   2,F11
         J     T12
F11      FAIL  11
T12      STPT  V1
         CHECKW V1,0xFFFFFFFF,12       ; negative now
         L     R1,LC_EXT_OLD+4
         LA    R2,L9
         CLR   R1,R2
         BRC   4,F13
         LA    R2,L9+12
         CLR   R1,R2
         BRC   2,F13
         J     T14
F13      FAIL  13
* the timer interrupts a problem-state program
T14      SPT   T500
         SETNEW LC_EXT_NEW,EXT15
         LPSW  PROBPSW
PROB     J     PROB
EXT15    SETNEW LC_EXT_NEW,UNEXP_EXT
         CHECKW LC_EXT_CODE,EXT_CPU_TIMER,14
         L     R1,LC_EXT_OLD
         N     R1,NOCC
         CHECKR R1,PSW_EXT|PSW_PROBLEM,15
         CHECKW LC_EXT_OLD+4,PROB,16
         LCTL  0,0,CR0OFF
         PASS
PROBPSW  PSW   PSW_EXT|PSW_PROBLEM,PROB
         ALIGN 8
T1M      DC    D'1000000'
TNEG     DC    D'-5'
T0       DC    D'0'
T500     DC    D'500'
V1       DC    D'0'
V2       DC    D'0'
C1M      DC    F'1000000'
CR0TIM   DC    A(CR0_TIMER_MASK)
CR0OFF   DC    F'0'
NOCC     DC    A(0xFFFFCFFF)
MEXT     DC    X'01'
MNONE    DC    X'00'
         END
