* stidp.s -- STIDP on the bare machine: version byte X'00', the model
* number X'0032' in bytes 4-5, bytes 6-7 zero.  (Under CP the version
* byte is X'FF': this test is only meaningful on the bare machine.)
* EQUIV: bare      (checks that it runs on the real machine, not under CP)
* COVERS: STIDP
         INCLUDE 'lib.s'
         TSTART
         LI    R1,0xEEEEEEEE
         ST    R1,ID
         ST    R1,ID+4
         SETCC 2
         STIDP ID
         CHECKCC 2,1                   ; no CC change (not specified otherwise)
         CHECKB ID,CPUID_VERSION_BARE,2
         CHECKH ID+4,CPUID_MODEL,3
         CHECKH ID+6,0,4
         PASS
         ALIGN 8
ID       DC    D'0'
         END
