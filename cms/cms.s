* cms/cms.s -- the CMS nucleus (first slice), IPLed as named system CMS.
*
* CMS is a single-user operating system: it trusts CP to give it a
* whole virtual machine, and it talks to CP rather than to hardware
* wherever that is cheaper.  Its terminal is the 3215 console at 009,
* driven by channel programs (one CCW to write a line, one to read);
* its disks are the minidisks 191 (A, read/write) and 190 (S, the
* read-only system disk) and up to 24 more that ACCESS gives other
* mode letters (cms/disk.s), read and written with DIAGNOSE X'018'
* (block I/O without channel programs: one trap per request) or, after
* SET DISKIO SIO, with channel programs like any other device (BLKIO).
* CP commands go to CP through DIAGNOSE X'008', which hands back CP's
* response in a buffer.
*
* The life of a command:
*
*   READY  types "R;" (or "R(nnnnn);" after an error)
*     -> READLINE  a console READ, then upper case, then PARSE into
*                  up to 8 blank-padded tokens of 8 characters
*     -> DISPATCH  the first token against CMDTAB (minimum abbreviations)
*          found:      the command's routine, return code in R15
*          not found:  IMPLIED: the whole line to CP; if CP does not know
*                      it either, "Unknown CP/CMS command", R(-0003)
*
* Storage map of the (1M) virtual machine.  Each region has one owner,
* so that commands can run inside one another (an EXEC runs EDIT, a
* user program reads a file) without trampling each other's storage:
*
*   00000  low storage: PSWs, CSW, CAW; 200-287 svc.s's save areas
*   00400  this nucleus: code, then its data area (NUCDATA, base R12)
*   10000  A-disk directory (up to 64 blocks)   18000 A-disk bitmap
*   1A000  A-disk label block
*   20000  S-disk directory                     28000 S-disk bitmap
*   2A000  S-disk label block                   2A200 scratch block
*   2A400  BLKIO's channel program (SET DISKIO SIO)
*   2B000  CP response buffer (4K)              30000 stack top (down)
*   30000  FILEBUF: TYPE, COPYFILE, PRINT, PUNCH read a whole file here
*   70000  EXECBUF: the EXEC interpreter (file text, variables)
*   80000  EDITBUF: the editor's lines
*   A0000  DISKPOOL: tables of disks accessed beyond A and S: the ADTs
*          of modes B..Z (ADTPOOL), then each disk's label, bitmap and
*          directory, packed from POOLBASE up to POOLTOP (cms/disk.s)
*   C0000  USERAREA: user programs (LOAD/START/RUN), their SVC buffers
*   FF000  end (CMS needs a 1M virtual machine)
* The disk format is cms/FORMAT.md.  The register conventions and the
* macros are in cms/cmsmac.s.
         INCLUDE 'cmsmac.s'

DIRA     EQU   X'10000'
BMA      EQU   X'18000'
LBLA     EQU   X'1A000'
DIRS     EQU   X'20000'
BMS      EQU   X'28000'
LBLS     EQU   X'2A000'
SCRATCH  EQU   X'2A200'
RESPBUF  EQU   X'2B000'
RESPMAX  EQU   4096
STACKTOP EQU   X'30000'
FILEBUF  EQU   X'30000'
FILEMAXB EQU   (X'70000'-X'30000')/512    ; blocks that fit in the buffer
EXECBUF  EQU   X'70000'
EDITBUF  EQU   X'80000'
DISKPOOL EQU   X'A0000'
ADTPOOL  EQU   DISKPOOL                   ; 26 ADTs, by mode letter
POOLBASE EQU   DISKPOOL+X'800'            ; tables of disks B..Z
POOLEND  EQU   DISKPOOL+X'20000'
SIOAREA  EQU   X'2A400'                   ; BLKIO's CCWs, then block number
SIO_LOC  EQU   64
USERAREA EQU   X'C0000'
USEREND  EQU   X'FF000'
LINEMAX  EQU   130                        ; console line length
OUTMAX   EQU   200

* An active disk table entry (ADT), one per accessed disk.
ADT_DEV  EQU   0       ; device number
ADT_MODE EQU   4       ; mode letter
ADT_FLAG EQU   5       ; 1 accessed, 2 read-only
ADT_LBL  EQU   8       ; address of the label block in storage
ADT_BM   EQU   12      ; address of the bitmap
ADT_DIR  EQU   16      ; address of the directory
ADT_BLKS EQU   20      ; blocks on the disk
ADT_BMS  EQU   24      ; first bitmap block
ADT_BMN  EQU   28      ; bitmap blocks
ADT_DIRS EQU   32      ; first directory block
ADT_DIRN EQU   36      ; directory blocks
ADT_CUU  EQU   40      ; the device number as text, e.g. '191 '
ADT_DATA EQU   44      ; first data block
ADT_LEN  EQU   48

* Label block and directory entry (FST) offsets: cms/FORMAT.md.
LB_VER   EQU   8
LB_BLKS  EQU   20
LB_BMS   EQU   24
LB_BMN   EQU   28
LB_DIRS  EQU   32
LB_DIRN  EQU   36
LB_DATA  EQU   40
LB_USED  EQU   44
LB_FILES EQU   48
FST_FT   EQU   8
FST_RECF EQU   16
FST_LREC EQU   20
FST_RECS EQU   24
FST_BYTE EQU   28
FST_FRST EQU   32
FST_NBLK EQU   36
FST_LEN  EQU   64

         ORG   0
         PSW   0,IPL                      ; the IPL PSW: disabled, supervisor
         ORG   LC_SVC_NEW
         PSW   0,SVCINT                   ; a user program's SVC (svc.s)
         ORG   LC_PGM_NEW
         PSW   0,PGMINT                   ; a program check (svc.s)
         ORG   LC_IO_NEW
         PSW   0,IOINT                    ; an I/O interruption: see CONIO
         ORG   X'400'

* ------------------------------------------------------------------
* IPL: access the disks, say hello, and go to the ready loop.
IPL      LI    R12,NUCDATA
         USING NUCDATA,R12
         LI    R13,STACKTOP
         CALL  DKINIT                     ; the ADTs of modes B..Z: none
         LA    R8,ADTA
         CALL  ACCREPT
         LA    R8,ADTS
         CALL  ACCREPT
         TYPESZ BANNER
         CALL  PROFEXEC                   ; PROFILE EXEC, if any (exec.s)

* ------------------------------------------------------------------
* The ready loop: type R; or R(nnnnn); then read and run a command.
READY    LTR   R9,R15
         JNZ   READYRC
         TYPESZ MSGR
         J     GETCMD
READYRC  CALL  OCLR
         LA    R2,MSGRPFX                 ; "R("
         CALL  OAPPSZ
         LR    R1,R9
         LHI   R3,5
         LTR   R9,R9
         JNM   READYPOS
         LA    R2,MINUS
         LHI   R3,1
         CALL  OAPP
         LCR   R1,R9
         LHI   R3,4
READYPOS LHI   R0,C'0'
         CALL  ONUM
         LA    R2,MSGRSFX                 ; ");"
         CALL  OAPPSZ
         CALL  OFLUSH
GETCMD   CALL  READLINE
         L     R0,INLEN
         LTR   R0,R0
         JZ    GETCMD                     ; an empty line: read again
         CALL  UPCASE
         CALL  PARSE
         L     R0,NTOK
         LTR   R0,R0
         JZ    GETCMD
         CALL  DISPATCH
         J     READY

* ------------------------------------------------------------------
* DISPATCH: run the command named by token 1.  R15 := return code.
DISPATCH ENTER
         L     R3,TOKLEN
         CHI   R3,8
         JH    DSPIMPL
         LA    R6,CMDTAB
DSPLOOP  LLC   R0,0(,R6)
         LTR   R0,R0
         JZ    DSPIMPL                    ; end of the table
         L     R0,8(,R6)                  ; minimum abbreviation
         CR    R3,R0
         JL    DSPNEXT
         LA    R1,TOKS
         CLC   R1,R6,R3                   ; the token is a prefix of the name?
         JNE   DSPNEXT
         L     R1,12(,R6)
         BALR  R14,R1                     ; the command's routine
         LEAVE
DSPNEXT  AHI   R6,16
         J     DSPLOOP
DSPIMPL  CALL  IMPEXEC                    ; "name EXEC" first (exec.s)
         LTR   R0,R0
         JNZ   DSPRAN
         CALL  IMPLIED
DSPRAN   LEAVE

* IMPLIED: not a CMS command: try the line as a CP command (implied CP,
* as CMS does with IMPCP on).  CP's "unknown command" (return code 1)
* becomes CMS's own message.
IMPLIED  ENTER
         LA    R2,INBUF
         L     R4,INLEN
         CALL  CPEXEC
         CHI   R4,1
         JE    IMPUNK
         LR    R9,R4
         CALL  TYPERESP
         LR    R15,R9
         LEAVE
IMPUNK   TYPESZ MSGUNK
         LEAVERC -3

* CP cmd: pass the rest of the line to CP and type CP's response.
CMDCP    ENTER
         L     R0,NTOK
         CHI   R0,2
         JL    CPNONE
         L     R2,TOKPOS+4                ; where token 2 starts
         L     R4,INEND
         SR    R4,R2
         CALL  CPEXEC
         LR    R9,R4
         CALL  TYPERESP
         LR    R15,R9
         LEAVE
CPNONE   LEAVERC 0

* CPEXEC: DIAGNOSE X'008': the command of R4 bytes at R2; CP's response
* goes to RESPBUF.  Out: R4 = CP's return code, R5 = response length.
CPEXEC   LI    R3,RESPBUF
         LHI   R5,RESPMAX
         DIAG  R2,R4,X'008'
         BR    R14

* TYPERESP: type the R5 bytes of RESPBUF, one line per newline.
TYPERESP ENTER
         LI    R6,RESPBUF
         LR    R7,R6
         AR    R7,R5                      ; the end
TRLINE   CR    R6,R7
         JNL   TRDONE
         LR    R8,R6
TRSCAN   CR    R8,R7
         JNL   TRCUT
         LLC   R0,0(,R8)
         CHI   R0,10
         JE    TRCUT
         AHI   R8,1
         J     TRSCAN
TRCUT    LR    R2,R6
         LR    R3,R8
         SR    R3,R6
         CALL  TYPELN
         LA    R6,1(,R8)
         J     TRLINE
TRDONE   LEAVE

* ------------------------------------------------------------------
* LISTFILE [fn [ft [fm]]]: the files matching the patterns (* alone, or
* at the end: PROF*).  The defaults are * * A; fm * means every disk.
CMDLIST  ENTER
         LA    R1,PATFN
         LA    R2,STAR16
         LHI   R3,16
         MVC   R1,R2,R3                   ; fn and ft patterns := * *
         LHI   R0,C'A'
         STC   R0,PATFM
         L     R4,NTOK
         CHI   R4,2
         JL    LSTGO
         LA    R2,TOKS+8
         LHI   R3,8
         MVC   R1,R2,R3                   ; fn pattern
         CHI   R4,3
         JL    LSTGO
         LA    R1,PATFT
         LA    R2,TOKS+16
         MVC   R1,R2,R3                   ; ft pattern
         CHI   R4,4
         JL    LSTGO
         LLC   R0,TOKS+24
         STC   R0,PATFM
LSTGO    LHI   R11,0                      ; files listed
         LHI   R8,0
LSTNEXT  CALL  NEXTADT                    ; the disks in order A..Z
         LTR   R8,R8
         JZ    LSTEND
         CALL  LSTDISK
         J     LSTNEXT
LSTEND   LTR   R11,R11
         JNZ   LSTOK
         TYPESZ MSGLNF
         LEAVERC 28
LSTOK    LEAVERC 0

* LSTDISK: list the matching files of the disk at R8; R11 += count.
LSTDISK  ENTER
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,1
         JZ    LDDONE
         LLC   R0,PATFM
         CHI   R0,C'*'
         JE    LDGO
         LLC   R1,ADT_MODE(,R8)
         CR    R0,R1
         JNE   LDDONE
LDGO     L     R9,ADT_DIR(,R8)
         L     R10,ADT_DIRN(,R8)
         SLL   R10,3                      ; 8 entries per block
LDLOOP   LTR   R10,R10
         JZ    LDDONE
         LLC   R0,0(,R9)
         LTR   R0,R0
         JZ    LDNEXT                     ; a free entry
         LA    R4,PATFN
         LR    R5,R9
         CALL  MATCH8
         JNE   LDNEXT
         LA    R4,PATFT
         LA    R5,FST_FT(,R9)
         CALL  MATCH8
         JNE   LDNEXT
         CALL  OCLR
         LR    R2,R9
         LHI   R3,8
         CALL  OAPP
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,FST_FT(,R9)
         LHI   R3,8
         CALL  OAPP
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,ADT_MODE(,R8)
         LHI   R3,1
         CALL  OAPP
         LA    R2,DIGIT1
         LHI   R3,1
         CALL  OAPP
         CALL  OFLUSH
         AHI   R11,1
LDNEXT   AHI   R9,FST_LEN
         AHI   R10,-1
         J     LDLOOP
LDDONE   LEAVE

* MATCH8: the 8-byte name at R5 against the pattern at R4: a '*' ends
* the part that must match.  CC 0 if it matches.  Changes R0, R6, R7.
MATCH8   LHI   R6,0
M8LOOP   CHI   R6,8
         JNL   M8ALL
         LR    R7,R4
         AR    R7,R6
         LLC   R0,0(,R7)
         CHI   R0,C'*'
         JE    M8CMP
         AHI   R6,1
         J     M8LOOP
M8ALL    LHI   R6,8
M8CMP    CLC   R5,R4,R6
         BR    R14

* ------------------------------------------------------------------
* TYPE fn ft [fm]: type a file's records on the terminal.
CMDTYPE  ENTER
         L     R0,NTOK
         CHI   R0,3
         JL    TYINC
         CALL  GETFM
         LA    R2,TOKS+8
         CALL  LOOKUP
         LTR   R9,R9
         JZ    TYNF
         CALL  READF
         LTR   R15,R15
         JNZ   TYERR
         LI    R10,FILEBUF                ; the next record
         L     R11,FST_BYTE(,R9)
         AR    R11,R10                    ; the end of the records
TYLOOP   CR    R10,R11
         JNL   TYDONE
         LLC   R0,FST_RECF(,R9)
         CHI   R0,C'V'
         JE    TYVAR
         LR    R2,R10                     ; F: LRECL bytes
         L     R3,FST_LREC(,R9)
         LTR   R3,R3                      ; a damaged entry must not
         JZ    TYDONE                     ; loop for ever or run wild
         CL    R3,FST_BYTE(,R9)
         JH    TYDONE
         AR    R10,R3
         J     TYOUT
TYVAR    LLC   R3,0(,R10)                 ; V: a 2-byte length (at any
         SLL   R3,8                       ; address: LLH wants an even
         LLC   R0,1(,R10)                 ; one), then the bytes
         OR    R3,R0
         LA    R2,2(,R10)
         LR    R10,R2
         AR    R10,R3
TYOUT    CR    R10,R11
         JH    TYDONE                     ; a record past the end: damaged
         CALL  OCLR
         CALL  OAPPT
         CALL  OFLUSH
         J     TYLOOP
TYDONE   LEAVERC 0
TYINC    TYPESZ MSGTINC
         LEAVERC 24
TYNF     LA    R2,MSGTNF
         CALL  NFMSG
         LEAVERC 28
TYERR    CHI   R15,1
         JE    TYBIG
         TYPESZ MSGTERR
         LEAVERC 100
TYBIG    TYPESZ MSGTBIG
         LEAVERC 104

* READF: read the file of entry R9 on disk R8 into FILEBUF.
* R15 := 0, 1 (too big for storage) or 2 (a disk error).
READF    LI    R5,FILEBUF
         LHI   R6,FILEMAXB
*        (falls into FSREAD)

* FSREAD: read the file of entry R9 on disk R8 into storage at R5,
* which has room for R6 blocks (whole blocks are read: the bytes after
* the record stream in its last block come too).  R15 := 0, 1 (more
* than R6 blocks) or 2 (a disk error, or an entry that claims more
* bytes than its blocks hold).  Changes R0..R7, R10.
FSREAD   ENTER
         L     R10,FST_NBLK(,R9)
         CLR   R10,R6
         JH    RFBIG
         L     R0,FST_BYTE(,R9)
         LR    R1,R10
         SLL   R1,9
         CLR   R0,R1
         JH    RFERR                      ; more bytes than its blocks hold
         L     R3,FST_FRST(,R9)
RFLOOP   LTR   R10,R10
         JZ    RFOK
         LR    R4,R10                     ; at most 128 blocks a request
         CHI   R4,128
         JNH   RFREAD
         LHI   R4,128
RFREAD   LHI   R2,1
         CALL  BLKIO
         LTR   R15,R15
         JNZ   RFERR
         AR    R3,R4
         SR    R10,R4
         LR    R0,R4
         SLL   R0,9
         AR    R5,R0
         J     RFLOOP
RFOK     LEAVERC 0
RFBIG    LEAVERC 1
RFERR    LEAVERC 2

* FSWRITE: write a file: the record stream at R5 becomes the file
* named by the 16 bytes at R2 (fn ft, blank-padded) on the disk of ADT
* R8, replacing a file of that name.  The caller fills FWFST's record
* format, LRECL, record count and byte count (FST_RECF, FST_LREC,
* FST_RECS, FST_BYTE); FSWRITE does the rest.  The order keeps the disk
* consistent if CMS stops half way: the data goes to free blocks (the
* old file's blocks stay in use until the new data is on the disk),
* then the directory, bitmap and label are written (WRMETA).
* R15 := 0, 13 (full: R0 = 1 the directory, 2 the blocks), 36 (a
* read-only disk) or 100 (a disk error).  Changes R0..R7, R9..R11.
FSWRITE  ENTER
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JNZ   FWRO
         LA    R1,FWFST                   ; the name into the new entry
         LHI   R3,16
         MVC   R1,R2,R3
         LA    R1,FWFST+17                ; flags and reserved: zero
         LA    R2,ZEROS
         LHI   R3,3
         MVC   R1,R2,R3
         LA    R1,FWFST+40
         LHI   R3,24
         MVC   R1,R2,R3
         L     R1,FWFST+FST_BYTE          ; blocks: ceil(bytes / 512)
         AHI   R1,511
         SRL   R1,9
         ST    R1,FWFST+FST_NBLK
         LR    R11,R5                     ; keep the data's address
         LHI   R0,C'*'                    ; the old file, if any: its
         STC   R0,WANTFM                  ; slot is the new one's
         LA    R2,FWFST
         CALL  LKONE
         LR    R10,R9
         LTR   R9,R9
         JNZ   FWRUN
         LA    R2,ZEROS                   ; else a free entry
         CALL  LKONE
         LR    R10,R9
         LTR   R9,R9
         JZ    FWDFULL
FWRUN    L     R4,FWFST+FST_NBLK          ; a free run of blocks
         LHI   R3,0
         LTR   R4,R4
         JZ    FWNODATA
         CALL  FINDRUN
         LTR   R3,R3
         JZ    FWFULL
FWNODATA ST    R3,FWFST+FST_FRST
         LR    R5,R11                     ; write the data
FWLOOP   LTR   R4,R4
         JZ    FWDATA
         ST    R4,FWLEFT
         CHI   R4,128
         JNH   FWW1
         LHI   R4,128
FWW1     LHI   R2,2
         CALL  BLKIO
         LTR   R15,R15
         JNZ   FWIOE
         AR    R3,R4
         LR    R0,R4
         SLL   R0,9
         AR    R5,R0
         L     R0,FWLEFT
         SR    R0,R4
         LR    R4,R0
         J     FWLOOP
FWDATA   LR    R9,R10                     ; the old file goes
         LLC   R0,0(,R9)
         LTR   R0,R0
         JZ    FWNEW
         CALL  FREEFILE
FWNEW    L     R3,FWFST+FST_FRST          ; the new one comes
         L     R4,FWFST+FST_NBLK
         CALL  SETBITS
         LR    R1,R9
         LA    R2,FWFST
         LHI   R3,FST_LEN
         MVC   R1,R2,R3
         L     R1,ADT_LBL(,R8)            ; the label's counts
         L     R0,LB_USED(,R1)
         A     R0,FWFST+FST_NBLK
         ST    R0,LB_USED(,R1)
         L     R0,LB_FILES(,R1)
         AHI   R0,1
         ST    R0,LB_FILES(,R1)
         CALL  WRMETA
         LTR   R15,R15
         JNZ   FWIOE
         LEAVERC 0
FWRO     LEAVERC 36
FWDFULL  LHI   R0,1                       ; R0 says which: the directory
         LEAVERC 13
FWFULL   LHI   R0,2                       ; or the blocks
         LEAVERC 13
FWIOE    LEAVERC 100

* FREEFILE: forget the file of entry R9 on disk R8 in storage: clear
* its blocks' bits, take it out of the label's counts, and zero its
* entry.  The caller writes the metadata (WRMETA).  Changes R0..R6.
FREEFILE L     R3,FST_FRST(,R9)
         L     R4,FST_NBLK(,R9)
         L     R5,ADT_BM(,R8)
FFLOOP   LTR   R4,R4
         JZ    FFDONE
         LR    R1,R3
         SRL   R1,3
         AR    R1,R5                      ; the byte of block R3
         LR    R2,R3
         NHI   R2,7
         LHI   R6,X'80'
         SRL   R6,0(R2)                   ; its bit
         XHI   R6,X'FF'
         LLC   R0,0(,R1)
         NR    R0,R6
         STC   R0,0(,R1)
         AHI   R3,1
         AHI   R4,-1
         J     FFLOOP
FFDONE   L     R1,ADT_LBL(,R8)
         L     R0,LB_USED(,R1)
         S     R0,FST_NBLK(,R9)
         ST    R0,LB_USED(,R1)
         L     R0,LB_FILES(,R1)
         AHI   R0,-1
         ST    R0,LB_FILES(,R1)
         LA    R2,ZEROS
         LHI   R3,FST_LEN
         MVC   R9,R2,R3                   ; a free entry is all zeros
         BR    R14

* ------------------------------------------------------------------
* ERASE is in cms/disk.s (patterns, any disk).

* CHKEXT: CC and R15 nonzero unless the extent of entry R9 lies inside
* the data area of disk R8 (a damaged directory must not make ERASE or
* COPYFILE touch storage outside the bitmap).
CHKEXT   L     R0,FST_FRST(,R9)
         L     R1,FST_NBLK(,R9)
         LHI   R15,0
         LTR   R1,R1
         BCR   8,R14                      ; an empty file has no extent
         LHI   R15,1
         CL    R0,ADT_DATA(,R8)
         BCR   4,R14                      ; starts in the metadata
         CL    R1,ADT_BLKS(,R8)
         BCR   2,R14                      ; longer than the disk
         AR    R0,R1
         CL    R0,ADT_BLKS(,R8)
         BCR   2,R14                      ; ends past the disk
         LHI   R15,0
         BR    R14

* WRMETA: write the directory, the bitmap and last the label of disk
* R8.  R15 := 0 or the DIAGNOSE error.
WRMETA   ENTER
         LHI   R2,2
         L     R3,ADT_DIRS(,R8)
         L     R4,ADT_DIRN(,R8)
         L     R5,ADT_DIR(,R8)
         CALL  BLKIO
         LTR   R15,R15
         JNZ   WMDONE
         LHI   R2,2
         L     R3,ADT_BMS(,R8)
         L     R4,ADT_BMN(,R8)
         L     R5,ADT_BM(,R8)
         CALL  BLKIO
         LTR   R15,R15
         JNZ   WMDONE
         LHI   R2,2
         LHI   R3,0
         LHI   R4,1
         L     R5,ADT_LBL(,R8)
         CALL  BLKIO
WMDONE   LEAVE

* ------------------------------------------------------------------
* STATE fn ft [fm]: R(00000) if the file exists, else 28 and a message.
CMDSTATE ENTER
         L     R0,NTOK
         CHI   R0,3
         JL    STINC
         CALL  GETFM
         LA    R2,TOKS+8
         CALL  LOOKUP
         LTR   R9,R9
         JZ    STNF
         LEAVERC 0
STINC    TYPESZ MSGSINC
         LEAVERC 24
STNF     LA    R2,MSGSNF
         CALL  NFMSG
         LEAVERC 28

* NEWNAME: NEWFN/NEWFT := tokens 5 and 6 (the target of RENAME and
* COPYFILE), where '=' means the same as tokens 2 and 3.  R15 := 24 if
* there are fewer than 6 tokens.
NEWNAME  LHI   R15,24
         L     R0,NTOK
         CHI   R0,6
         BCR   4,R14
         LA    R1,NEWFN
         LA    R2,TOKS+32                 ; token 5
         LHI   R3,8
         LLC   R0,0(,R2)
         CHI   R0,C'='
         JNE   NN1
         LA    R2,TOKS+8
NN1      MVC   R1,R2,R3
         LA    R1,NEWFT
         LA    R2,TOKS+40                 ; token 6
         LLC   R0,0(,R2)
         CHI   R0,C'='
         JNE   NN2
         LA    R2,TOKS+16
NN2      MVC   R1,R2,R3
         LHI   R15,0
         BR    R14

* RENAME fn ft fm fn2 ft2 [fm2]: a new name for a file, on its own
* disk (fm2, if given, must be that disk or =).
CMDRENAM ENTER
         CALL  NEWNAME
         LTR   R15,R15
         JNZ   RNINC
         CALL  GETFM
         LA    R2,TOKS+8                  ; the file must exist
         CALL  LOOKUP
         LTR   R10,R9
         JZ    RNNF
         LR    R11,R8
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JNZ   RNRO
         L     R0,NTOK
         CHI   R0,7
         JL    RNSAME
         LLC   R0,TOKS+48                 ; fm2
         CHI   R0,C'='
         JE    RNSAME
         LLC   R1,ADT_MODE(,R8)
         CR    R0,R1
         JNE   RNMODE
RNSAME   LLC   R0,ADT_MODE(,R8)
         STC   R0,WANTFM
         LA    R2,NEWFN                   ; and the new name be free
         CALL  LOOKUP
         LTR   R9,R9
         JNZ   RNEXIST
         LR    R8,R11                     ; (LOOKUP changed R8)
         LR    R1,R10
         LA    R2,NEWFN
         LHI   R3,16
         MVC   R1,R2,R3
         CALL  WRMETA
         LTR   R15,R15
         JNZ   RNIOE
         LEAVERC 0
RNINC    TYPESZ MSGRINC
         LEAVERC 24
RNRO     LI    R2,MSGRRO
         CALL  ROMSG
         LEAVERC 36
RNMODE   LI    R2,MSGRMODE
         CALL  TYPESZR
         LEAVERC 24
RNEXIST  LA    R2,MSGREX
         CALL  EXMSG
         LEAVERC 28
RNNF     LA    R2,MSGRNF
         CALL  NFMSG
         LEAVERC 28
RNIOE    TYPESZ MSGEIOE
         LEAVERC 100

* EXMSG: type "<prefix at R2>fn2 ft2 fm already exists" (fm: WANTFM).
EXMSG    ENTER
         CALL  OCLR
         CALL  OAPPSZ
         LA    R2,NEWFN
         LHI   R3,8
         CALL  OAPPT
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,NEWFT
         LHI   R3,8
         CALL  OAPPT
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,WANTFM
         LHI   R3,1
         CALL  OAPP
         LA    R2,MSGEX2
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVE

* COPYFILE fn ft fm fn2 ft2 [fm2]: copy a file (from any disk) to a
* new file on disk fm2 (= is the source's disk; the default is A).
* The steps, in the order that keeps the disk
* consistent if CMS stops half way: read the file, find a free run of
* blocks, write the data, then the directory, bitmap and label.
CMDCOPY  ENTER
         CALL  NEWNAME
         LTR   R15,R15
         JNZ   CPYINC
         CALL  GETFM                      ; the source
         LA    R2,TOKS+8
         CALL  LOOKUP
         LTR   R9,R9
         JZ    CPYNF
         LR    R10,R8
         LR    R11,R9
         LHI   R0,C'A'                    ; the target's disk
         L     R1,NTOK
         CHI   R1,7
         JL    CPYTGT
         LLC   R0,TOKS+48
         CHI   R0,C'='
         JNE   CPYTGT
         LLC   R0,ADT_MODE(,R10)
CPYTGT   STC   R0,WANTFM
         CALL  ADTOF
         LTR   R8,R8
         JZ    CPYNOA
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JNZ   CPYRO
         LA    R2,NEWFN
         CALL  LOOKUP
         LTR   R9,R9
         JNZ   CPYEXIST
         LR    R8,R10
         LR    R9,R11
         LA    R1,FWFST                   ; the source's format and size
         LR    R2,R9
         LHI   R3,FST_LEN
         MVC   R1,R2,R3
         CALL  READF                      ; its data into FILEBUF
         CHI   R15,1
         JE    CPYBIG
         LTR   R15,R15
         JNZ   CPYERR
         LLC   R0,WANTFM
         CALL  ADTOF
         LA    R2,NEWFN
         LI    R5,FILEBUF
         CALL  FSWRITE
         LTR   R15,R15
         JZ    CPYOK
         CHI   R15,13
         JNE   CPYWERR
         CHI   R0,1
         JE    CPYDFULL
         J     CPYFULL
CPYOK    LEAVERC 0
CPYINC   TYPESZ MSGCINC
         LEAVERC 24
CPYEXIST LA    R2,MSGCEX
         CALL  EXMSG
         LEAVERC 28
CPYNF    LA    R2,MSGCNF
         CALL  NFMSG
         LEAVERC 28
CPYBIG   TYPESZ MSGCBIG
         LEAVERC 104
CPYERR   TYPESZ MSGCERR
         LEAVERC 100
CPYDFULL LI    R2,MSGCDF
         LI    R3,MSGCDF2
         CALL  DSKMSG
         LEAVERC 13
CPYFULL  LI    R2,MSGCDF
         LI    R3,MSGCFUL2
         CALL  DSKMSG
         LEAVERC 13
CPYNOA   LI    R2,MSGCNOA
         CALL  NAMSG
         LEAVERC 36
CPYRO    LI    R2,MSGCRO
         CALL  ROMSG
         LEAVERC 36
CPYWERR  TYPESZ MSGEIOE
         LEAVERC 100

* FINDRUN: the first run of R4 free blocks in the data area of disk R8
* (first fit, as `vmlab disk put` does).  R3 := its first block, or 0.
* Changes R0..R2, R5..R7.
FINDRUN  L     R5,ADT_DATA(,R8)           ; the block looked at
         L     R6,ADT_BLKS(,R8)
         LHI   R7,0                       ; free blocks in a row so far
FRLOOP   LHI   R3,0
         CLR   R5,R6
         BCR   11,R14                     ; the end of the disk: none
         LR    R1,R5
         SRL   R1,3
         A     R1,ADT_BM(,R8)
         LLC   R0,0(,R1)
         LR    R2,R5
         NHI   R2,7
         SLL   R0,24
         SLL   R0,0(R2)                   ; the block's bit to the top
         LTR   R0,R0
         JM    FRUSED
         AHI   R7,1
         CR    R7,R4
         JE    FRFOUND
         J     FRNEXT
FRUSED   LHI   R7,0
FRNEXT   AHI   R5,1
         J     FRLOOP
FRFOUND  LR    R3,R5
         SR    R3,R4
         AHI   R3,1
         BR    R14

* SETBITS: mark R4 blocks from block R3 in use in the bitmap of disk R8.
* Changes R0..R2, R6.
SETBITS  LTR   R4,R4
         BCR   8,R14
         STM   R3,R4,SBSAVE
SBLOOP   LR    R1,R3
         SRL   R1,3
         A     R1,ADT_BM(,R8)
         LR    R2,R3
         NHI   R2,7
         LHI   R6,X'80'
         SRL   R6,0(R2)
         LLC   R0,0(,R1)
         OR    R0,R6
         STC   R0,0(,R1)
         AHI   R3,1
         AHI   R4,-1
         JNZ   SBLOOP
         LM    R3,R4,SBSAVE
         BR    R14

* GETFM: WANTFM := the fm token's letter, or '*' without one.
GETFM    LHI   R0,C'*'
         L     R1,NTOK
         CHI   R1,4
         JL    GETFM1
         LLC   R0,TOKS+24
GETFM1   STC   R0,WANTFM
         BR    R14

* LOOKUP: find the file named by the 16 bytes at R2 (fn and ft,
* blank-padded: tokens 2 and 3 are just that) on the accessed disks
* that WANTFM allows: that one disk, or for '*' every disk in the
* search order A..Z.  Out: R8 = its disk, R9 = its entry, or R9 = 0
* (then R8 = 0 if WANTFM names a disk that is not accessed).
* Changes R0, R1, R3.
LOOKUP   ENTER
         LLC   R0,WANTFM
         CHI   R0,C'*'
         JE    LKALL
         CALL  ADTOF                      ; one disk: straight to it
         LHI   R9,0
         LTR   R8,R8
         JZ    LKDONE
         CALL  LKONE
         J     LKDONE
LKALL    LHI   R8,0
LKNEXT   CALL  NEXTADT
         LHI   R9,0
         LTR   R8,R8
         JZ    LKDONE
         CALL  LKONE
         LTR   R9,R9
         JZ    LKNEXT
LKDONE   LEAVE
LKONE    LHI   R9,0
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,1
         BCR   8,R14                      ; not accessed
         LLC   R0,WANTFM
         CHI   R0,C'*'
         JE    LKFIND
         LLC   R1,ADT_MODE(,R8)
         CR    R0,R1
         BCR   7,R14                      ; another disk
LKFIND   L     R9,ADT_DIR(,R8)            ; a linear search of the directory
         L     R1,ADT_DIRN(,R8)
         SLL   R1,3
         LHI   R3,16
LKLOOP   CLC   R9,R2,R3
         BCR   8,R14
         AHI   R9,FST_LEN
         AHI   R1,-1
         JNZ   LKLOOP
         LHI   R9,0
         BR    R14

* ADTOF: R8 := the ADT of the disk accessed as mode R0 (a letter), or
* 0 if no disk is accessed with that letter.  Changes R1.
ADTOF    ENTER
         CALL  ADTSLOT
         LTR   R8,R8
         JZ    ADTOF0
         LLC   R1,ADT_FLAG(,R8)
         NHI   R1,1
         JNZ   ADTOF1
ADTOF0   LHI   R8,0
ADTOF1   LEAVE

* ADTSLOT: R8 := the ADT for mode letter R0, accessed or not: A and S
* have tables of their own (ADTA, ADTS, and their fixed storage), B..Z
* live in DISKPOOL (ADTPOOL, one ADT_LEN slot per letter).  R8 := 0
* for a character that is not a letter.  Changes R1.
ADTSLOT  LA    R8,ADTA
         CHI   R0,C'A'
         BCR   8,R14
         LA    R8,ADTS
         CHI   R0,C'S'
         BCR   8,R14
         LHI   R8,0
         CHI   R0,C'A'
         BCR   4,R14
         CHI   R0,C'Z'
         BCR   2,R14
         LR    R8,R0
         AHI   R8,-C'A'
         MHI   R8,ADT_LEN
         LI    R1,ADTPOOL
         AR    R8,R1
         BR    R14

* NEXTADT: R8 := the next accessed disk after the one at R8 (R8 = 0:
* the first) in the search order A..Z, or 0 after the last.  Every
* walk over the disks (LOOKUP, LISTFILE, QUERY DISK) goes through
* here.  Changes R0, R1.
NEXTADT  ENTER
         LHI   R0,C'A'
         LTR   R8,R8
         JZ    NXLOOP
         LLC   R0,ADT_MODE(,R8)
         AHI   R0,1
NXLOOP   CHI   R0,C'Z'
         JH    NXNONE
         CALL  ADTSLOT
         LLC   R1,ADT_FLAG(,R8)
         NHI   R1,1
         JNZ   NXDONE
         AHI   R0,1
         J     NXLOOP
NXNONE   LHI   R8,0
NXDONE   LEAVE

* NFMSG: type "<prefix at R2>fn ft fm not found".
NFMSG    LA    R3,MSGNF2
*        (falls into FIDMSG)

* FIDMSG: type "<prefix at R2>fn ft fm<suffix at R3>": the file named by
* tokens 2 and 3 on the mode WANTFM, between two zero-terminated texts.
FIDMSG   ENTER
         AHI   R13,-8                     ; keep the suffix on the stack
         ST    R3,0(,R13)
         CALL  OCLR
         CALL  OAPPSZ
         LA    R2,TOKS+8
         LHI   R3,8
         CALL  OAPPT
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,TOKS+16
         LHI   R3,8
         CALL  OAPPT
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,WANTFM
         LHI   R3,1
         CALL  OAPP
         L     R2,0(,R13)
         AHI   R13,8
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVE

* ------------------------------------------------------------------
* QUERY DISK: the accessed disks, in the search order.  QUERY SEARCH
* and QUERY DISKIO are cms/disk.s's; any other QUERY goes to CP.
CMDQUERY ENTER
         L     R0,NTOK
         CHI   R0,2
         JL    QPASS
         LA    R1,TOKS+8
         LA    R2,WDISK
         LHI   R3,8
         CLC   R1,R2,R3
         JNE   QPASS
         TYPESZ MSGQHDR
         LHI   R8,0
QDNEXT   CALL  NEXTADT
         LTR   R8,R8
         JZ    QDEND
         CALL  QDLINE
         J     QDNEXT
QDEND    LEAVERC 0
QPASS    CALL  QDISKX                     ; SEARCH, DISKIO: cms/disk.s
         CHI   R15,-1                     ; (-1: not one of those)
         JNE   QDONE
         CALL  IMPLIED
QDONE    LEAVE
         LEAVE

QDLINE   ENTER
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,1
         JZ    QDDONE
         L     R9,ADT_LBL(,R8)
         CALL  OCLR
         LA    R2,12(,R9)                 ; the label
         LHI   R3,6
         CALL  OAPP
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,ADT_CUU(,R8)
         LHI   R3,4
         CALL  OAPP
         LA    R2,ADT_MODE(,R8)
         LHI   R3,1
         CALL  OAPP
         LA    R2,MSGRW
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JZ    QDRW
         LA    R2,MSGRO
QDRW     CALL  OAPPSZ
         LHI   R1,512
         LHI   R3,9
         LHI   R0,C' '
         CALL  ONUM
         L     R1,LB_FILES(,R9)
         LHI   R3,7
         LHI   R0,C' '
         CALL  ONUM
         L     R1,LB_USED(,R9)
         LHI   R3,12
         LHI   R0,C' '
         CALL  ONUM
         LA    R2,MINUS
         LHI   R3,1
         CALL  OAPP
         L     R5,LB_USED(,R9)            ; percent used
         MHI   R5,100
         LHI   R4,0
         L     R6,ADT_BLKS(,R8)
         DLR   R4,R6
         LR    R1,R5
         LHI   R3,2
         LHI   R0,C'0'
         CALL  ONUM
         L     R1,ADT_BLKS(,R8)
         S     R1,LB_USED(,R9)
         LHI   R3,11
         LHI   R0,C' '
         CALL  ONUM
         L     R1,ADT_BLKS(,R8)
         LHI   R3,11
         LHI   R0,C' '
         CALL  ONUM
         CALL  OFLUSH
QDDONE   LEAVE

* ------------------------------------------------------------------
* ACCESS and RELEASE are in cms/disk.s.

* FORMAT cuu mode [label]: a new, empty CMS file system on the disk at
* device cuu, then accessed as mode (the label defaults to CMS191).
* CP tells the minidisk's size and whether the link is read-only
* (DIAGNOSE X'018' op 3: CMS on VM/370 asked CP too, with DIAGNOSE
* X'024').  Then the layout of cms/FORMAT.md: label, bitmap (metadata
* blocks in use), empty directory -- written directory first, label
* last -- in the mode's tables (DISKPOOL for B..Z), and ACCESS.
CMDFMT   ENTER
         L     R0,NTOK
         CHI   R0,3
         JL    FMINC
         LA    R1,FMLABEL                 ; the label: token 4, or CMS191
         LA    R2,DEFLABEL
         L     R0,NTOK
         CHI   R0,4
         JL    FMLAB1
         L     R0,TOKLEN+12
         CHI   R0,6
         JH    FMLABBAD
         LA    R2,TOKS+24
         LR    R4,R2                      ; every character a name
         LR    R5,R0                      ; character (cms/FORMAT.md)
FMLCHK   LLC   R0,0(,R4)
         LA    R6,NAMECHS
FMLCHK2  LLC   R7,0(,R6)
         LTR   R7,R7
         JZ    FMLABBAD                   ; not in the list
         CR    R0,R7
         JE    FMLCHK3
         AHI   R6,1
         J     FMLCHK2
FMLCHK3  AHI   R4,1
         AHI   R5,-1
         JNZ   FMLCHK
FMLAB1   LHI   R3,8
         MVC   R1,R2,R3
         CALL  DKPARSE                    ; R10 := device, R11 := its ADT
         CHI   R15,1
         JE    FMDEV
         LTR   R15,R15
         JNZ   FMMODE
         LR    R0,R10                     ; CP says if it is there, how
         CALL  DKQUERY                    ; big, and if it is read-only
         CHI   R15,1
         JE    FMNODEV
         LTR   R15,R15
         JNZ   FMNDISK
         LTR   R0,R0
         JNZ   FMRO
         CLHI  R1,8
         JL    FMSMALL
         LR    R9,R1
         LI    R0,65536                   ; the format's largest disk
         CLR   R9,R0
         JNH   FMSIZE
         LR    R9,R0
FMSIZE   CALL  DKSETUP                    ; R8 := the mode's ADT, free
         LR    R10,R9                     ; blocks
* the layout
         LR    R11,R10
         AHI   R11,4095
         SRL   R11,12                     ; bitmap blocks
         LR    R9,R10
         SRL   R9,6                       ; directory blocks: blocks/64,
         LTR   R9,R9                      ; 1 to 64
         JNZ   FMD1
         LHI   R9,1
FMD1     CHI   R9,64
         JNH   FMD2
         LHI   R9,64
FMD2     ST    R10,ADT_BLKS(,R8)
         LHI   R0,1
         ST    R0,ADT_BMS(,R8)
         ST    R11,ADT_BMN(,R8)
         LA    R0,1(,R11)
         ST    R0,ADT_DIRS(,R8)
         ST    R9,ADT_DIRN(,R8)
         AR    R0,R9
         ST    R0,ADT_DATA(,R8)
         CALL  DKTABLES                   ; where the tables go (B..Z: DISKPOOL)
         LTR   R15,R15
         JNZ   FMBIG
* an empty directory and bitmap, and a label
         L     R1,ADT_DIR(,R8)
         LR    R3,R9
         SLL   R3,9
         CALL  ZERO
         L     R1,ADT_BM(,R8)
         LR    R3,R11
         SLL   R3,9
         CALL  ZERO
         LHI   R3,0                       ; the metadata blocks are in use
         L     R4,ADT_DATA(,R8)
         CALL  SETBITS
         L     R1,ADT_LBL(,R8)
         LHI   R3,512
         CALL  ZERO
         L     R9,ADT_LBL(,R8)
         LR    R1,R9
         LA    R2,MAGIC
         LHI   R3,8
         MVC   R1,R2,R3
         LHI   R0,1
         ST    R0,LB_VER(,R9)
         LA    R1,12(,R9)
         LA    R2,FMLABEL
         MVC   R1,R2,R3
         L     R0,ADT_BLKS(,R8)
         ST    R0,LB_BLKS(,R9)
         L     R0,ADT_BMS(,R8)
         ST    R0,LB_BMS(,R9)
         L     R0,ADT_BMN(,R8)
         ST    R0,LB_BMN(,R9)
         L     R0,ADT_DIRS(,R8)
         ST    R0,LB_DIRS(,R9)
         L     R0,ADT_DIRN(,R8)
         ST    R0,LB_DIRN(,R9)
         L     R0,ADT_DATA(,R8)
         ST    R0,LB_DATA(,R9)
         ST    R0,LB_USED(,R9)
         CALL  WRMETA
         LTR   R15,R15
         JNZ   FMIOE
         CALL  ACCREPT                    ; and use it
         LTR   R15,R15
         JNZ   FMIOE
         CALL  OCLR
         LA    R2,MSGFDONE                ; "DMSFOR732I Disk A(191) formatted: "
         CALL  OAPPSZ
         CALL  DSKAPP
         LA    R2,MSGFDON2
         CALL  OAPPSZ
         L     R1,ADT_BLKS(,R8)
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         LA    R2,MSGFBLK                 ; " blocks, label "
         CALL  OAPPSZ
         LA    R2,FMLABEL
         LHI   R3,8
         CALL  OAPPT
         CALL  OFLUSH
         LEAVERC 0
FMINC    TYPESZ MSGFINC
         LEAVERC 24
FMDEV    TYPESZ MSGFDEV
         LEAVERC 24
FMMODE   TYPESZ MSGFMODE
         LEAVERC 24
FMLABBAD TYPESZ MSGFLAB
         LEAVERC 24
FMSMALL  LA    R2,MSGFSMAL
         LA    R3,MSGFSMA2
         CALL  DSKTMSG
         LEAVERC 24
FMIOE    TYPESZ MSGEIOE
         LEAVERC 100
FMNODEV  LI    R2,MSGFNA                  ; cms/disk.s
         LI    R3,MSGACNA
         CALL  DSKTMSG
         LEAVERC 100
FMNDISK  LI    R2,MSGFNA
         LI    R3,MSGACND
         CALL  DSKTMSG
         LEAVERC 100
FMRO     LI    R2,MSGFRO
         LI    R3,MSGRO2
         CALL  DSKTMSG
         LEAVERC 36
FMBIG    LI    R2,MSGFNA
         LI    R3,MSGFBIG
         CALL  DSKMSG
         LEAVERC 104

* ZERO: clear the R3 bytes at R1 (a multiple of 64).  Changes R0..R3.
ZERO     LTR   R3,R3
         BCR   8,R14
         LA    R2,ZEROS
         LHI   R0,64
ZLOOP    MVC   R1,R2,R0
         AHI   R1,64
         AHI   R3,-64
         JP    ZLOOP
         BR    R14

* ACCREPT and ACCESS (read a disk's label, bitmap and directory) are
* in cms/disk.s.

* BLKIO: block I/O for the disk of ADT R8: operation R2 (1 read,
* 2 write), R4 blocks (at most 256) from block R3, storage at R5.
* R15 := 0 or an error (1 no such device, 2 not a disk, 3 beyond the
* extent or a device error, 4 read-only, 5 a bad request).  Changes
* R0, R1, R6, R7.  The one place that knows how CMS does disk I/O:
*   DIAG (the default): DIAGNOSE X'018', one trap to CP per request,
*        CP moves the blocks itself (paravirtual, as CMS on VM/370);
*   SIO  (SET DISKIO SIO): a channel program, as on a real machine:
*        CP traps the SIO, runs the program against the minidisk, and
*        reflects the I/O interruption, which CMS waits for.
BLKIO    L     R0,DISKIO
         LTR   R0,R0
         JNZ   BLKSIO
         LA    R6,PLIST
         L     R0,ADT_DEV(,R8)
         STH   R0,0(,R6)
         STH   R2,2(,R6)
         ST    R3,4(,R6)
         ST    R4,8(,R6)
         ST    R5,12(,R6)
         LHI   R7,0
         DIAG  R6,R7,X'018'
         LR    R15,R7
         BR    R14

* BLKSIO: the same request as a channel program at SIOAREA: LOCATE
* the first block, then READ or WRITE CCWs of up to 64 blocks (32K: a
* CCW's count is 16 bits), command-chained, so the disk position runs
* on from one to the next.  Start it, wait for the interruption, and
* read the CSW: channel end and device end alone is success; unit
* check (a block outside the extent, a write to a read-only link, not
* a disk) or unit exception (ran off the end) is error 3.
BLKSIO   LR    R7,R14                     ; (the wait returns through R14)
         LHI   R15,5
         CHI   R2,1
         JL    BSDONE
         CHI   R2,2
         JH    BSDONE
         LI    R6,SIOAREA
         ST    R3,SIO_LOC(,R6)            ; the block number
         LHI   R15,X'6340'                ; LOCATE, chain command
         STH   R15,0(,R6)
         LHI   R15,4
         STH   R15,2(,R6)
         LA    R15,SIO_LOC(,R6)
         ST    R15,4(,R6)
         LR    R0,R4                      ; blocks left
         LR    R1,R5                      ; where they go or come from
BSCCW    LTR   R0,R0
         JZ    BSGO
         AHI   R6,8
         LHI   R15,3
         SR    R15,R2                     ; 1 read -> X'02', 2 write -> X'01'
         SLL   R15,8
         OHI   R15,X'40'                  ; chain command
         STH   R15,0(,R6)
         LR    R15,R0
         CHI   R15,64
         JNH   BSCCW1
         LHI   R15,64
BSCCW1   SR    R0,R15
         SLL   R15,9                      ; bytes
         STH   R15,2(,R6)
         ST    R1,4(,R6)
         AR    R1,R15
         J     BSCCW
BSGO     LHI   R15,0
         STC   R15,1(,R6)                 ; the last CCW ends the chain
         LI    R6,SIOAREA
         ST    R6,LC_CAW
         L     R1,ADT_DEV(,R8)
         BRAS  R14,BSSTART
         JNZ   BSCC                       ; not started: no interruption
         LLC   R0,LC_CSW+4                ; unit status
         LLC   R1,LC_CSW+5                ; channel status
         LHI   R15,3
         NHI   R0,UNIT_CHECK+UNIT_EXCEPTION
         JNZ   BSDONE
         LTR   R1,R1
         JNZ   BSDONE
         LHI   R15,0
         J     BSDONE
BSCC     LHI   R15,1                      ; CC 3: no such device
         JO    BSDONE
         LHI   R15,3                      ; CC 1 (status at once), 2 busy
BSDONE   LR    R14,R7
         BR    R14
* BSSTART: SIO to device R1; CC 1..3 returns at once.  Else an enabled
* wait: the I/O new PSW resumes at IOINT, which returns with CC 0.
BSSTART  SIO   0(R1)
         BCR   7,R14
         LPSW  WAITPSW

* ------------------------------------------------------------------
* The terminal.  Output lines are built in OUTBUF (OCLR, OAPP...) and
* typed by OFLUSH.  These routines change only R0..R7.

* READLINE: read a line from the console: INBUF, INLEN, INEND.  At
* the end of the input (unit exception) CMS stops.
READLINE ENTER
         LA    R2,RDCCW
         CALL  CONIO
         LLC   R0,LC_CSW+4                ; unit status
         NHI   R0,UNIT_EXCEPTION
         JNZ   EOFSTOP
         LLH   R0,LC_CSW+6                ; residual count
         LHI   R1,LINEMAX
         SR    R1,R0
         ST    R1,INLEN
         LA    R2,INBUF
         AR    R2,R1
         ST    R2,INEND
         LEAVE
EOFSTOP  LPSW  STOPPSW

* TYPELN: type the R3 bytes at R2 as one line (an empty line as one
* blank: a channel program cannot write zero bytes).
TYPELN   LTR   R3,R3
         JNZ   TYPELN1
         LA    R2,BLANKS
         LHI   R3,1
TYPELN1  STH   R3,WRCCW+2
         ST    R2,WRCCW+4
         LA    R2,WRCCW
*        (falls through: CONIO returns to TYPELN's caller)

* CONIO: run the console channel program at R2 and wait for its end.
* The wait is an enabled wait state; the I/O interruption loads the
* I/O new PSW, which resumes at IOINT, which returns to our caller:
* every I/O CMS starts (here, BLKSIO, the unit-record commands) is
* waited for the same way before the next, so no other interruption
* can come.
CONIO    ST    R2,LC_CAW
         SIO   X'009'
         BCR   7,R14                      ; not started: nothing to wait for
         LPSW  WAITPSW
IOINT    BR    R14

* TYPESZR: type the zero-terminated message at R2.
TYPESZR  LR    R3,R2
TSZLOOP  LLC   R0,0(,R3)
         LTR   R0,R0
         JZ    TSZEND
         AHI   R3,1
         J     TSZLOOP
TSZEND   SR    R3,R2
         J     TYPELN

OCLR     LHI   R0,0
         ST    R0,OUTLEN
         BR    R14

* OAPPSZ: append the zero-terminated string at R2.
OAPPSZ   LR    R3,R2
OSZLOOP  LLC   R0,0(,R3)
         LTR   R0,R0
         JZ    OSZEND
         AHI   R3,1
         J     OSZLOOP
OSZEND   SR    R3,R2
         J     OAPP

* OAPPT: append the R3 bytes at R2 without their trailing blanks.
OAPPT    LTR   R3,R3
         JZ    OAPP
         LR    R1,R2
         AR    R1,R3
         AHI   R1,-1
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JNE   OAPP
         AHI   R3,-1
         J     OAPPT

* OAPP: append the R3 bytes at R2 (what does not fit is dropped).
OAPP     L     R0,OUTLEN
         LHI   R1,OUTMAX
         SR    R1,R0                      ; room left
         CR    R3,R1
         JNH   OAPP1
         LR    R3,R1
OAPP1    LA    R1,OUTBUF
         AR    R1,R0
         MVC   R1,R2,R3
         AR    R0,R3
         ST    R0,OUTLEN
         BR    R14

* ONUM: append R1 (unsigned) in decimal, right-justified in R3
* characters (at most 11), padded on the left with the character R0.
ONUM     LA    R6,NUMEND
         LR    R5,R1
         LHI   R7,10
ONUMLOOP LHI   R4,0
         DLR   R4,R7                      ; R5 := R5 / 10, R4 := remainder
         AHI   R4,C'0'
         AHI   R6,-1
         STC   R4,0(,R6)
         LTR   R5,R5
         JNZ   ONUMLOOP
         LA    R2,NUMEND
ONUMPAD  LR    R4,R2
         SR    R4,R6                      ; digits so far
         CR    R4,R3
         JNL   ONUMOUT
         AHI   R6,-1
         STC   R0,0(,R6)
         J     ONUMPAD
ONUMOUT  LR    R3,R4
         LR    R2,R6
         J     OAPP

OFLUSH   LA    R2,OUTBUF
         L     R3,OUTLEN
         J     TYPELN

* UPCASE: the input line in upper case, as CMS reads commands.
UPCASE   LA    R2,INBUF
         L     R3,INLEN
UCLOOP   LTR   R3,R3
         BCR   8,R14
         LLC   R0,0(,R2)
         CHI   R0,C'a'
         JL    UCNEXT
         CHI   R0,C'z'
         JH    UCNEXT
         AHI   R0,-32
         STC   R0,0(,R2)
UCNEXT   AHI   R2,1
         AHI   R3,-1
         J     UCLOOP

* PARSE: split the input line at blanks into up to 8 tokens: TOKS (8
* bytes each, blank-padded, longer ones cut), TOKLEN (full lengths),
* TOKPOS (where each starts), NTOK.
PARSE    LA    R1,TOKS
         LA    R2,BLANKS
         LHI   R3,64
         MVC   R1,R2,R3
         LA    R2,INBUF
         L     R3,INEND
         LHI   R4,0                       ; tokens found
PSKIP    CR    R2,R3
         JNL   PDONE
         LLC   R0,0(,R2)
         CHI   R0,C' '
         JNE   PTOKEN
         AHI   R2,1
         J     PSKIP
PTOKEN   CHI   R4,8
         JNL   PDONE
         LR    R7,R4
         SLL   R7,2
         LA    R1,TOKPOS
         AR    R1,R7
         ST    R2,0(,R1)
         LR    R5,R4
         SLL   R5,3
         LA    R1,TOKS
         AR    R5,R1                      ; where the token goes
         LHI   R6,0                       ; its length
PCHAR    CR    R2,R3
         JNL   PEND
         LLC   R0,0(,R2)
         CHI   R0,C' '
         JE    PEND
         CHI   R6,8
         JNL   PLONG
         LR    R1,R5
         AR    R1,R6
         STC   R0,0(,R1)
PLONG    AHI   R6,1
         AHI   R2,1
         J     PCHAR
PEND     LA    R1,TOKLEN
         AR    R1,R7
         ST    R6,0(,R1)
         AHI   R4,1
         J     PSKIP
PDONE    ST    R4,NTOK
         BR    R14

* ------------------------------------------------------------------
* The nucleus data area: everything below is addressed through R12.
         DS    0D
NUCDATA  EQU   *
WAITPSW  PSW   PSW_IO+PSW_WAIT,0          ; wait for an I/O interruption
STOPPSW  PSW   PSW_WAIT,0                 ; the end of the terminal input
RDCCW    DC    X'02',X'20',H'130',A(INBUF)   ; read, SLI, LINEMAX bytes
WRCCW    DC    X'01',X'20',H'0',A(0)         ; write: count, address set
PLIST    DS    4F                         ; DIAGNOSE X'018' parameters

* The command table: name, minimum abbreviation, routine.
CMDTAB   DC    CL8'LISTFILE',F'5',A(CMDLIST)
         DC    CL8'TYPE',F'1',A(CMDTYPE)
         DC    CL8'ERASE',F'2',A(CMDERASE)
         DC    CL8'QUERY',F'1',A(CMDQUERY)
         DC    CL8'CP',F'2',A(CMDCP)
         DC    CL8'STATE',F'2',A(CMDSTATE)
         DC    CL8'RENAME',F'3',A(CMDRENAM)
         DC    CL8'COPYFILE',F'4',A(CMDCOPY)
         DC    CL8'ACCESS',F'3',A(CMDACC)
         DC    CL8'FORMAT',F'6',A(CMDFMT)
         DC    CL8'RELEASE',F'3',A(CMDREL)
         DC    CL8'SET',F'3',A(CMDSET)
         DC    CL8'PRINT',F'2',A(CMDPRINT)    ; cms/unitrec.s
         DC    CL8'PUNCH',F'2',A(CMDPUNCH)
         DC    CL8'READCARD',F'4',A(CMDRDCRD)
         DC    CL8'LOAD',F'4',A(CMDLOAD)
         DC    CL8'START',F'5',A(CMDSTART)
         DC    CL8'RUN',F'3',A(CMDRUN)
         DC    CL8'EXEC',F'2',A(CMDEXEC)
         DC    CL8'EDIT',F'1',A(CMDEDIT)
         DC    CL8'HELP',F'1',A(CMDHELP)      ; cms/help.s
         DC    F'0'

* The disks: A is 191 (read/write), S is 190 (the system disk) at IPL;
* ACCESS may put other devices in these two slots too.
ADTA     DC    A(X'191'),C'A',X'00',H'0',A(LBLA,BMA,DIRA),5F'0',C'191 ',F'0'
ADTS     DC    A(X'190'),C'S',X'00',H'0',A(LBLS,BMS,DIRS),5F'0',C'190 ',F'0'

DISKIO   DC    F'0'                       ; BLKIO: 0 DIAGNOSE, 1 SIO
POOLTOP  DC    A(POOLBASE)                ; DISKPOOL: the first free byte
INLEN    DS    F
INEND    DS    F
NTOK     DS    F
TOKLEN   DS    8F
TOKPOS   DS    8F
OUTLEN   DS    F
TOKS     DS    CL64
INBUF    DS    CL132
OUTBUF   DS    CL204
NUMBUF   DS    CL12
NUMEND   EQU   *
PATFN    DS    CL8                        ; LISTFILE patterns
PATFT    DS    CL8
PATFM    DS    CL1
WANTFM   DS    CL1
FMLABEL  DS    CL8                        ; FORMAT: the new label
DEFLABEL DC    CL8'CMS191'
NAMECHS  DC    C'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$#@+-_',X'00'
NEWFN    DS    CL8                        ; RENAME, COPYFILE: the new name
NEWFT    DS    CL8
SBSAVE   DS    2F
FWFST    DS    CL64                       ; FSWRITE: the new entry
FWLEFT   DS    F
MAGIC    DC    C'VMLABCMS'
STAR16   DC    CL8'*',CL8'*'
WDISK    DC    CL8'DISK'
BLANKS   DC    CL64' '
ZEROS    DC    64X'00'
MINUS    DC    C'-'
LPAREN   DC    C'('
DIGIT1   DC    C'1'

BANNER   DC    C'VMLAB CMS VERSION 1',X'00'
MSGR     DC    C'R;',X'00'
MSGRPFX  DC    C'R(',X'00'
MSGRSFX  DC    C');',X'00'
MSGUNK   DC    C'DMSINT003E Unknown CP/CMS command',X'00'
MSGLNF   DC    C'DMSLST002E File not found',X'00'
MSGTNF   DC    C'DMSTYP002E File ',X'00'
MSGNF2   DC    C' not found',X'00'
MSGTINC  DC    C'DMSTYP054E Incomplete fileid specified',X'00'
MSGTERR  DC    C'DMSTYP104S Error reading file from disk',X'00'
MSGTBIG  DC    C'DMSTYP109S Virtual storage capacity exceeded',X'00'
MSGEIOE  DC    C'DMSERS105S Error writing to disk',X'00'
MSGQHDR  DC    C'LABEL  CUU M  STAT  BLKSIZE  FILES  BLKS USED-(%) BLKS LEFT  BLK TOTAL',X'00'
MSGSINC  DC    C'DMSSTT054E Incomplete fileid specified',X'00'
MSGSNF   DC    C'DMSSTT002E File ',X'00'
MSGRINC  DC    C'DMSRNM054E Incomplete fileid specified',X'00'
MSGREX   DC    C'DMSRNM024E File ',X'00'
MSGRNF   DC    C'DMSRNM002E File ',X'00'
MSGEX2   DC    C' already exists',X'00'
MSGCINC  DC    C'DMSCPY054E Incomplete fileid specified',X'00'
MSGCEX   DC    C'DMSCPY024E File ',X'00'
MSGCNF   DC    C'DMSCPY002E File ',X'00'
MSGCBIG  DC    C'DMSCPY109S Virtual storage capacity exceeded',X'00'
MSGCERR  DC    C'DMSCPY104S Error reading file from disk',X'00'
MSGFINC  DC    C'DMSFOR054E Incomplete operands: FORMAT cuu mode [label]',X'00'
MSGFDEV  DC    C'DMSFOR017E Invalid device address: 1 to 3 hex digits, e.g. 191',X'00'
MSGFMODE DC    C'DMSFOR048E Invalid mode: one letter A to Z',X'00'
MSGFLAB  DC    C'DMSFOR070E Invalid label: 1 to 6 of A-Z 0-9 $#@+-_',X'00'
MSGFSMAL DC    C'DMSFOR113S Disk ',X'00'
MSGFSMA2 DC    C' has fewer than 8 blocks',X'00'
MSGFDONE DC    C'DMSFOR732I Disk ',X'00'
MSGFDON2 DC    C' formatted: ',X'00'
MSGFBLK  DC    C' blocks, label ',X'00'
MSGRW    DC    C'   R/W',X'00'
MSGRO    DC    C'   R/O',X'00'
* ------------------------------------------------------------------
* Command modules: one file per group of commands, each with its own
* code, messages and data.  They sit after the nucleus data, so their
* own data is out of reach of R12 (NUCDATA's 4K): a module addresses
* its data through a base register of its own, loaded at each entry
* (LI R11,xxDATA / USING xxDATA,R11) and DROPped at the end of its file.
         INCLUDE 'disk.s'
         INCLUDE 'unitrec.s'              ; PRINT, PUNCH, READCARD
         INCLUDE 'svc.s'
         INCLUDE 'exec.s'
         INCLUDE 'edit.s'                 ; EDIT
         INCLUDE 'help.s'                 ; HELP
         END   IPL

