* ckc.s -- the clock comparator: SCKC and STCKC, and the clock-comparator
* external interruption (code 0x1004) when the TOD clock passes the
* comparator, with the PSW external mask and CR0_CKC_MASK on.
* EQUIV: timing    (stores clock/timer values or counts that depend on timing)
* COVERS: SCKC STCKC clock-comparator external-interrupt
         INCLUDE 'lib.s'
         TSTART
* SCKC / STCKC round trip
         SCKC  BIG
         STCKC V1
         CHECKW V1,0x7FFFFFFF,1
         CHECKW V1+4,0x12345678,2
* a comparator in the future: no interruption yet
         LCTL  0,0,CR0CKC
         SSM   MEXT
         LHI   R3,100
L3       BRCT  R3,L3
         SSM   MNONE
* comparator = now + 2000 cycles; loop until the interruption
         STCK  V1
         L     R1,V1
         L     R2,V1+4
         AL    R2,C2000
         BRC   12,NOC                  ; CC 0/1: no carry
         AHI   R1,1
NOC      STM   R1,R2,V2
         SCKC  V2
         SETNEW LC_EXT_NEW,EXT1
         LHI   R3,0
         SSM   MEXT
L4       AHI   R3,1
         CHI   R3,30000
         BRC   4,L4
         FAIL  3
EXT1     STCK  V3
         SETNEW LC_EXT_NEW,UNEXP_EXT
         CHECKW LC_EXT_CODE,EXT_CLOCK_COMP,4
         CHI   R3,100                  ; 2000 cycles: some passes
         BRC   4,F5
         CHI   R3,2000
         BRC   2,F5
         J     T6
F5       FAIL  5
* now >= comparator
T6       L     R1,V3
         C     R1,V2
         BRC   2,T7                    ; high word greater
         BRC   4,F7
         L     R1,V3+4
         CL    R1,V2+4
         BRC   10,T7                   ; equal or high
F7       FAIL  6
* the condition persists while TOD > comparator: enable again -> again
T7       SETNEW LC_EXT_NEW,EXT8
S8       SSM   MEXT
         FAIL  7
EXT8     SETNEW LC_EXT_NEW,UNEXP_EXT
         CHECKW LC_EXT_CODE,EXT_CLOCK_COMP,8
         CHECKW LC_EXT_OLD+4,S8+4,9
* a comparator far in the future: quiet
         SCKC  BIG
         SSM   MEXT
         LHI   R3,100
L11      BRCT  R3,L11
         SSM   MNONE
         LCTL  0,0,CR0OFF
         PASS
         ALIGN 8
BIG      DC    X'7FFFFFFF12345678'
V1       DC    D'0'
V2       DC    D'0'
V3       DC    D'0'
C2000    DC    F'2000'
CR0CKC   DC    A(CR0_CKC_MASK)
CR0OFF   DC    F'0'
MEXT     DC    X'01'
MNONE    DC    X'00'
         END
