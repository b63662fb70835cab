* An external new PSW enabled for the same timer condition that never
* goes away (SPT 1, handler never resets it): interruption after
* interruption, no instruction completes.
         ORG   0
         PSW   0,START
         ORG   LC_EXT_NEW
         PSW   PSW_EXT,HANDLER
         ORG   0x400
START    SPT   ONE
         LCTL  0,0,CR0
         SSM   EXTON
         J     START
HANDLER  J     HANDLER
         DS    0D
ONE      DC    D'1'
CR0      DC    A(CR0_TIMER_MASK)
EXTON    DC    X'01'
         END   START
