* operation.s -- operation exception (code 1) for undefined opcodes; the
* old PSW points after the instruction and the instruction word is
* stored at 0x094 (LC_PGM_INSN).
* COVERS: program-interrupt operation
         INCLUDE 'lib.s'
         TSTART
         PGMTRAP P1R
P1       DC    X'00000000'
         FAIL  1
P1R      CHECKPGM PGM_OPERATION,P1+4,2
         CHECKW LC_PGM_INSN,0,4
         PGMTRAP P2R
P2       DC    X'FF123456'
         FAIL  5
P2R      CHECKPGM PGM_OPERATION,P2+4,6
         CHECKW LC_PGM_INSN,0xFF123456,8
         PGMTRAP P3R
P3       DC    X'44100000'             ; EX on S/370, not in VL32
         FAIL  9
P3R      CHECKPGM PGM_OPERATION,P3+4,10
         CHECKW LC_PGM_INSN,0x44100000,12
         PGMTRAP P4R
P4       DC    X'0B000000'
         FAIL  13
P4R      CHECKPGM PGM_OPERATION,P4+4,14
         PGMTRAP P5R
P5       DC    X'99000000'
         FAIL  16
P5R      CHECKPGM PGM_OPERATION,P5+4,17
         PGMTRAP P6R
P6       DC    X'B3000000'
         FAIL  19
P6R      CHECKPGM PGM_OPERATION,P6+4,20
* an undefined opcode in problem state is still an operation exception
         PGMTRAP P7R
         LPSW  PROBPSW
P7       DC    X'E7000000'
         FAIL  22                      ; (privileged in problem state)
P7R      CHECKPGM PGM_OPERATION,P7+4,23
         CHECKW LC_PGM_OLD,PSW_PROBLEM,25
         PASS
PROBPSW  PSW   PSW_PROBLEM,P7
         END
