* A program new PSW that points at an undefined opcode: every program
* interruption causes the next.  A real machine would loop for ever.
         ORG   0
         PSW   0,START
         ORG   LC_PGM_NEW
         PSW   0,BAD
         ORG   0x400
START    DC    X'FF000000'
BAD      DC    X'FF000000'
         END   START
