* cms/svc.s -- user programs: LOAD, START, RUN, the SVC interface and
* the program-check handler.
*
* A student assembles a program on the host (vmlab asm prog.s -I cms),
* puts the image on a CMS disk as "fn MODULE" (vmlab disk put), and
* types RUN fn.  The program includes cms/cmslib.s, which places it at
* USERAREA (X'C0000') and gives it one macro per service below.
*
* LOAD fn   reads fn MODULE (F 512 records: a `vmlab asm` image, see
*           cms/FORMAT.md) into FILEBUF, checks the image (magic,
*           version, every segment inside the program's storage, the
*           entry point in it), clears the program's storage and copies
*           the segments into place.  Nothing is relocated: the image
*           says where it goes, and LOAD refuses any other place.
* START     runs the loaded program, in PROBLEM state with DAT on:
*
*   Why DAT?  VL32 has no storage keys.  In problem state a program
*   cannot execute a privileged instruction, but without translation
*   it could still store into low storage -- a new PSW pointing at
*   itself, in supervisor state -- and own the machine.  So START maps
*   the program's storage one to one (virtual = real) and nothing else:
*   every other page is invalid, and a reference to CMS's storage is a
*   page-translation exception, which CMS reports like any other
*   program check.  (Under CP this runs on CP's shadow tables: the
*   guest's DAT is virtualized too.)
*
*   real storage        program's view (DAT)
*   00000-BFFFF  CMS    invalid
*   C0000-DEFFF  the program (code, data), up to PROGMAX
*   DF000-DFEFF  its stack (R13 at START: DFF00, grows down)
*   DFF00-DFFFF  exit stub (R14 points at SVC 0), parameter list (R1)
*   E0000-E0FFF  page table       \
*   E1000-E1FFF  segment table     } CMS only: invalid for the program
*   E2000-EFFFF  file buffer 1    /  (an SVC copies records in and out;
*                                       reading, a buffer is a window on
*                                       the file, refilled as needed)
*   F0000-FDFFF  file buffer 2
*
* At START: R0 = number of arguments, R1 -> parameter list (8-byte
* tokens: the program name, the arguments, then 8 bytes of X'FF'),
* R13 = stack top, R14 = return address (returning with R15 = return
* code is the same as SVC 0), R15 = entry address; other registers 0.
*
* An SVC interruption lands at SVCINT (the SVC new PSW in low
* storage), with DAT off and in supervisor state.  The handler saves
* the program's registers in low storage (X'200', reachable without a
* base register), runs the service named by the SVC number, puts the
* result in R15 (and R0), and returns with LPSW of the SVC old PSW.
* Every address a program passes is checked to lie inside its storage
* before CMS touches it.  The services and their registers are listed
* in cms/README.md and cms/cmslib.s.
*
* A program interruption lands at PGMINT.  From the program: a message
* (DMSITP141T, DMSABN148T), its files dropped, and back to CMS with
* R(nnnnn) = the ABEND code.  From CMS itself: a message and the ready
* loop again, unless it happens while handling one (then a wait state).
*
* Low storage used here (the nucleus starts at X'400'):
*   X'200' the program's registers during an SVC (64 bytes)
*   X'240' the PSW that starts the program (8 bytes)
*   X'248' the registers at a program check (64 bytes)
PROGEND  EQU   X'E0000'                   ; end of the program's storage
PROGMAX  EQU   PROGEND-X'1000'            ; a program ends below this
UPLIST   EQU   PROGEND-256                ; exit stub, then parameter list
USTACK   EQU   UPLIST                     ; the program's stack top
PAGETAB  EQU   X'E0000'
SEGTAB   EQU   X'E1000'
FBUF1    EQU   X'E2000'
FBUF2    EQU   X'F0000'
FBUFLEN  EQU   X'E000'                    ; 56K per open file
SVREGS   EQU   X'200'
SVPSW    EQU   X'240'
PCREGS   EQU   X'248'

* A file control block (two of them: one or two files open at once).
FCB_FLAG EQU   0       ; 0 free, 1 open for reading, 2 for writing
FCB_FM   EQU   1       ; the mode letter
FCB_RECF EQU   2       ; reading: the record format
FCB_NAME EQU   4       ; fn ft, 16 bytes
FCB_BUF  EQU   20      ; the buffer
FCB_PTR  EQU   24      ; the next record (reading) or its place (writing)
FCB_END  EQU   28      ; the end of the records (reading) or of the buffer
FCB_LREC EQU   32      ; reading F: LRECL; writing: the longest record
FCB_RECS EQU   36      ; writing: records so far
FCB_ADT  EQU   40      ; reading: the disk,
FCB_NXTB EQU   44      ;   the next block to read,
FCB_LEFTB EQU  48      ;   blocks not read yet,
FCB_REMB EQU   52      ;   bytes of the stream not read yet
FCB_LEN  EQU   56

* ------------------------------------------------------------------
* LOAD fn: load fn MODULE and say what was loaded.
CMDLOAD  ENTER
         LI    R11,SVDATA
         USING SVDATA,R11
         L     R0,NTOK
         CHI   R0,2
         JL    LDINC
         LHI   R10,1                      ; say what was loaded
         CALL  LDFILE
         LEAVE
LDINC    TYPESZ MSGLINC
         LEAVERC 24

* RUN fn [args]: LOAD (quietly), then START with the arguments.
CMDRUN   ENTER
         LI    R11,SVDATA
         L     R0,NTOK
         CHI   R0,2
         JL    LDINC
         LHI   R10,0
         CALL  LDFILE
         LTR   R15,R15
         JNZ   RUNDONE
         LHI   R10,2                      ; the arguments start at token 3
         CALL  GO
RUNDONE  LEAVE

* START [args]: run the loaded program.
CMDSTART ENTER
         LI    R11,SVDATA
         LLC   R0,LOADED
         LTR   R0,R0
         JZ    STNONE
         LHI   R10,1                      ; the arguments start at token 2
         CALL  GO
         LEAVE
STNONE   TYPESZ MSGSNONE
         LEAVERC 40

* LDFILE: load the file named by token 2 (type MODULE).  R10 = 1: say
* what was loaded.  R15 := 0, 28 not found, 32 not a program, 100
* disk error, 104 too big.
LDFILE   ENTER
         STC   R10,LDSAY
         LHI   R0,0
         STC   R0,LOADED
         LA    R1,LDNAME
         LA    R2,TOKS+8
         LHI   R3,8
         MVC   R1,R2,R3
         LA    R1,LDNAME+8
         LA    R2,WMODULE
         MVC   R1,R2,R3
         L     R0,TOKLEN+4                ; a name longer than 8: no file
         CHI   R0,8
         JH    LFNF
         LHI   R0,C'*'
         STC   R0,WANTFM
         LA    R2,LDNAME
         CALL  LOOKUP
         LTR   R9,R9
         JZ    LFNF
         LLC   R0,ADT_MODE(,R8)
         STC   R0,LDFM
         LA    R4,WHYFMT                  ; F 512 records, 16 bytes at least
         LLC   R0,FST_RECF(,R9)
         CHI   R0,C'F'
         JNE   LFBAD
         L     R0,FST_LREC(,R9)
         CHI   R0,512
         JNE   LFBAD
         LA    R4,WHYSHORT
         L     R0,FST_BYTE(,R9)
         CHI   R0,16
         JL    LFBAD
         CALL  READF                      ; (changes R0..R7, R10)
         CHI   R15,1
         JE    LFBIG
         LTR   R15,R15
         JNZ   LFIOE
         L     R7,FST_BYTE(,R9)           ; R7: the bytes in the file
* the image header: "VL32", version 1, 1..256 segments, entry, flags 0
         LI    R9,FILEBUF
         LA    R4,WHYMAGIC
         L     R0,0(,R9)
         C     R0,VL32
         JNE   LFBAD
         LA    R4,WHYVER
         L     R0,4(,R9)                  ; version and segment count
         SRL   R0,16
         CHI   R0,1
         JNE   LFBAD
         L     R0,12(,R9)
         LTR   R0,R0
         JNZ   LFBAD
         LA    R4,WHYNSEG
         L     R10,4(,R9)
         NHI   R10,X'FFFF'                ; R10: segments
         JZ    LFBAD
         CHI   R10,256
         JH    LFBAD
* every segment inside the file and inside the program's storage
         LI    R0,PROGMAX
         ST    R0,LOWEST
         LI    R0,USERAREA
         ST    R0,HIGHEST
         LHI   R6,16                      ; R6: offset of the segment header
         LR    R8,R10
LFSEG    LA    R4,WHYTRUNC
         LR    R0,R7
         SR    R0,R6                      ; bytes left in the file
         CHI   R0,8
         JL    LFBAD
         LR    R1,R9
         AR    R1,R6
         CALL  SEGHDR                     ; R2: its address, R3: length
         LA    R4,WHYTRUNC
         LR    R0,R7
         SR    R0,R6
         AHI   R0,-8                      ; bytes left after the header
         CLR   R3,R0
         JH    LFBAD
         LA    R4,WHYPLACE
         LI    R1,USERAREA
         CLR   R2,R1
         JL    LFBAD
         LI    R1,PROGMAX
         CLR   R2,R1
         JH    LFBAD
         SR    R1,R2                      ; room from there on
         CLR   R3,R1
         JH    LFBAD
         CL    R2,LOWEST
         JNL   LFSEG2
         ST    R2,LOWEST
LFSEG2   LR    R0,R2
         AR    R0,R3
         CL    R0,HIGHEST
         JNH   LFSEG3
         ST    R0,HIGHEST
LFSEG3   LA    R6,8(R3,R6)
         BRCT  R8,LFSEG
         LA    R4,WHYTAIL                 ; then only the padding to 512
         LR    R0,R7
         SR    R0,R6
         CHI   R0,512
         JNL   LFBAD
         LA    R4,WHYENTRY                ; the entry: in the program, aligned
         L     R0,8(,R9)
         ST    R0,PENTRY
         LR    R1,R0
         NHI   R1,3
         JNZ   LFBAD
         LI    R1,USERAREA
         CLR   R0,R1
         JL    LFBAD
         LI    R1,PROGMAX
         CLR   R0,R1
         JNL   LFBAD
* good: clear the program's storage and place the segments
         LI    R1,USERAREA
         LI    R3,PROGEND-USERAREA
         CALL  ZERO
         LHI   R6,16
LFCOPY   LR    R1,R9
         AR    R1,R6
         CALL  SEGHDR
         LR    R5,R3                      ; length
         LR    R4,R2                      ; destination
         LA    R2,8(,R1)                  ; source
         LA    R6,8(R5,R6)
         LR    R1,R4
         CALL  COPY
         BRCT  R10,LFCOPY
         LHI   R0,1
         STC   R0,LOADED
         LLC   R0,LDSAY
         LTR   R0,R0
         JZ    LFOK
         CALL  OCLR                       ; "DMSLDR700I fn MODULE A loaded
         LA    R2,MSGLOK                  ;  at C0000-C01A3, entry C0000"
         CALL  OAPPSZ
         LA    R2,LDNAME
         LHI   R3,8
         CALL  OAPPT
         LA    R2,MSGMODA
         CALL  OAPPSZ
         LA    R2,LDFM
         LHI   R3,1
         CALL  OAPP
         LA    R2,MSGLAT
         CALL  OAPPSZ
         L     R1,LOWEST
         CALL  OADDR
         LA    R2,MINUS
         LHI   R3,1
         CALL  OAPP
         L     R1,HIGHEST
         AHI   R1,-1
         CALL  OADDR
         LA    R2,MSGLENT
         CALL  OAPPSZ
         L     R1,PENTRY
         CALL  OADDR
         CALL  OFLUSH
LFOK     LEAVERC 0
LFNF     CALL  OCLR                       ; "DMSLDR002E File fn MODULE * not found"
         LA    R2,MSGLDNF
         CALL  OAPPSZ
         LA    R2,TOKS+8
         LHI   R3,8
         CALL  OAPPT
         LA    R2,MSGMODS
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVERC 28
LFBAD    CALL  OCLR                       ; "DMSLDR133E fn MODULE A is not a
         LA    R2,MSGLBAD                 ;  program: <why at R4>"
         CALL  OAPPSZ
         LA    R2,LDNAME
         LHI   R3,8
         CALL  OAPPT
         LA    R2,MSGMODA
         CALL  OAPPSZ
         LA    R2,LDFM
         LHI   R3,1
         CALL  OAPP
         LA    R2,MSGNOTP
         CALL  OAPPSZ
         LR    R2,R4
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVERC 32
LFBIG    TYPESZ MSGLBIG
         LEAVERC 104
LFIOE    TYPESZ MSGLIOE
         LEAVERC 100

* SEGHDR: R2 := the segment address, R3 := its length, from the
* segment header at R1 (at any address: a segment's length need not
* be a multiple of 4, so the next header may be unaligned, and L
* wants a word boundary).  Changes R0, R4, R5.
SEGHDR   LHI   R5,4
         LHI   R2,0
         LR    R4,R1
SHLOOP1  SLL   R2,8
         LLC   R0,0(,R4)
         OR    R2,R0
         AHI   R4,1
         BRCT  R5,SHLOOP1
         LHI   R5,4
         LHI   R3,0
SHLOOP2  SLL   R3,8
         LLC   R0,0(,R4)
         OR    R3,R0
         AHI   R4,1
         BRCT  R5,SHLOOP2
         BR    R14

* COPY: move R5 bytes from R2 to R1, 4096 at a time.  Changes R0..R5.
COPY     LHI   R0,4096
COPYLOOP LTR   R5,R5
         BCR   8,R14
         LR    R3,R5
         CLR   R3,R0
         JNH   COPY1
         LR    R3,R0
COPY1    MVC   R1,R2,R3
         AR    R1,R3
         AR    R2,R3
         SR    R5,R3
         J     COPYLOOP

* OADDR: append the address R1 in hex: 5 digits (storage is 1M), or 8
* for an address beyond it.  OHEX: the low R3 hex digits of R1.
* Both change R0..R7.
OADDR    LHI   R3,5
         LI    R0,X'FFFFF'
         CLR   R1,R0
         JNH   OHEX
         LHI   R3,8
OHEX     LA    R6,HEXEND
         LR    R5,R1
         LR    R4,R3
OHLOOP   LR    R0,R5
         NHI   R0,15
         LA    R7,HEXDIG
         AR    R7,R0
         LLC   R0,0(,R7)
         AHI   R6,-1
         STC   R0,0(,R6)
         SRL   R5,4
         BRCT  R4,OHLOOP
         LR    R2,R6
         J     OAPP

* ------------------------------------------------------------------
* GO: start the loaded program with the tokens from number R10 (0-based)
* as its arguments, and come back here when it ends (EXIT, a return
* through R14, or a program check).  R15 := its return code.
GO       ENTER
* the parameter list: the exit stub, then name, arguments, fence
         LI    R9,UPLIST
         L     R0,EXITWORD
         ST    R0,0(,R9)
         LA    R1,8(,R9)
         LA    R2,LDNAME
         LHI   R3,8
         MVC   R1,R2,R3
         LHI   R4,0                       ; arguments so far
GOARG    L     R0,NTOK
         CR    R10,R0
         JNL   GOFENCE
         AHI   R1,8
         LR    R2,R10
         SLL   R2,3
         LA    R5,TOKS
         AR    R2,R5
         MVC   R1,R2,R3
         AHI   R4,1
         AHI   R10,1
         J     GOARG
GOFENCE  AHI   R1,8
         LA    R2,FENCE
         MVC   R1,R2,R3
* the program's registers: all zero but these
         LI    R1,SVREGS
         LHI   R3,64
         CALL  ZERO
         ST    R4,SVREGS                  ; R0: number of arguments
         LA    R0,8(,R9)
         ST    R0,SVREGS+4                ; R1: the parameter list
         LI    R0,USTACK
         ST    R0,SVREGS+52               ; R13: its stack
         ST    R9,SVREGS+56               ; R14: the exit stub
         L     R0,PENTRY
         ST    R0,SVREGS+60               ; R15: the entry point
         ST    R0,SVPSW+4
         LI    R0,PSW_T+PSW_PROBLEM
         ST    R0,SVPSW
* the translation tables: the program's pages valid, the rest not
         LI    R1,PAGETAB
         LHI   R0,PTE_INVALID
         LHI   R2,1024
GOPT1    ST    R0,0(,R1)
         AHI   R1,4
         BRCT  R2,GOPT1
         LI    R1,PAGETAB+(USERAREA>>12)*4
         LI    R0,USERAREA
         LI    R2,(PROGEND-USERAREA)>>12
GOPT2    ST    R0,0(,R1)                  ; virtual page = real page
         AHI   R1,4
         AHI   R0,4096
         BRCT  R2,GOPT2
         LI    R0,PAGETAB
         LI    R1,SEGTAB
         ST    R0,0(,R1)                  ; one segment: the first 4M
         ST    R1,CR1WORD                 ; its length field: 0
         LCTL  R1,R1,CR1WORD
* no files open; remember CMS's registers; go
         LHI   R0,0
         STC   R0,FCB1+FCB_FLAG
         STC   R0,FCB2+FCB_FLAG
         LHI   R0,1
         STC   R0,RUNNING
         STM   R0,R15,CMSREGS
         LM    R0,R15,SVREGS
         LPSW  SVPSW
* ENDPROG comes back here with CMS's registers and R15 = return code.
GOBACK   LEAVE

* ENDPROG: the program is over: R15 = its return code.  Restore CMS's
* registers as GO left them and return from GO.
ENDPROG  LHI   R0,0
         STC   R0,RUNNING
         STC   R0,INPGM
         ST    R15,CMSREGS+60
         LM    R0,R15,CMSREGS
         J     GOBACK

* ------------------------------------------------------------------
* SVCINT: the SVC new PSW points here.
SVCINT   STM   R0,R15,SVREGS
         LI    R12,NUCDATA
         LI    R11,SVDATA
         LLC   R0,RUNNING
         LTR   R0,R0
         JZ    SVNOPGM
         L     R13,CMSREGS+52             ; CMS's stack, below GO's frame
         L     R1,LC_SVC_CODE
         CLHI  R1,SVCMAX
         JH    SVBAD
         SLL   R1,2
         LA    R2,SVCTAB
         AR    R1,R2
         L     R1,0(,R1)
         BALR  R14,R1                     ; the service: R15 := result
SVRET    ST    R15,SVREGS+60
         LM    R0,R15,SVREGS
         LPSW  LC_SVC_OLD
SVBAD    LHI   R15,1                      ; no such service
         J     SVRET
SVNOPGM  LHI   R15,1                      ; CMS itself issues no SVC
         ST    R15,SVREGS+60
         LM    R0,R15,SVREGS
         LPSW  LC_SVC_OLD

* UCHECK: CC 0 and R15 = 0 if the R3 bytes at R2 lie inside the
* program's storage, else R15 = 2.  Changes R0, R1.
UCHECK   LHI   R15,2
         LI    R0,USERAREA
         CLR   R2,R0
         JL    UCDONE
         LI    R1,PROGEND
         CLR   R2,R1
         JNL   UCDONE                     ; at or past the end
         SR    R1,R2                      ; room
         CLR   R3,R1
         JH    UCDONE
         LHI   R15,0
UCDONE   LTR   R15,R15
         BR    R14

* The services.  Each gets the program's registers in SVREGS (R1 at
* +4, R2 at +8, R3 at +12, R15 at +60) and returns R15; a result in R0
* goes to SVREGS.

* SVC 0 EXIT: end the program with return code R15.  Files open for
* writing are closed (saved); a failure is reported, the code stays.
SVEXIT   L     R0,SVREGS+60
         ST    R0,EXITRC
         LA    R9,FCB1
         CALL  FCLOSE
         LA    R9,FCB2
         CALL  FCLOSE
         L     R15,EXITRC
         J     ENDPROG

* SVC 1 WRTERM: type the R3 bytes at R2 (0 to 130) as one line.
SVWRT    ENTER
         L     R2,SVREGS+8
         L     R3,SVREGS+12
         CLHI  R3,LINEMAX
         JH    SVR24
         CALL  UCHECK
         JNZ   SVRC
         CALL  TYPELN
         LEAVERC 0
SVR24    LEAVERC 24
SVRC     LEAVE

* SVC 2 RDTERM: read a line into the R3 bytes at R2.  R0 := its length;
* R15 := 8 if only the first R3 bytes fit.
SVRDT    ENTER
         L     R2,SVREGS+8
         L     R3,SVREGS+12
         CALL  UCHECK
         JNZ   SVRC
         CALL  READLINE
         L     R5,INLEN
         ST    R5,SVREGS
         L     R1,SVREGS+8
         LA    R2,INBUF
         LHI   R15,0
         CL    R5,SVREGS+12
         JNH   SVRDT1
         L     R5,SVREGS+12
         LHI   R15,8
SVRDT1   LR    R9,R15
         CALL  COPY
         LR    R15,R9
         LEAVE

* SVC 3 FSOPEN: R2 -> fileid (24 bytes: fn, ft, fm, blank-padded; fm
* blank or * = any disk for reading, A for writing), R3 = C'R' or C'W'.
* R0 := the file number (1 or 2).
SVOPEN   ENTER
         L     R2,SVREGS+8
         LHI   R3,24
         CALL  UCHECK
         JNZ   SVRC
         L     R0,SVREGS+12
         CHI   R0,C'R'
         JE    SVO1
         CHI   R0,C'W'
         JNE   SVR24
SVO1     LA    R9,FCB1                    ; a free file block
         LHI   R10,1
         LLC   R0,FCB_FLAG(,R9)
         LTR   R0,R0
         JZ    SVO2
         LA    R9,FCB2
         LHI   R10,2
         LLC   R0,FCB_FLAG(,R9)
         LTR   R0,R0
         JZ    SVO2
         LEAVERC 7
SVO2     L     R2,SVREGS+8                ; the name: two valid words
         CALL  CHKNAME
         JNZ   SVR20
         LA    R2,8(,R2)
         CALL  CHKNAME
         JNZ   SVR20
         LA    R1,FCB_NAME(,R9)
         L     R2,SVREGS+8
         LHI   R3,16
         MVC   R1,R2,R3
         LLC   R0,16(,R2)                 ; the mode letter
         CHI   R0,C' '
         JNE   SVO3
         LHI   R0,C'*'
SVO3     STC   R0,FCB_FM(,R9)
         L     R0,SVREGS+12
         CHI   R0,C'W'
         JE    SVOW
* for reading: the first buffer-full of blocks (FILL reads on as
* FSREAD needs them, so a file of any size can be read)
         LLC   R0,FCB_FM(,R9)
         STC   R0,WANTFM
         LA    R2,FCB_NAME(,R9)
         ST    R9,CURFCB
         CALL  LOOKUP
         LTR   R9,R9
         JNZ   SVOFND
         LTR   R8,R8                      ; no such file, or no such disk
         JNZ   SVR28                      ; (a mode letter, not *)
         LLC   R0,WANTFM
         CHI   R0,C'*'
         JE    SVR28
         J     SVR36
SVOFND   CALL  CHKEXT                     ; a damaged entry must not make
         LTR   R15,R15                    ; CMS read outside the file
         JNZ   SVR3
         L     R0,FST_NBLK(,R9)           ; nor claim more than its blocks
         SLL   R0,9
         CL    R0,FST_BYTE(,R9)
         JL    SVR3
         L     R10,CURFCB
         ST    R8,FCB_ADT(,R10)
         LLC   R0,FST_RECF(,R9)
         STC   R0,FCB_RECF(,R10)
         L     R0,FST_LREC(,R9)
         ST    R0,FCB_LREC(,R10)
         L     R0,FST_BYTE(,R9)
         ST    R0,FCB_REMB(,R10)
         L     R0,FST_FRST(,R9)
         ST    R0,FCB_NXTB(,R10)
         L     R0,FST_NBLK(,R9)
         ST    R0,FCB_LEFTB(,R10)
         L     R0,FCB_BUF(,R10)
         ST    R0,FCB_PTR(,R10)
         ST    R0,FCB_END(,R10)
         LR    R9,R10
         CALL  FILL
         CHI   R15,12                     ; (an empty file: nothing to read)
         JE    SVOR
         LTR   R15,R15
         JNZ   SVR3
SVOR     L     R9,CURFCB
         LHI   R0,1
         J     SVOK
* for writing: an empty buffer, on a disk that takes it
SVOW     LLC   R0,FCB_FM(,R9)
         CHI   R0,C'*'
         JNE   SVOW1
         LHI   R0,C'A'
         STC   R0,FCB_FM(,R9)
SVOW1    CALL  ADTOF
         LTR   R8,R8
         JZ    SVR36
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JNZ   SVR36
         L     R0,FCB_BUF(,R9)
         ST    R0,FCB_PTR(,R9)
         A     R0,FBUFL
         ST    R0,FCB_END(,R9)
         LHI   R0,0
         ST    R0,FCB_LREC(,R9)
         ST    R0,FCB_RECS(,R9)
         LHI   R0,2
SVOK     STC   R0,FCB_FLAG(,R9)
         LA    R0,FCB1
         CR    R9,R0
         LHI   R0,1
         JE    SVOK1
         LHI   R0,2
SVOK1    ST    R0,SVREGS                  ; R0: the file number
         LEAVERC 0
SVR3     LEAVERC 3
SVR20    LEAVERC 20
SVR28    LEAVERC 28
SVR36    LEAVERC 36

* CHKNAME: CC 0 if the 8 bytes at R2 are a file name: name characters
* (cms/FORMAT.md), then blanks, at least one character.  Changes R0,
* R1, R3..R5.
CHKNAME  LHI   R3,0
CNLOOP   LR    R1,R2
         AR    R1,R3
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JE    CNBLANK
         LA    R4,NAMECHS
CNCH     LLC   R5,0(,R4)
         LTR   R5,R5
         JZ    CNBAD
         CR    R0,R5
         JE    CNNEXT
         AHI   R4,1
         J     CNCH
CNNEXT   AHI   R3,1
         CHI   R3,8
         JL    CNLOOP
         J     CNOK
CNBLANK  LTR   R3,R3                      ; a blank first: no name
         JZ    CNBAD
CNREST   LR    R1,R2                      ; the rest must be blank
         AR    R1,R3
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JNE   CNBAD
         AHI   R3,1
         CHI   R3,8
         JL    CNREST
CNOK     CR    R0,R0
         BR    R14
CNBAD    LHI   R0,1
         LTR   R0,R0
         BR    R14

* FCBOF: R9 := the file block of file number SVREGS R1, if it is open
* with flag R0; else R15 := 6 and CC nonzero.  Changes R1.
FCBOF    LHI   R15,6
         L     R1,SVREGS+4
         LA    R9,FCB1
         CHI   R1,1
         JE    FCBOF1
         LA    R9,FCB2
         CHI   R1,2
         BCR   7,R14
FCBOF1   LLC   R1,FCB_FLAG(,R9)
         CR    R1,R0
         BCR   7,R14
         LHI   R15,0
         BR    R14

* SVC 4 FSREAD: R1 = file number, R2 -> buffer, R3 = its length.  The
* next record: R0 := its length; R15 := 0, 8 (only R3 bytes of it
* fit), 12 (end of file), 25 (a record longer than the 56K buffer), 3.
SVREAD   ENTER
         LHI   R0,1
         CALL  FCBOF
         JNZ   SVRC
         L     R2,SVREGS+8
         L     R3,SVREGS+12
         CALL  UCHECK
         JNZ   SVRC
SVRAGAIN L     R2,FCB_PTR(,R9)            ; R2: the record
         L     R4,FCB_END(,R9)
         LLC   R0,FCB_RECF(,R9)
         CHI   R0,C'V'
         JE    SVRV
         L     R5,FCB_LREC(,R9)           ; F: LRECL bytes
         LTR   R5,R5
         JZ    SVR12                      ; (a damaged entry: no records)
         J     SVRGOT
SVRV     LR    R0,R4                      ; V: a 2-byte length first
         SR    R0,R2
         CHI   R0,2
         JL    SVRMORE
         LLC   R5,0(,R2)
         SLL   R5,8
         LLC   R0,1(,R2)
         OR    R5,R0
         AHI   R2,2
SVRGOT   LR    R0,R4                      ; the whole record is there?
         SR    R0,R2
         CLR   R5,R0
         JH    SVRMORE
         ST    R5,SVREGS                  ; R0: its length
         LR    R0,R2
         AR    R0,R5
         ST    R0,FCB_PTR(,R9)
         L     R1,SVREGS+8
         LHI   R9,0
         CL    R5,SVREGS+12
         JNH   SVR1
         L     R5,SVREGS+12
         LHI   R9,8
SVR1     CALL  COPY
         LR    R15,R9
         LEAVE
SVRMORE  CALL  FILL                       ; the record goes on in blocks
         LTR   R15,R15                    ; not read yet: read them
         JZ    SVRAGAIN
         LEAVE                            ; 12 the end, 25, 3
SVR12    LEAVERC 12

* FILL: more of the file of block R9 into its buffer: the bytes not
* read yet move to the buffer's start, and as many of the next blocks
* as fit follow them.  R15 := 0, 12 (no blocks left: the end of the
* file), 25 (a record longer than the buffer) or 3 (a disk error).
* Changes R0..R8.
FILL     ENTER
         L     R0,FCB_LEFTB(,R9)
         LTR   R0,R0
         JZ    FIL12
         L     R2,FCB_PTR(,R9)            ; slide the rest down
         L     R5,FCB_END(,R9)
         SR    R5,R2
         L     R1,FCB_BUF(,R9)
         ST    R1,FCB_PTR(,R9)
         CALL  COPY                       ; R1 := the end of what moved
         ST    R1,FILLAT
         L     R4,FCB_BUF(,R9)            ; whole blocks that fit after it
         A     R4,FBUFL
         SR    R4,R1
         SRL   R4,9
         LTR   R4,R4
         JZ    FIL25
         CL    R4,FCB_LEFTB(,R9)
         JNH   FIL1
         L     R4,FCB_LEFTB(,R9)
FIL1     ST    R4,FILLN
         L     R8,FCB_ADT(,R9)
         LHI   R2,1
         L     R3,FCB_NXTB(,R9)
         LR    R5,R1
         CALL  BLKIO
         LTR   R15,R15
         JNZ   FIL3
         L     R4,FILLN
         L     R0,FCB_NXTB(,R9)
         AR    R0,R4
         ST    R0,FCB_NXTB(,R9)
         L     R0,FCB_LEFTB(,R9)
         SR    R0,R4
         ST    R0,FCB_LEFTB(,R9)
         SLL   R4,9                       ; the bytes of the stream in them
         L     R0,FCB_REMB(,R9)
         CLR   R4,R0
         JNH   FIL2
         LR    R4,R0
FIL2     SR    R0,R4
         ST    R0,FCB_REMB(,R9)
         A     R4,FILLAT
         ST    R4,FCB_END(,R9)
         LEAVERC 0
FIL12    LEAVERC 12
FIL25    LEAVERC 25
FIL3     LEAVERC 3

* SVC 5 FSWRITE: R1 = file number, R2 -> record, R3 = its length (an
* empty record is stored as one blank, as CMS does).  R15 := 0, or 13
* when the file's buffer is full.
SVWRITE  ENTER
         LHI   R0,2
         CALL  FCBOF
         JNZ   SVRC
         L     R2,SVREGS+8
         L     R3,SVREGS+12
         CALL  UCHECK
         JNZ   SVRC
         LTR   R3,R3
         JNZ   SVW1
         LA    R2,BLANKS
         LHI   R3,1
SVW1     L     R1,FCB_PTR(,R9)
         L     R0,FCB_END(,R9)
         SR    R0,R1
         AHI   R0,-2
         CLR   R3,R0
         JH    SVR13
         LR    R0,R3                      ; the length, a byte at a time
         SRL   R0,8                       ; (STH wants an even address)
         STC   R0,0(,R1)
         STC   R3,1(,R1)
         AHI   R1,2
         LR    R5,R3
         CALL  COPY
         ST    R1,FCB_PTR(,R9)
         L     R0,FCB_RECS(,R9)
         AHI   R0,1
         ST    R0,FCB_RECS(,R9)
         L     R0,SVREGS+12
         CL    R0,FCB_LREC(,R9)
         JNH   SVW2
         ST    R0,FCB_LREC(,R9)
SVW2     LEAVERC 0
SVR13    LEAVERC 13

* SVC 6 FSCLOSE: R1 = file number.  A file written is saved now.
SVCLOSE  ENTER
         LHI   R0,1
         CALL  FCBOF
         JZ    SVC1
         LHI   R0,2
         CALL  FCBOF
         JNZ   SVRC
SVC1     CALL  FCLOSE
         LEAVE

* FCLOSE: close the file of block R9 (if open): one written is saved
* with FSWRITE.  R15 := 0, 3 (disk error), 13 (disk full), 36.
FCLOSE   ENTER
         LLC   R0,FCB_FLAG(,R9)
         LHI   R1,0
         STC   R1,FCB_FLAG(,R9)
         CHI   R0,2
         JNE   FCOK
         LHI   R0,C'V'
         STC   R0,FWFST+FST_RECF
         L     R0,FCB_LREC(,R9)           ; LRECL: the longest, 1 at least
         LTR   R0,R0
         JNZ   FC1
         LHI   R0,1
FC1      ST    R0,FWFST+FST_LREC
         L     R0,FCB_RECS(,R9)
         ST    R0,FWFST+FST_RECS
         L     R0,FCB_PTR(,R9)
         S     R0,FCB_BUF(,R9)
         ST    R0,FWFST+FST_BYTE
         LLC   R0,FCB_FM(,R9)
         CALL  ADTOF
         LTR   R8,R8
         JZ    FC36
         ST    R9,CURFCB
         LA    R2,FCB_NAME(,R9)
         L     R5,FCB_BUF(,R9)
         CALL  FSWRITE                    ; (changes R9..R11)
         LI    R11,SVDATA
         L     R9,CURFCB
         LA    R8,WHYFULL
         CHI   R0,2                       ; 13: R0 says what is full
         JE    FC13
         LA    R8,WHYDFULL
FC13     LTR   R15,R15
         JZ    FCOK
         CHI   R15,13
         JE    FCSAY
         LA    R8,WHYRO
         CHI   R15,36
         JE    FCSAY
         LA    R8,WHYIOE
         LHI   R15,3
FCSAY    LR    R10,R15                    ; say so: at EXIT nobody else will
         CALL  OCLR
         LA    R2,MSGFNS                  ; "DMSSVC105S File fn ft not saved"
         CALL  OAPPSZ
         LA    R2,FCB_NAME(,R9)
         LHI   R3,8
         CALL  OAPPT
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,FCB_NAME+8(,R9)
         LHI   R3,8
         CALL  OAPPT
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,FCB_FM(,R9)
         LHI   R3,1
         CALL  OAPP
         LA    R2,MSGFNS2
         CALL  OAPPSZ
         LR    R2,R8
         CALL  OAPPSZ
         CALL  OFLUSH
         LR    R15,R10
         LEAVE
FC36     LHI   R15,36
         LA    R8,WHYRO
         J     FCSAY
FCOK     LEAVERC 0

* ------------------------------------------------------------------
* PGMINT: the program new PSW points here.
PGMINT   STM   R0,R15,PCREGS
         LI    R12,NUCDATA
         LI    R11,SVDATA
         LLC   R0,INPGM
         LTR   R0,R0
         JNZ   PCLOOP
         LHI   R0,1
         STC   R0,INPGM
         L     R0,LC_PGM_OLD              ; from the program, or from CMS?
         LI    R1,PSW_PROBLEM
         NR    R0,R1
         JZ    PCCMS
         L     R13,CMSREGS+52
* the program's: DMSITP141T <kind> exception occurred at <addr> in routine <name>
         CALL  PCWHERE                    ; R9 := where it happened
         CALL  OCLR
         LA    R2,MSG141
         CALL  OAPPSZ
         CALL  PCKIND
         LA    R2,MSGOCC
         CALL  OAPPSZ
         LR    R1,R9
         CALL  OADDR
         LA    R2,MSGINR
         CALL  OAPPSZ
         LA    R2,LDNAME
         LHI   R3,8
         CALL  OAPPT
         CALL  OFLUSH
         CALL  PCTRANS
*        DMSABN148T System ABEND 0Cx called from <addr>, PSW <old PSW>
         CALL  OCLR
         LA    R2,MSG148
         CALL  OAPPSZ
         L     R1,LC_PGM_CODE
         NHI   R1,X'FF'
         AHI   R1,X'C0'
         ST    R1,EXITRC
         LHI   R3,3
         CALL  OHEX
         LA    R2,MSGCALL
         CALL  OAPPSZ
         LR    R1,R9
         CALL  OADDR
         LA    R2,MSGPSW                  ; the old PSW: problem state and
         CALL  OAPPSZ                     ; DAT on, as the program ran
         L     R1,LC_PGM_OLD
         LHI   R3,8
         CALL  OHEX
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         L     R1,LC_PGM_OLD+4
         LHI   R3,8
         CALL  OHEX
         CALL  OFLUSH
         LHI   R0,0                       ; its files are dropped
         STC   R0,FCB1+FCB_FLAG
         STC   R0,FCB2+FCB_FLAG
         L     R15,EXITRC
         J     ENDPROG
* CMS's own: say so and go back to the ready loop with a fresh stack.
* The command that failed is abandoned half done; a file it was
* writing may not have been written, but the disk is consistent
* (FSWRITE writes the data before the directory).
PCCMS    LI    R13,STACKTOP
         LHI   R9,4                       ; the console may be in the middle
PCHIO    HIO   X'009'                     ; of a READ (CP's STORE PSW while
         JZ    PCHIOK                     ; CMS waits for a line): halt it,
         BRCT  R9,PCHIO                   ; and take its status, or our
PCHIOK   CALL  PCWHERE                    ; message would find it busy
         CALL  OCLR
         LA    R2,MSG143
         CALL  OAPPSZ
         CALL  PCKIND
         LA    R2,MSGOCC
         CALL  OAPPSZ
         LR    R1,R9
         CALL  OADDR
         LA    R2,MSGINCMS
         CALL  OAPPSZ
         CALL  OFLUSH
         LHI   R0,0
         STC   R0,RUNNING
         STC   R0,INPGM
         STC   R0,FCB1+FCB_FLAG
         STC   R0,FCB2+FCB_FLAG
         L     R15,LC_PGM_CODE
         NHI   R15,X'FF'
         AHI   R15,X'C0'
         J     READY
* A program check while reporting one: CMS cannot go on.
PCLOOP   LPSW  PCSTOP

* PCWHERE: R9 := the address of the instruction that caused the
* program check.  The old PSW points past it, except when the
* exception nullified it (translation exceptions) or the fetch itself
* failed (an address not a multiple of 4): then it points at it.
PCWHERE  L     R9,LC_PGM_OLD+4
         LR    R0,R9
         NHI   R0,3
         BCR   7,R14
         L     R0,LC_PGM_CODE
         CHI   R0,PGM_SEGMENT_TRANS
         BCR   8,R14
         CHI   R0,PGM_PAGE_TRANS
         BCR   8,R14
         AHI   R9,-4
         BR    R14

* PCKIND: append the name of the exception ("Operation", ...).
PCKIND   ENTER
         L     R0,LC_PGM_CODE
         LA    R4,PCNAMES
PKLOOP   L     R1,0(,R4)
         LTR   R1,R1
         JM    PKOTHER                    ; the end of the table
         CR    R0,R1
         JE    PKFOUND
         AHI   R4,8
         J     PKLOOP
PKFOUND  L     R2,4(,R4)
         CALL  OAPPSZ
         LEAVE
PKOTHER  LA    R2,MSGPGMC                 ; "Program interruption X'nn'"
         CALL  OAPPSZ
         L     R1,LC_PGM_CODE
         LHI   R3,2
         CALL  OHEX
         LA    R2,MSGQUOTE
         CALL  OAPPSZ
         LEAVE

* PCTRANS: after a translation exception, which address it was: the
* program referred to storage that is not its own.
PCTRANS  ENTER
         L     R0,LC_PGM_CODE
         CHI   R0,PGM_SEGMENT_TRANS
         JE    PT1
         CHI   R0,PGM_PAGE_TRANS
         JNE   PTDONE
PT1      CALL  OCLR
         LA    R2,MSG142
         CALL  OAPPSZ
         L     R1,LC_TRANS_ADDR
         CALL  OADDR
         LA    R2,MSG142B
         CALL  OAPPSZ
         CALL  OFLUSH
PTDONE   LEAVE

* ------------------------------------------------------------------
* The data of this module, addressed through R11.
         DS    0D
SVDATA   EQU   *
PCSTOP   PSW   PSW_WAIT,X'C5C5'           ; a program check in the handler
CR1WORD  DS    F
EXITWORD SVC   0                          ; the stub R14 points at
VL32     DC    C'VL32'
FBUFL    DC    A(FBUFLEN)
CMSREGS  DS    16F                        ; CMS's registers while it runs
PENTRY   DS    F
CURFCB   DS    F
FILLAT   DS    F                          ; FILL: where the blocks go
FILLN    DS    F                          ;   and how many
LOWEST   DS    F
HIGHEST  DS    F
EXITRC   DS    F
FCB1     DC    X'00',X'00',X'00',X'00',CL16' ',A(FBUF1),9F'0'
FCB2     DC    X'00',X'00',X'00',X'00',CL16' ',A(FBUF2),9F'0'
LDNAME   DS    CL16                       ; fn MODULE of the loaded program
LDFM     DS    CL1
LOADED   DS    CL1                        ; 1: a program is loaded
RUNNING  DS    CL1                        ; 1: it runs
INPGM    DS    CL1                        ; 1: reporting a program check
LDSAY    DS    CL1
WMODULE  DC    CL8'MODULE'
FENCE    DC    8X'FF'
HEXDIG   DC    C'0123456789ABCDEF'
HEXBUF   DS    CL8
HEXEND   EQU   *
         DS    0F
SVCTAB   DC    A(SVEXIT,SVWRT,SVRDT,SVOPEN,SVREAD,SVWRITE,SVCLOSE)
SVCMAX   EQU   6
PCNAMES  DC    F'1',A(PN01),F'2',A(PN02),F'4',A(PN04),F'5',A(PN05)
         DC    F'6',A(PN06),F'8',A(PN08),F'9',A(PN09),F'16',A(PN10)
         DC    F'17',A(PN11),F'18',A(PN12),F'-1'
PN01     DC    C'Operation',X'00'
PN02     DC    C'Privileged operation',X'00'
PN04     DC    C'Protection',X'00'
PN05     DC    C'Addressing',X'00'
PN06     DC    C'Specification',X'00'
PN08     DC    C'Fixed-point overflow',X'00'
PN09     DC    C'Fixed-point divide',X'00'
PN10     DC    C'Segment translation',X'00'
PN11     DC    C'Page translation',X'00'
PN12     DC    C'Translation specification',X'00'
MSGPGMC  DC    C'Program interruption X''',X'00'
MSGQUOTE DC    C'''',X'00'
MSG141   DC    C'DMSITP141T ',X'00'
MSG143   DC    C'DMSITP143T ',X'00'
MSGOCC   DC    C' exception occurred at ',X'00'
MSGINR   DC    C' in routine ',X'00'
MSGINCMS DC    C' in CMS itself; CMS goes on',X'00'
MSG142   DC    C'DMSITP142T Address ',X'00'
MSG142B  DC    C' is outside the program''s storage (C0000-DFFFF)',X'00'
MSG148   DC    C'DMSABN148T System ABEND ',X'00'
MSGCALL  DC    C' called from ',X'00'
MSGPSW   DC    C', PSW ',X'00'
MSGLINC  DC    C'DMSLDR054E Incomplete operands: LOAD fn, RUN fn [args]',X'00'
MSGSNONE DC    C'DMSLDR040E No program loaded: LOAD fn first, or RUN fn',X'00'
MSGLDNF   DC    C'DMSLDR002E File ',X'00'
MSGMODS  DC    C' MODULE * not found',X'00'
MSGMODA  DC    C' MODULE ',X'00'
MSGLOK   DC    C'DMSLDR700I ',X'00'
MSGLAT   DC    C' loaded at ',X'00'
MSGLENT  DC    C', entry ',X'00'
MSGLBAD  DC    C'DMSLDR133E ',X'00'
MSGNOTP  DC    C' is not a program: ',X'00'
MSGLBIG  DC    C'DMSLDR109S Virtual storage capacity exceeded',X'00'
MSGLIOE  DC    C'DMSLDR104S Error reading file from disk',X'00'
MSGFNS   DC    C'DMSSVC105S File ',X'00'
MSGFNS2  DC    C' not saved: ',X'00'
WHYFULL  DC    C'the disk is full',X'00'
WHYDFULL DC    C'the disk''s directory is full',X'00'
WHYRO    DC    C'the disk is read-only or not accessed',X'00'
WHYIOE   DC    C'disk error',X'00'
WHYFMT   DC    C'not F 512 records (vmlab disk put stores an image so)',X'00'
WHYSHORT DC    C'shorter than an image header',X'00'
WHYMAGIC DC    C'no VL32 image magic',X'00'
WHYVER   DC    C'image version or flags unknown',X'00'
WHYNSEG  DC    C'segment count not 1 to 256',X'00'
WHYENTRY DC    C'entry point outside C0000-DEFFF or not a multiple of 4',X'00'
WHYTRUNC DC    C'a segment runs past the end of the file',X'00'
WHYPLACE DC    C'a segment lies outside C0000-DEFFF (INCLUDE cmslib.s places a program)',X'00'
WHYTAIL  DC    C'more than padding after the last segment',X'00'
         DROP  R11
