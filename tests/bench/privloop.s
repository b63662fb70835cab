* BENCH: a loop of privileged instructions (SSM, STOSM, STNSM, STCTL,
* LCTL, SPT, STPT, PTLB): on the bare machine they run directly; under
* CP every one of them traps and is emulated, which is what this
* measures (host instructions per emulated instruction).
         ORG   0
         PSW   0,START
         ORG   0x400
START    LUI   R1,1             ; 65536 rounds of 8 privileged instructions
LOOP     SSM   ZERO
         STOSM MASK,0x00
         STNSM MASK,0xFF
         STCTL 0,0,CRSAVE
         LCTL  0,0,CRSAVE
         SPT   TIMER
         STPT  TIMER2
         PTLB
         BRCT  R1,LOOP
         LPSW  DONE
         DS    0D
DONE     PSW   PSW_WAIT,0
TIMER    DC    D'1000000000'
TIMER2   DS    D
CRSAVE   DS    F
ZERO     DC    X'00'
MASK     DS    X
         END   START
