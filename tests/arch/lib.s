* tests/arch/lib.s -- the macro library of the VL32 architecture suite.
*
* A test looks like this:
*
*          INCLUDE 'lib.s'
*          TSTART                    ; low storage, handlers, entry point
*          LHI   R1,2
*          AHI   R1,3
*          CHECKCC 2,1               ; check 1: CC 2 (positive)
*          CHECKR R1,5,2             ; check 2: R1 = 5
*          PASS
*          END
*
* Results (see README.md): a disabled wait whose instruction address is
* 0 for success.  A failed check n ends in a disabled wait with address
* n * LIB_FAILSCALE: sim/vl32.h makes an instruction address that is not
* a multiple of 4 a specification exception even in a wait PSW, so the
* check number is scaled by 4 (archtest's "check 12" is check 3 here).
* An interruption the test did not ask for ends in a disabled wait with
* code X'Ecnnn0': c the class, nnn the interruption code:
*
*   X'E1nnn0'  program interruption code nnn (X'E10060' specification,
*              X'E10020' privileged operation, X'E10110' segment trans.)
*   X'E2nnn0'  supervisor call nnn (low 12 bits of the SVC code)
*   X'E3nnn0'  external interruption, low 12 bits of the code
*              (X'E30050' CPU timer, X'E30040' clock comparator)
*   X'E4ddd0'  I/O interruption from device ddd
*   X'E50000'  machine check
*   X'E4FFF0'  DOIO: the I/O interruption came from another device
*   X'E6nnn0'  restart (the restart new PSW): nnn is 0
*
* Layout.  TSTART assembles the new PSWs into low storage (0x058..0x07F),
* the library's handlers and PSWs from 0x200 (LC_FREE), and leaves the
* location counter after them: the test's code follows and is the entry
* point.  Everything below 4096 is addressable with base 0, so a test
* whose code and data stay below 0x1000 needs no base register; data
* areas farther up are reached through registers (LI).
*
* Registers.  PASS, FAIL, CHECKR and CHECKCC change no register (CHECKR
* changes the CC).  Macros that need a scratch register (CHECKW, CHECKH,
* CHECKB, CHECKCSW, SETCC, SETNEW, PGMTRAP, CHECKPGM, CHECKPGMC) use R15
* and change the CC.  DOIO and IOWAIT use R14 (return) and R15 (result);
* RUNIO also R1; DATIDENT R1-R3.  LI (the assembler's) changes the CC.
*
* The macros, in order below:
*   TSTART     low storage, unexpected-interruption handlers, DOIO, IOWAIT
*   PASS, FAIL n
*   CHECKR r,value,n   CHECKCC cc,n   CHECKW/CHECKH/CHECKB addr,value,n
*   SETNEW new,label   PGMTRAP label   CHECKPGM code,addr,n
*   CHECKPGMC code,n   SETCC cc
*   CCW cmd,addr,flags,count   RUNIO dev,ccw   CHECKCSW unit,chan,res,n
*   DATIDENT   identity-mapped segment and page tables

* ------------------------------------------------------------------
* TSTART: low storage and the library code.  Keyword operands name the
* handler of each interruption class (default: fail as "unexpected").
         MACRO
&L       TSTART &PGM=UNEXP_PGM,&SVC=UNEXP_SVC,&EXT=UNEXP_EXT,&IO=UNEXP_IO
         ORG   LC_RESTART_NEW
         PSW   PSW_WAIT,X'E60000'      ; 0x000 restart new PSW
         ORG   LC_EXT_NEW
         PSW   0,&EXT                  ; 0x058 external new PSW
         PSW   0,&SVC                  ; 0x060 SVC new PSW
         PSW   0,&PGM                  ; 0x068 program new PSW
         PSW   0,UNEXP_MCK             ; 0x070 machine-check new PSW
         PSW   0,&IO                   ; 0x078 I/O new PSW
         ORG   LC_FREE
* Unexpected interruptions: a disabled wait that names the class and code.
UNEXP_PGM L    R15,LC_PGM_CODE
         LA    R14,LIB_WPGM
         J     UNEXP
UNEXP_SVC L    R15,LC_SVC_CODE
         LA    R14,LIB_WSVC
         J     UNEXP
UNEXP_EXT L    R15,LC_EXT_CODE
         LA    R14,LIB_WEXT
         J     UNEXP
UNEXP_IO L     R15,LC_IO_ADDR
         LA    R14,LIB_WIO
UNEXP    NHI   R15,X'FFF'
         SLL   R15,4
         O     R15,4(,R14)
         ST    R15,4(,R14)
         LPSW  0(R14)
UNEXP_MCK LPSW LIB_WMCK
*
* DOIO: start the channel program whose address is in the CAW on the
* device whose address is in R1, and wait (enabled for I/O only) for its
* I/O interruption.  Call with BRAS R14,DOIO.  Returns R15 = the SIO
* condition code: 0 -- started and ended, the interruption has been
* taken, its CSW is at LC_CSW; 1 -- SIO stored a CSW at LC_CSW; 2 -- busy;
* 3 -- not operational.  DOIO returns with the caller's system mask
* (DAT, I/O, external) but the rest of the PSW (CC, FPO) of the I/O new
* PSW; it must be called in supervisor state, from code that DAT maps
* to itself.
DOIO     STOSM LIB_MASK,X'00'          ; remember the system mask
         SIO   0(R1)
         BRC   8,DOIO_0
         BRC   4,DOIO_1
         BRC   2,DOIO_2
         LHI   R15,3
         BR    R14
DOIO_1   LHI   R15,1
         BR    R14
DOIO_2   LHI   R15,2
         BR    R14
DOIO_0   LA    R15,DOIO_W
         ST    R15,LC_IO_NEW+4
         LPSW  LIB_IOWAIT
DOIO_W   SSM   LIB_MASK
         LA    R15,UNEXP_IO
         ST    R15,LC_IO_NEW+4
         C     R1,LC_IO_ADDR
         BRC   8,DOIO_OK
         LPSW  LIB_WIOADR
DOIO_OK  LHI   R15,0
         BR    R14
*
* IOWAIT: wait (enabled for I/O only) for one I/O interruption, from
* any device.  Call with BRAS R14,IOWAIT; the device address is at
* LC_IO_ADDR and the CSW at LC_CSW.  Changes R15.  Like DOIO, returns
* with the caller's system mask.
IOWAIT   STOSM LIB_MASK,X'00'
         LA    R15,IOWAIT_W
         ST    R15,LC_IO_NEW+4
         LPSW  LIB_IOWAIT2
IOWAIT_W SSM   LIB_MASK
         LA    R15,UNEXP_IO
         ST    R15,LC_IO_NEW+4
         BR    R14
*
LIB_PASS PSW   PSW_WAIT,0
LIB_WPGM PSW   PSW_WAIT,X'E10000'
LIB_WSVC PSW   PSW_WAIT,X'E20000'
LIB_WEXT PSW   PSW_WAIT,X'E30000'
LIB_WIO  PSW   PSW_WAIT,X'E40000'
LIB_WMCK PSW   PSW_WAIT,X'E50000'
LIB_WIOADR PSW PSW_WAIT,X'E4FFF0'
LIB_IOWAIT PSW PSW_WAIT|PSW_IO,DOIO_W
LIB_IOWAIT2 PSW PSW_WAIT|PSW_IO,IOWAIT_W
LIB_MASK DC    X'00'
         ALIGN 4
LIB_END  EQU   *
         ENTRY LIB_END
         MEND

* ------------------------------------------------------------------
* PASS: end the test successfully (disabled wait, code 0).
         MACRO
&L       PASS
&L       LPSW  LIB_PASS
         MEND

* FAIL n: end the test with check n failed (disabled wait, code
* n * LIB_FAILSCALE).
         MACRO
&L       FAIL  &N
&L       LPSW  FP&SYSNDX
FP&SYSNDX PSW  PSW_WAIT,(&N)*LIB_FAILSCALE
         MEND

* CHECKR r,value,n: check n fails unless register r holds the 32-bit
* value.  Changes the CC only.
         MACRO
&L       CHECKR &R,&V,&N
&L       CL    &R,CK&SYSNDX
         BRC   8,CO&SYSNDX
         FAIL  &N
CK&SYSNDX DC   A(&V)
CO&SYSNDX EQU  *
         MEND

* CHECKCC cc,n: check n fails unless the condition code is cc (0..3).
* Changes nothing.
         MACRO
&L       CHECKCC &CC,&N
&L       BRC   8>>&CC,CO&SYSNDX
         FAIL  &N
CO&SYSNDX EQU  *
         MEND

* CHECKW addr,value,n: check n fails unless the word at addr holds value.
* CHECKH / CHECKB: the same for an (unsigned) halfword / byte.
* The value is loaded into R15 (or R=reg).
         MACRO
&L       CHECKW &A,&V,&N,&R=R15
&L       L     &R,&A
         CHECKR &R,&V,&N
         MEND

         MACRO
&L       CHECKH &A,&V,&N,&R=R15
&L       LLH   &R,&A
         CHECKR &R,&V,&N
         MEND

         MACRO
&L       CHECKB &A,&V,&N,&R=R15
&L       LLC   &R,&A
         CHECKR &R,&V,&N
         MEND

* SETNEW new,label: point the new PSW at low-storage address new (e.g.
* LC_PGM_NEW) at label.  Changes R15.
         MACRO
&L       SETNEW &NEW,&LABEL
&L       LA    R15,&LABEL
         ST    R15,&NEW+4
         MEND

* PGMTRAP label: the next program interruption resumes at label (with
* the new PSW: supervisor state, disabled, DAT off).  Clears the
* program interruption code word first.  Changes R15.
         MACRO
&L       PGMTRAP &LABEL
&L       LHI   R15,0
         ST    R15,LC_PGM_CODE
         LA    R15,&LABEL
         ST    R15,LC_PGM_NEW+4
         MEND

* CHECKPGM code,addr,n: after a PGMTRAP, check n fails unless the
* program interruption code is code, check n+1 unless the old PSW's
* instruction address is addr.  Puts the program new PSW back to
* "unexpected".  Changes R15 and the CC.
         MACRO
&L       CHECKPGM &CODE,&AT,&N
&L       LA    R15,UNEXP_PGM
         ST    R15,LC_PGM_NEW+4
         CHECKW LC_PGM_CODE,&CODE,&N
         CHECKW LC_PGM_OLD+4,&AT,&N+1
         MEND

* CHECKPGMC code,n: like CHECKPGM, but checks only the code.
         MACRO
&L       CHECKPGMC &CODE,&N
&L       LA    R15,UNEXP_PGM
         ST    R15,LC_PGM_NEW+4
         CHECKW LC_PGM_CODE,&CODE,&N
         MEND

* SETCC cc: set the condition code to cc (0..3); changes R15 only.
* (A logical add: 0+0 -> CC 0, 0+1 -> 1, 1+FFFFFFFF -> 2, 2+FFFFFFFF -> 3.)
         MACRO
&L       SETCC &CC
&L       LHI   R15,((&CC)>>1)*((&CC)-1)
         AL    R15,SK&SYSNDX
         J     SX&SYSNDX
SK&SYSNDX DC   A(((&CC)&1)*(1-((&CC)>>1))+((&CC)>>1)*X'FFFFFFFF')
SX&SYSNDX EQU  *
         MEND

* CCW cmd,addr,flags,count: a channel command word (8-aligned).
         MACRO
&L       CCW   &CMD,&ADDR,&FLAGS,&COUNT
         ALIGN 8
&L       DC    A(((&CMD)<<24)|((&FLAGS)<<16)|(&COUNT),&ADDR)
         MEND

* RUNIO dev,ccw: CAW := address of ccw, then DOIO on device dev.  R15 :=
* the SIO condition code (see DOIO).  Changes R1, R14, R15.
         MACRO
&L       RUNIO &DEV,&CCW
&L       LA    R15,&CCW
         ST    R15,LC_CAW
         LHI   R1,&DEV
         BRAS  R14,DOIO
         MEND

* CHECKCSW unit,chan,residual,n: check n fails unless the CSW's second
* word is unit status, channel status, residual count.  Changes R15.
         MACRO
&L       CHECKCSW &UNIT,&CHAN,&RES,&N
&L       CHECKW LC_CSW+4,((&UNIT)<<24)|((&CHAN)<<16)|(&RES),&N
         MEND

* DATIDENT: build identity-mapped translation tables for DAT tests.
* Segment table at STO (4 KiB aligned): entry 0 -> the page table at PTO,
* entries 1..1023 invalid.  Page table: pages 0..PAGES-1 map to the same
* real page, the rest are invalid.  Loads no control register (CR1 :=
* STO | segment-table length is the test's job).  Changes R1, R2, R3.
         MACRO
&L       DATIDENT &STO=X'10000',&PTO=X'11000',&PAGES=256
&L       LI    R1,&PTO
         LHI   R2,0
DI&SYSNDX LR   R3,R2
         SLL   R3,12
         CHI   R2,&PAGES
         BRC   4,DJ&SYSNDX
         LHI   R3,PTE_INVALID
DJ&SYSNDX ST   R3,0(,R1)
         AHI   R1,4
         AHI   R2,1
         CHI   R2,1024
         BRC   4,DI&SYSNDX
         LI    R1,&STO
         LI    R3,&PTO
         ST    R3,0(,R1)
         LHI   R3,STE_INVALID
         LHI   R2,1
DK&SYSNDX AHI  R1,4
         ST    R3,0(,R1)
         AHI   R2,1
         CHI   R2,1024
         BRC   4,DK&SYSNDX
         MEND

* ------------------------------------------------------------------
LIB_FAILSCALE EQU 4
*
* Assembled by itself (archtest runs every tests/arch/*.s), this file is
* a test of its own: it checks that the macros assemble and that PASS,
* CHECKR and CHECKCC work.  In a test that INCLUDEs it, this code lands
* at 0x100..0x1FF of low storage (unused by the architecture) and TSTART's
* ENTRY overrides the one below.
         ORG   X'100'
LIB_SELF LHI   R1,-2
         LTR   R1,R1
         BRC   4,LIB_SELF1
         LPSW  LIB_SELFF
LIB_SELF1 CL   R1,LIB_SELFV
         BRC   8,LIB_SELF2
         LPSW  LIB_SELFF
LIB_SELF2 LPSW LIB_SELFP
         ALIGN 8
LIB_SELFP PSW  PSW_WAIT,0
LIB_SELFF PSW  PSW_WAIT,4
LIB_SELFV DC   F'-2'
         ENTRY LIB_SELF
         ORG   0
