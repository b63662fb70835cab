* cms/unitrec.s -- the unit-record commands: PRINT, PUNCH, READCARD.
*
* CMS has no printer, punch or card reader of its own.  CP gives every
* virtual machine spooled ones (the directory's reader, punch and
* printer; CMS, like VM/370's, expects them at 00C, 00D and 00E) and
* CMS drives them with plain channel programs, exactly as it would
* drive real 1403s and 2540s:
*
*   PRINT fn ft [fm] [(CC]      WRITE CCWs to the printer 00E, one line
*                               each (up to 132 characters), then
*                               CP CLOSE 00E: the spool file is complete
*                               and goes to the user's printer queue
*   PUNCH fn ft [fm] [(NOH]     WRITE CCWs to the punch 00D, one card
*                               each, after a ':READ fn ft fm' header
*                               card; then CP CLOSE 00D: the deck goes
*                               where SPOOL PUNCH sent it (TO BOB: to
*                               BOB's reader)
*   READCARD fn ft [fm] [(REP]  READ CCWs on the reader 00C until unit
*   READCARD * [(REP]           exception (the end of the spool file);
*                               the cards become an F 80 file
*
* Records per channel program.  Each SIO costs CP an exit for the SIO,
* one for the LPSW into the wait state, and one for the I/O
* interruption it reflects -- whether the program moves one record or
* sixty-four.  So these commands build a chain: up to URCHAIN CCWs,
* each with command chaining (X'40') and suppress-length (X'20', a
* short card is fine: the punch pads it), pointing straight at the
* records in FILEBUF (no copying), and start it with one SIO.  That is
* what OS and CMS did on real channels, for the same reason: the CPU
* (here, CP) is bothered once per chain, not once per card.
*
* Errors.  Every SIO's condition code and every ending CSW is looked
* at: CC 3 is a device that is not there (CP DETACH 00E), a unit check
* is followed by a SENSE to say why (intervention required: the reader
* is empty, or the spool is full), a channel status is reported as
* is.  Nothing waits unless an interruption is sure to come.
*
* The reader's file is precious: CP purges it when the last card has
* been read.  So READCARD makes every check it can (disk accessed and
* writable, name free, directory slot, room on the disk and in
* storage) before that last read; when one fails half way, CMS says
* CP CLOSE 00C HOLD, which leaves the whole file in the reader, held.
*
* Storage: the file or the deck lives in FILEBUF (cms.s's storage
* map); the CCWs, the header card and the messages below, through R11.
         USING URDATA,R11

URCHAIN  EQU   64                         ; CCWs per channel program
URCCWF   EQU   X'60'                      ; chain command + SLI
PRTWIDTH EQU   132                        ; a 1403 line
CARDLEN  EQU   80
RDRADDR  EQU   X'00C'
PUNADDR  EQU   X'00D'
PRTADDR  EQU   X'00E'
URMAXCRD EQU   (FILEMAXB*512-CARDLEN)/CARDLEN   ; data cards FILEBUF holds
* Option bits (URFLAGS)
UROCC    EQU   1                          ; PRINT (CC
URONOH   EQU   2                          ; PUNCH (NOHEADER
UROREP   EQU   4                          ; READCARD (REPLACE
* URIO's answers (R15)
URENDOK  EQU   0
URENDUE  EQU   4                          ; unit exception: URFAIL CCWs done
URENDNA  EQU   8                          ; not operational (CC 3)
URENDUC  EQU   12                         ; unit check: URSENSE, URFAIL
URENDERR EQU   16                         ; anything else: URUNIT/URCHST

* ------------------------------------------------------------------
* PRINT fn ft [fm] [(CC]: the file's records to the virtual printer.
* Lines longer than the printer's 132 columns go on over as many lines
* as they need (and a note says how many records were split).  CC: the
* first column is ANSI carriage control -- '1' new page (an EJECT CCW),
* '0' one blank line first, '-' two, ' ' and anything else one line;
* '+' (overprint) cannot be done on a spooled line printer and prints
* as ' '.  Registers in the record loop: R10 the next record, R8 the
* end of the records, R6/R7 the piece of the record being printed.
CMDPRINT ENTER
         LI    R11,URDATA
         LA    R4,PRTOPTS
         LA    R5,MSGPROPT
         CALL  UROPTS
         LTR   R15,R15
         JNZ   PRRET
         L     R0,NFID
         CHI   R0,3
         JL    PRINC
         LA    R2,MSGPRNF
         LA    R3,MSGPRNUL
         ST    R2,URMOD                   ; (MSGPRNF starts "DMSPRT")
         CALL  URGETF                     ; the file into FILEBUF
         LTR   R15,R15
         JNZ   PRRET
         LHI   R0,PRTADDR
         ST    R0,URDEV
         CALL  URBEGIN
PRREC    CALL  URNEXT                     ; R6/R7 := the next record
         LTR   R15,R15
         JNZ   PRFLUSH
         L     R0,URFLAGS
         NHI   R0,UROCC
         JZ    PRPIECE
         LTR   R7,R7                      ; CC: column 1 says how to space
         JZ    PRPIECE
         LLC   R5,0(,R6)
         AHI   R6,1
         AHI   R7,-1
         CHI   R5,C'1'
         JE    PREJECT
         CHI   R5,C'-'
         JE    PRSKIP2
         CHI   R5,C'0'
         JE    PRSKIP1
         J     PRPIECE
PREJECT  LHI   R1,CCW_CMD_EJECT
         CALL  URBLANK
         JNZ   PRIOERR
         J     PRPIECE
PRSKIP2  LHI   R1,CCW_CMD_WRITE
         CALL  URBLANK
         JNZ   PRIOERR
PRSKIP1  LHI   R1,CCW_CMD_WRITE
         CALL  URBLANK
         JNZ   PRIOERR
PRPIECE  LTR   R7,R7                      ; an empty line: one blank
         JNZ   PRPIECE1
         LHI   R1,CCW_CMD_WRITE
         CALL  URBLANK
         JNZ   PRIOERR
         J     PRREC
PRPIECE1 LR    R3,R7                      ; at most a printer line
         CHI   R3,PRTWIDTH
         JNH   PRPIECE2
         LHI   R3,PRTWIDTH
PRPIECE2 LHI   R1,CCW_CMD_WRITE
         LR    R2,R6
         AR    R6,R3
         SR    R7,R3
         CALL  ADDCCW
         JNZ   PRIOERR
         LTR   R7,R7
         JZ    PRREC
         L     R0,URPIECE                 ; a record split: count it once
         C     R0,URNREC
         JE    PRPIECE
         L     R0,URNREC
         ST    R0,URPIECE
         L     R0,URNSPLIT
         AHI   R0,1
         ST    R0,URNSPLIT
         J     PRPIECE
PRFLUSH  CALL  URFLUSH
         LTR   R15,R15
         JNZ   PRIOERR
         L     R1,URNSPLIT
         LTR   R1,R1
         JZ    PRCLOSE
         CALL  OCLR                       ; "DMSPRT226I n records ..."
         LA    R2,MSGPRSPL
         CALL  OAPPSZ
         L     R1,URNSPLIT
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         LA    R2,MSGPRSP2
         CALL  OAPPSZ
         CALL  OFLUSH
PRCLOSE  LA    R2,CMDCLPRT                ; CP CLOSE 00E: the spool file
         CALL  URCP                       ; is done
PRRET    LEAVE
PRINC    TYPESZ MSGPRINC
         LEAVERC 24
PRIOERR  LA    R2,MSGPRDEV
         LA    R3,CMDPUPRT
         CALL  URERR
         LEAVE

* ------------------------------------------------------------------
* PUNCH fn ft [fm] [(NOHEADER]: the file as 80-column cards on the
* virtual punch, after a header card that READCARD * reads the name
* from (the format VM/370's PUNCH used: ':READ' in 1-5, fn in 8-15, ft
* in 17-24, fm in 26-27, the disk label in 29-34; the date and time
* that followed are left blank, as this CMS keeps no dates).  Records
* shorter than 80 make cards padded with blanks; a file with longer
* records is refused before a card is punched.
CMDPUNCH ENTER
         LI    R11,URDATA
         LA    R4,PUNOPTS
         LA    R5,MSGPUOPT
         CALL  UROPTS
         LTR   R15,R15
         JNZ   PURET
         L     R0,NFID
         CHI   R0,3
         JL    PUINC
         LA    R2,MSGPUNF
         LA    R3,MSGPUNUL
         ST    R2,URMOD                   ; (MSGPUNF starts "DMSPUN")
         CALL  URGETF
         LTR   R15,R15
         JNZ   PURET
* every record must fit on a card
         CALL  URBEGIN
PUCHK    CALL  URNEXT
         LTR   R15,R15
         JNZ   PUCHKOK
         CHI   R7,CARDLEN
         JNH   PUCHK
         LA    R2,MSGPULNG
         LA    R3,MSGPULN2
         CALL  FIDMSG
         LEAVERC 32
PUCHKOK  LHI   R0,PUNADDR
         ST    R0,URDEV
         CALL  URBEGIN
         L     R0,URFLAGS
         NHI   R0,URONOH
         JNZ   PUREC
         LA    R1,URHDR                   ; the header card
         LA    R2,BLANK80
         LHI   R3,CARDLEN
         MVC   R1,R2,R3
         LA    R2,HDRREAD
         LHI   R3,5
         MVC   R1,R2,R3                   ; :READ
         LA    R1,URHDR+7
         LA    R2,TOKS+8
         LHI   R3,8
         MVC   R1,R2,R3                   ; fn
         LA    R1,URHDR+16
         LA    R2,TOKS+16
         MVC   R1,R2,R3                   ; ft
         L     R9,URADT
         LLC   R0,ADT_MODE(,R9)
         STC   R0,URHDR+25                ; fm: the disk's letter, mode 1
         LHI   R0,C'1'
         STC   R0,URHDR+26
         LA    R1,URHDR+28
         L     R2,ADT_LBL(,R9)
         LA    R2,12(,R2)                 ; the disk's label
         LHI   R3,6
         MVC   R1,R2,R3
         LHI   R1,CCW_CMD_WRITE
         LA    R2,URHDR
         LHI   R3,CARDLEN
         CALL  ADDCCW
         JNZ   PUIOERR
PUREC    CALL  URNEXT
         LTR   R15,R15
         JNZ   PUFLUSH
         LHI   R1,CCW_CMD_WRITE
         LTR   R7,R7
         JNZ   PUREC1
         CALL  URBLANK                    ; an empty record: a blank card
         JNZ   PUIOERR
         J     PUREC
PUREC1   LR    R2,R6
         LR    R3,R7
         CALL  ADDCCW
         JNZ   PUIOERR
         J     PUREC
PUFLUSH  CALL  URFLUSH
         LTR   R15,R15
         JNZ   PUIOERR
         LA    R2,CMDCLPUN                ; CP CLOSE 00D: send the deck
         CALL  URCP
PURET    LEAVE
PUINC    TYPESZ MSGPUINC
         LEAVERC 24
PUIOERR  LA    R2,MSGPUDEV
         LA    R3,CMDPUPUN
         CALL  URERR
         LEAVE

* ------------------------------------------------------------------
* READCARD fn ft [fm] [(REPLACE] and READCARD * [* [fm]] [(REPLACE]:
* read the next file in the virtual reader, to its end (unit
* exception), into an F 80 file on disk fm (A if not given).  With
* fn ft the whole deck becomes that file, a header card included (as
* on VM/370: READCARD fn ft does not look for :READ cards).  With *
* the first card names the file if it is a ':READ fn ft' card (and is
* not stored), else the file is READCARD CMSUT1.  An existing file is
* not replaced unless the REPLACE option says so (DMSRDC024E).
*
* The order matters, because the reader's file is purged when CP sees
* its last card read: first everything that can be known without the
* reader (the disk, the name, a directory slot, the largest free run of
* blocks); then the cards, in chains of at most as many as the room
* left allows; with no room left one more card is read into a spare
* slot: unit exception there means the deck fitted after all, a card
* means it did not, and CP CLOSE 00C HOLD keeps the whole file.
CMDRDCRD ENTER
         LI    R11,URDATA
         LA    R4,RDCOPTS
         LA    R5,MSGRCOPT
         CALL  UROPTS
         LTR   R15,R15
         JNZ   RCRET
         LHI   R0,0
         ST    R0,URSTAR
         ST    R0,URN
         L     R0,NFID
         CHI   R0,2
         JL    RCINC
         LLC   R0,TOKS+8                  ; READCARD * ...
         CHI   R0,C'*'
         JNE   RCNAMED
         L     R0,TOKLEN+4
         CHI   R0,1
         JNE   RCNAMED
         LHI   R0,1
         ST    R0,URSTAR
         J     RCDISK
RCNAMED  L     R0,NFID
         CHI   R0,3
         JL    RCINC
         LLC   R0,TOKS+16                 ; (ft * names nothing)
         CHI   R0,C'*'
         JE    RCINC
         LA    R1,URNAME                  ; the name from the command
         LA    R2,TOKS+8
         LHI   R3,16
         MVC   R1,R2,R3
* the disk: fm's letter, or A
RCDISK   LHI   R0,C'A'
         L     R1,NFID
         CHI   R1,4
         JL    RCDISK1
         LLC   R0,TOKS+24
RCDISK1  STC   R0,URMODE
         CALL  ADTOF
         LTR   R8,R8
         JZ    RCNOTACC
         ST    R8,URADT
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JNZ   RCRO
* the room: the largest run of free blocks, and FILEBUF
         CALL  LRUN                       ; R3 := the largest free run
         SLL   R3,9
         LHI   R4,0
         LR    R5,R3
         LHI   R0,CARDLEN
         DLR   R4,R0                      ; cards that fit on the disk
         LI    R0,URMAXCRD
         CLR   R5,R0
         JNH   RCROOM
         LR    R5,R0
RCROOM   ST    R5,URMAXC
         L     R0,URSTAR
         LTR   R0,R0
         JNZ   RCSTART
         CALL  RCNAMEOK                   ; the name is free, or REPLACE
         LTR   R15,R15
         JNZ   RCRET
* the cards
RCSTART  LHI   R0,RDRADDR
         ST    R0,URDEV
         LI    R10,FILEBUF                ; where the next card goes
         ST    R10,URDATA0                ; where the file's data starts
         LHI   R9,0                       ; cards read (header included)
         L     R0,URSTAR
         LTR   R0,R0
         JZ    RCCHAIN
         LHI   R4,1                       ; READCARD *: the first card alone
         CALL  RCREAD
         LTR   R15,R15
         JNZ   RCEND
         LA    R1,HDRREAD                 ; a :READ card?
         LI    R2,FILEBUF
         LHI   R3,6
         CLC   R1,R2,R3
         JNE   RCNOHDR
         LA    R1,URNAME
         LA    R2,7(,R2)
         LHI   R3,8
         MVC   R1,R2,R3                   ; fn: columns 8-15
         LA    R1,URNAME+8
         LI    R2,FILEBUF+16
         MVC   R1,R2,R3                   ; ft: columns 17-24
         LA    R1,URNAME                  ; both there?
         LA    R2,BLANKS
         CLC   R1,R2,R3
         JE    RCNOHDR
         LA    R1,URNAME+8
         CLC   R1,R2,R3
         JE    RCNOHDR
         LI    R0,FILEBUF+CARDLEN         ; the data follows the header
         ST    R0,URDATA0
         J     RCSTCHK
RCNOHDR  LA    R1,URNAME                  ; no header: READCARD CMSUT1
         LA    R2,NMCMSUT1
         LHI   R3,16
         MVC   R1,R2,R3
RCSTCHK  CALL  RCNAMEOK
         LTR   R15,R15
         JZ    RCCHAIN
         CALL  RCHOLD                     ; the name is taken: keep the
         L     R15,URRC                   ; file in the reader
         LEAVE
RCCHAIN  L     R4,URMAXC                  ; room left for data cards
         LR    R3,R10
         S     R3,URDATA0
         LHI   R2,0
         LHI   R1,CARDLEN
         DLR   R2,R1                      ; R3 := data cards so far
         SR    R4,R3
         JNP   RCFULL
         CHI   R4,URCHAIN
         JNH   RCCH1
         LHI   R4,URCHAIN
RCCH1    CALL  RCREAD
         LTR   R15,R15
         JZ    RCCHAIN
         J     RCEND
* no room for another card: read one into the spare slot to see
RCFULL   LA    R2,URSPARE
         LHI   R3,CARDLEN
         LHI   R1,CCW_CMD_READ
         CALL  ADDCCW
         CALL  URFLUSH
RCFULL1  CHI   R15,URENDUE
         JE    RCEOF                      ; the deck had ended: it fits
         LTR   R15,R15
         JNZ   RCIOERR
         LI    R0,URMAXCRD                ; a card: no room for it
         C     R0,URMAXC
         JNE   RCFULL2
         TYPESZ MSGRCBIG                  ; storage was the limit
         CALL  RCHOLD
         LEAVERC 104
RCFULL2  LA    R2,MSGRCFUL                ; the disk was
         CALL  URDSKMSG
         CALL  RCHOLD
         LEAVERC 13
* RCREAD said: unit exception (the end) or an error
RCEND    CHI   R15,URENDUE
         JNE   RCIOERR
RCEOF    LR    R3,R10                     ; the data: URDATA0 .. R10
         S     R3,URDATA0
         JNZ   RCWRITE
         CALL  OCLR                       ; no data cards: no file
         LA    R2,MSGRCNUL
         CALL  OAPPSZ
         CALL  URNMAPP
         CALL  OFLUSH
         LEAVERC 0
RCWRITE  LA    R1,FWFST+FST_RECF          ; an F 80 file
         LHI   R0,C'F'
         STC   R0,0(,R1)
         LHI   R0,CARDLEN
         ST    R0,FWFST+FST_LREC
         ST    R3,FWFST+FST_BYTE
         LHI   R2,0
         LHI   R0,CARDLEN
         DLR   R2,R0
         ST    R3,FWFST+FST_RECS
         ST    R3,URNREC
         L     R8,URADT
         LA    R2,URNAME
         L     R5,URDATA0
         CALL  FSWRITE
         LI    R11,URDATA                 ; (FSWRITE changes R9..R11)
         LTR   R15,R15
         JNZ   RCWERR
         CALL  OCLR                       ; "DMSRDC738I File fn ft fm
         LA    R2,MSGRCOK1                ;  created: n cards"
         CALL  OAPPSZ
         CALL  URNMAPP
         LA    R2,MSGRCNEW
         L     R0,URREPL
         LTR   R0,R0
         JZ    RCOK1
         LA    R2,MSGRCREP
RCOK1    CALL  OAPPSZ
         L     R1,URNREC
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         LA    R2,MSGRCOK2
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVERC 0
RCRET    LEAVE
RCINC    TYPESZ MSGRCINC
         LEAVERC 24
RCNOTACC CALL  OCLR                       ; "DMSRDC069E Disk x not accessed"
         LA    R2,MSGRCNA
         CALL  OAPPSZ
         LA    R2,URMODE
         LHI   R3,1
         CALL  OAPP
         LA    R2,MSGRCNA2
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVERC 36
RCRO     LA    R2,MSGRCRO
         CALL  URDSKMSG
         LEAVERC 36
RCWERR   CHI   R15,13                     ; after the last card: the
         JNE   RCWERR1                    ; reader file is gone
         LA    R2,MSGRCWFL
         CALL  URDSKMSG
         LEAVERC 13
RCWERR1  TYPESZ MSGRCWIO
         LEAVERC 100
RCIOERR  CHI   R15,URENDUC                ; an empty reader is a unit
         JNE   RCIOERR1                   ; check, intervention required,
         LI    R0,FILEBUF                 ; on the first card
         CR    R0,R10
         JNE   RCIOERR1
         LLC   R0,URSENSE
         NHI   R0,SENSE_INTERVENTION
         JZ    RCIOERR1
         TYPESZ MSGRCNOF
         LEAVERC 28
RCIOERR1 LA    R2,MSGRCDEV
         LHI   R3,0
         CALL  URERR
         L     R0,URRC                    ; a reader that is there but
         CHI   R0,URENDNA                 ; failed half way: keep its file
         JE    RCIOERR2
         CALL  RCHOLD
RCIOERR2 LEAVERC 100

* RCREAD: read R4 cards (1..URCHAIN) to R10 on; R10 moves past those
* read.  R15 := URIO's answer (URENDUE at the end of the file).
RCREAD   ENTER
         LR    R8,R4
RCRD1    LHI   R1,CCW_CMD_READ
         LR    R2,R10
         LHI   R3,CARDLEN
         AHI   R10,CARDLEN
         CALL  ADDCCW
         AHI   R8,-1
         JNZ   RCRD1
         L     R10,CCWTAB+4               ; back to the chain's first card
         CALL  URFLUSH
         LR    R2,R15
         LR    R1,R4                      ; cards read: all of them, or
         CHI   R2,URENDOK                 ; those before the CCW that
         JE    RCRD2                      ; ended the chain
         LHI   R1,0
         CHI   R2,URENDUE
         JE    RCRD1A
         CHI   R2,URENDUC
         JNE   RCRD2
RCRD1A   L     R1,URFAIL
RCRD2    MHI   R1,CARDLEN
         AR    R10,R1
         LR    R15,R2
         LEAVE

* RCNAMEOK: may URNAME be written on disk URADT?  Not if it exists
* (unless REPLACE) or the directory has no free entry.  R15 := 0, or
* the return code (message typed).  URREPL := 1 if a file is replaced.
RCNAMEOK ENTER
         LHI   R0,0
         ST    R0,URREPL
         LHI   R0,C'*'
         STC   R0,WANTFM
         L     R8,URADT
         LA    R2,URNAME
         CALL  LKONE
         LTR   R9,R9
         JZ    RCNFREE
         L     R0,URFLAGS
         NHI   R0,UROREP
         JZ    RCNEXIST
         LHI   R0,1
         ST    R0,URREPL
         LEAVERC 0
RCNFREE  L     R8,URADT
         LA    R2,ZEROS
         CALL  LKONE
         LTR   R9,R9
         JZ    RCNDFULL
         LEAVERC 0
RCNEXIST CALL  OCLR                       ; "DMSRDC024E File fn ft fm
         LA    R2,MSGRCEX                 ;  already exists"
         CALL  OAPPSZ
         CALL  URNMAPP
         LA    R2,MSGRCEX2
         CALL  OAPPSZ
         CALL  OFLUSH
         LHI   R0,28
         ST    R0,URRC
         LEAVERC 28
RCNDFULL LA    R2,MSGRCDF
         CALL  URDSKMSG
         LHI   R0,13
         ST    R0,URRC
         LEAVERC 13

* RCHOLD: CP CLOSE 00C HOLD: the reader lets go of its file, which stays
* whole in the reader, held (CP CHANGE RDR nnnn NOHOLD releases it).
RCHOLD   ENTER
         LA    R2,CMDCLRDH
         LA    R4,CMDCLRDE-CMDCLRDH
         CALL  CPEXEC
         TYPESZ MSGRCHLD
         LEAVE

* ------------------------------------------------------------------
* The channel programs.
*
* URBEGIN: a new command: no CCWs built, no records seen.
URBEGIN  LHI   R0,0
         ST    R0,URN
         ST    R0,URNREC
         ST    R0,URNSPLIT
         ST    R0,URPIECE
         LI    R10,FILEBUF
         L     R8,URBYTES
         AR    R8,R10
         BR    R14

* URBLANK: a CCW with command R1 for one blank (a blank line or card,
* an EJECT, which moves no data but needs a count).  As ADDCCW.
URBLANK  LA    R2,BLANKS
         LHI   R3,1
*        (falls into ADDCCW)

* ADDCCW: add the CCW "command R1, R3 bytes at R2" to the channel
* program; when it already holds URCHAIN CCWs, run those first
* (URFLUSH).  R15 and the CC := 0, or URFLUSH's error (the CCW is then
* not added).  Changes R0..R5.
ADDCCW   L     R4,URN
         CHI   R4,URCHAIN
         JL    ADDCCW1
         ST    R14,URACR14
         STM   R1,R3,URACSV
         CALL  URFLUSH
         L     R14,URACR14
         LTR   R15,R15
         BCR   7,R14
         LM    R1,R3,URACSV
         L     R4,URN
ADDCCW1  LR    R5,R4
         SLL   R5,3
         LA    R0,CCWTAB
         AR    R5,R0
         STC   R1,0(,R5)
         LHI   R0,URCCWF
         STC   R0,1(,R5)
         STH   R3,2(,R5)
         ST    R2,4(,R5)
         AHI   R4,1
         ST    R4,URN
         LHI   R15,0
         LTR   R15,R15
         BR    R14

* URFLUSH: run the CCWs built so far as one channel program on URDEV
* (the last one without command chaining), and start a new one.  R15
* := URIO's answer (test it: LEAVE changes the CC).  Keeps R6..R10.
URFLUSH  L     R0,URN
         LTR   R15,R0
         BCR   8,R14                      ; nothing to do
         ENTER
         STM   R6,R10,URSAVE
         LR    R5,R0
         AHI   R5,-1
         SLL   R5,3
         LA    R1,CCWTAB
         AR    R5,R1
         LHI   R0,CCW_FLAG_SLI            ; the end of the chain
         STC   R0,1(,R5)
         LHI   R0,0
         ST    R0,URN
         LA    R2,CCWTAB
         CALL  URIO
         LM    R6,R10,URSAVE
         LEAVE

* URIO: run the channel program at R2 on device URDEV and look at how
* it ended.  R15 := URENDOK, URENDUE (unit exception), URENDNA (not
* operational: no such device), URENDUC (unit check: URSENSE holds the
* sense byte) or URENDERR (channel status, or a busy device); for
* URENDUE and URENDUC, URFAIL := the index of the CCW that ended the
* program (so: how many records went through before it).  Changes
* R0..R5.
URIO     ENTER
         LR    R5,R2
         CALL  URRUN
         CHI   R15,3
         JE    URIONA
         LTR   R15,R15
         JNZ   URIOERR
         L     R0,URCCWA                  ; which CCW ended it
         AHI   R0,-8
         SR    R0,R5
         SRL   R0,3
         ST    R0,URFAIL
         LLC   R0,URCHST
         LTR   R0,R0
         JNZ   URIOERR
         LLC   R0,URUNIT
         NHI   R0,UNIT_CHECK
         JNZ   URIOUC
         LLC   R0,URUNIT
         NHI   R0,UNIT_EXCEPTION
         JNZ   URIOUE
         LEAVERC URENDOK
URIOUE   LEAVERC URENDUE
URIONA   LEAVERC URENDNA
URIOERR  LEAVERC URENDERR
URIOUC   LHI   R0,0                       ; why?  SENSE says
         STC   R0,URSENSE
         LA    R2,SENSECCW
         CALL  URRUN
         LEAVERC URENDUC

* URRUN: start the channel program at R2 on device URDEV and wait for
* its interruption.  The wait is CMS's usual one (WAITPSW: enabled for
* I/O); the interruption enters IOINT, which returns through R14 to
* just after the BRAS below.  An interruption from another device (none
* is expected: CMS runs one operation at a time) is passed over.
* R15 := the SIO condition code; URUNIT, URCHST and URCCWA := the CSW's
* unit status, channel status and CCW address (the interruption's, or
* the one SIO stored with CC 1).  Changes R0..R3.
URRUN    ENTER
         ST    R2,LC_CAW
         L     R3,URDEV
         SIO   0(R3)
         BRC   8,URRWAIT                  ; CC 0: started
         BRC   1,URRNOTOP                 ; CC 3: no such device
         BRC   2,URRBUSY                  ; CC 2: busy (never, in CMS)
         LHI   R15,1                      ; CC 1: the CSW is stored
         J     URRCSW
URRWAIT  BRAS  R14,URRLPSW
         L     R0,LC_IO_ADDR              ; (here after the interruption)
         C     R0,URDEV
         JNE   URRWAIT
         LHI   R15,0
URRCSW   LLC   R0,LC_CSW+4
         STC   R0,URUNIT
         LLC   R0,LC_CSW+5
         STC   R0,URCHST
         L     R0,LC_CSW
         ST    R0,URCCWA
         LEAVE
URRNOTOP LEAVERC 3
URRBUSY  LHI   R0,UNIT_BUSY
         STC   R0,URUNIT
         LHI   R0,0
         STC   R0,URCHST
         LEAVERC 2
URRLPSW  LPSW  WAITPSW

* ------------------------------------------------------------------
* Shared pieces.

* UROPTS: read the command's operands: NFID := the tokens before an
* option list that starts with '(' (the command included), URFLAGS :=
* the options (table at R4: CL8 name, F minimum length, F bit, F 1 to
* set it or 0 to clear it; F'0' ends it).  An unknown option: the
* message at R5 with the option, R15 := 24.  Else R15 := 0.
UROPTS   ENTER
         ST    R4,UROTAB
         ST    R5,UROMSG
         LHI   R0,0
         ST    R0,URFLAGS
         LHI   R8,1                       ; the token looked at
         LHI   R9,1                       ; NFID
         LHI   R10,0                      ; 1 once in the options
UOLOOP   C     R8,NTOK
         JNL   UODONE
         LR    R1,R8
         SLL   R1,3
         LA    R6,TOKS
         AR    R6,R1                      ; the token
         LR    R1,R8
         SLL   R1,2
         LA    R7,TOKLEN
         AR    R1,R7
         L     R7,0(,R1)                  ; its length
         AHI   R8,1
         LHI   R0,8
         ST    R0,URSTORED
         LTR   R10,R10
         JNZ   UOOPT
         LLC   R0,0(,R6)
         CHI   R0,C'('
         JE    UOPAREN
         AHI   R9,1
         J     UOLOOP
UOPAREN  LHI   R10,1
         AHI   R6,1
         LHI   R0,7
         ST    R0,URSTORED
         AHI   R7,-1
         JZ    UOLOOP                     ; "(" alone
UOOPT    LLC   R0,0(,R6)                  ; ")" alone ends the list
         CHI   R0,C')'
         JE    UOLOOP
         C     R7,URSTORED                ; "CC)": the ")" is not the
         JH    UOOPT1                     ; option's
         LR    R1,R6
         AR    R1,R7
         AHI   R1,-1
         LLC   R0,0(,R1)
         CHI   R0,C')'
         JNE   UOOPT1
         AHI   R7,-1
UOOPT1   DS    0F
         L     R5,UROTAB
UOFIND   L     R0,0(,R5)
         LTR   R0,R0
         JZ    UOBAD
         C     R7,8(,R5)                  ; at least the minimum,
         JL    UONEXT
         LA    R1,8                       ; at most the whole name
         CR    R7,R1
         JH    UONEXT
         LR    R3,R7                      ; (a token keeps 8 characters,
         C     R3,URSTORED                ; 7 after a '(')
         JNH   UOCMP
         L     R3,URSTORED
UOCMP    CLC   R6,R5,R3
         JE    UOHIT
UONEXT   AHI   R5,20
         J     UOFIND
UOHIT    L     R0,URFLAGS
         L     R1,12(,R5)
         OR    R0,R1
         L     R2,16(,R5)
         LTR   R2,R2
         JNZ   UOSET
         XR    R0,R1
UOSET    ST    R0,URFLAGS
         J     UOLOOP
UOBAD    CALL  OCLR
         L     R2,UROMSG
         CALL  OAPPSZ
         LR    R2,R6
         LR    R3,R7
         CHI   R3,8
         JNH   UOBAD1
         LHI   R3,8
UOBAD1   CALL  OAPP
         CALL  OFLUSH
         LEAVERC 24
UODONE   ST    R9,NFID
         LEAVERC 0

* URGETF: find the file of tokens 2-4 (NFID says whether fm is there)
* and read it into FILEBUF.  R2 -> the "not found" message prefix, R3
* -> the "null file" one.  Out: URADT, URRECF, URLREC, URBYTES set and
* R15 := 0, or the return code (message typed).
URGETF   ENTER
         ST    R2,URMSGNF
         ST    R3,URMSGNL
         LHI   R0,C'*'
         L     R1,NFID
         CHI   R1,4
         JL    UGF1
         LLC   R0,TOKS+24
UGF1     STC   R0,WANTFM
         LA    R2,TOKS+8
         CALL  LOOKUP
         LTR   R9,R9
         JZ    UGFNF
         ST    R8,URADT
         LLC   R0,ADT_MODE(,R8)           ; messages name the disk found
         STC   R0,WANTFM
         LLC   R0,FST_RECF(,R9)
         ST    R0,URRECF
         L     R0,FST_LREC(,R9)
         ST    R0,URLREC
         L     R0,FST_BYTE(,R9)
         ST    R0,URBYTES
         LTR   R0,R0
         JZ    UGFNULL
         CALL  READF
         CHI   R15,1
         JE    UGFBIG
         LTR   R15,R15
         JNZ   UGFERR
         LEAVERC 0
UGFNF    L     R2,URMSGNF
         CALL  NFMSG
         LEAVERC 28
UGFNULL  L     R2,URMSGNL                 ; "... fn ft fm has no records"
         LA    R3,MSGNULL2
         CALL  FIDMSG
         LEAVERC 32
UGFBIG   LA    R2,MSGURBIG
         CALL  URMODMSG
         LEAVERC 104
UGFERR   LA    R2,MSGURRD
         CALL  URMODMSG
         LEAVERC 100

* URMODMSG: type the command's module name (URMOD: "DMSPRT") and the
* message at R2 ("109S Virtual storage capacity exceeded").
URMODMSG ENTER
         LR    R9,R2
         CALL  OCLR
         L     R2,URMOD
         LHI   R3,6
         CALL  OAPP
         LR    R2,R9
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVE

* URNEXT: the next record of the file in FILEBUF (R10: where it
* starts, R8: the end).  R6 := its address, R7 := its length, R15 := 0;
* R15 := 1 after the last one (or a damaged one: a record is never
* taken from past the end).  Counts URNREC.
URNEXT   LHI   R15,1
         CR    R10,R8
         BCR   11,R14                     ; the end
         L     R0,URRECF
         CHI   R0,C'V'
         JE    UNVAR
         LR    R6,R10                     ; F: LRECL bytes
         L     R7,URLREC
         LTR   R7,R7
         BCR   8,R14
         AR    R10,R7
         J     UNCHK
UNVAR    LLC   R7,0(,R10)                 ; V: 2-byte length, bytes
         SLL   R7,8
         LLC   R0,1(,R10)
         OR    R7,R0
         LA    R6,2(,R10)
         LR    R10,R6
         AR    R10,R7
UNCHK    CR    R10,R8
         BCR   2,R14                      ; past the end: damaged
         L     R0,URNREC
         AHI   R0,1
         ST    R0,URNREC
         LHI   R15,0
         BR    R14

* URCP: the CP command at R2 (a halfword length, then the text) through
* DIAGNOSE X'008', and CP's response typed (e.g. "PRT FILE 0003 TO
* ALICE COPY 001 NOHOLD").  R15 := 0, or 100 if CP refused it.
URCP     ENTER
         LLH   R4,0(,R2)
         AHI   R2,2
         CALL  CPEXEC
         ST    R4,URRC
         CALL  TYPERESP
         LI    R11,URDATA                 ; (TYPERESP changes R8)
         LHI   R15,0
         L     R0,URRC
         LTR   R0,R0
         JZ    URCPOK
         LHI   R15,100
URCPOK   LEAVE

* URERR: report a device error: R15 is URIO's answer, R2 -> the message
* prefix ("DMSPRT105S Printer 00E "), R3 -> a CP command to run after
* it (CLOSE ... PURGE: drop the half-written spool file) or 0.
* R15 := 100.
URERR    ENTER
         ST    R15,URRC
         ST    R3,URERCMD
         CALL  OCLR
         CALL  OAPPSZ
         L     R0,URRC
         LA    R2,MSGURNA                 ; "is not attached"
         CHI   R0,URENDNA
         JE    URERR9
         LA    R2,MSGURUE                 ; "unit exception"
         CHI   R0,URENDUE
         JE    URERR9
         CHI   R0,URENDUC
         JNE   URERRCS
         LA    R2,MSGURUC                 ; "unit check, sense X'"
         CALL  OAPPSZ
         LLC   R1,URSENSE
         CALL  OHEX2
         LA    R2,MSGURUC2                ; "'"
         CALL  OAPPSZ
         LLC   R0,URSENSE
         LA    R2,MSGURINT                ; " (intervention required)"
         NHI   R0,SENSE_INTERVENTION
         JNZ   URERR9
         LLC   R0,URSENSE
         LA    R2,MSGURREJ                ; " (command reject)"
         NHI   R0,SENSE_CMD_REJECT
         JNZ   URERR9
         J     URERRX
URERRCS  LA    R2,MSGURCS                 ; "error, CSW status X'"
         CALL  OAPPSZ
         LLC   R1,URUNIT
         CALL  OHEX2
         LLC   R1,URCHST
         CALL  OHEX2
         LA    R2,MSGURUC2
URERR9   CALL  OAPPSZ
URERRX   CALL  OFLUSH
         L     R2,URERCMD
         LTR   R2,R2
         JZ    URERRDN
         L     R0,URRC                    ; a device that is not there
         CHI   R0,URENDNA                 ; has no file to purge
         JE    URERRDN
         CALL  URCP
URERRDN  LEAVERC 100

* OHEX2: append the byte R1 as two hex digits.  Changes R0..R3.
OHEX2    ENTER
         LR    R0,R1
         SRL   R1,4
         NHI   R1,15
         LA    R2,HEXDIGS
         AR    R2,R1
         LR    R1,R0
         NHI   R1,15
         LA    R3,HEXDIGS
         AR    R3,R1
         LLC   R0,0(,R2)
         STC   R0,URHEX
         LLC   R0,0(,R3)
         STC   R0,URHEX+1
         LA    R2,URHEX
         LHI   R3,2
         CALL  OAPP
         LEAVE

* URNMAPP: append "fn ft m" of URNAME on the disk URMODE.
URNMAPP  ENTER
         LA    R2,URNAME
         LHI   R3,8
         CALL  OAPPT
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,URNAME+8
         LHI   R3,8
         CALL  OAPPT
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,URMODE
         LHI   R3,1
         CALL  OAPP
         LEAVE

* URDSKMSG: type "<R2 prefix: DMSRDCnnnx Disk >m(cuu)<suffix after the
* prefix's zero>" for disk URADT -- e.g. "DMSRDC037E Disk A(191) is
* read/only".  The message is two zero-terminated parts.
URDSKMSG ENTER
         LR    R9,R2
         CALL  OCLR
         LR    R2,R9
         CALL  OAPPSZ
         L     R8,URADT
         CALL  DSKAPP0                    ; "m(cuu"
         LR    R2,R9                      ; the second part
UDM1     LLC   R0,0(,R2)
         AHI   R2,1
         LTR   R0,R0
         JNZ   UDM1
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVE

* LRUN: R3 := the longest run of free blocks in the data area of disk
* R8 (FSWRITE needs its file's blocks in one run).  Changes R0..R2,
* R4..R7.
LRUN     L     R5,ADT_DATA(,R8)
         L     R6,ADT_BLKS(,R8)
         LHI   R7,0                       ; the current run
         LHI   R3,0                       ; the longest
LRLOOP   CLR   R5,R6
         BCR   11,R14
         LR    R1,R5
         SRL   R1,3
         A     R1,ADT_BM(,R8)
         LLC   R0,0(,R1)
         LR    R2,R5
         NHI   R2,7
         SLL   R0,24
         SLL   R0,0(R2)                   ; the block's bit to the top
         LTR   R0,R0
         JM    LRUSED
         AHI   R7,1
         CR    R7,R3
         JNH   LRNEXT
         LR    R3,R7
         J     LRNEXT
LRUSED   LHI   R7,0
LRNEXT   AHI   R5,1
         J     LRLOOP

* ------------------------------------------------------------------
* The module's data, addressed through R11.
         DS    0D
URDATA   EQU   *
CCWTAB   DS    (URCHAIN)D                 ; the channel program being built
SENSECCW DC    X'04',X'20',H'1',A(URSENSE)   ; SENSE, SLI, one byte
URSAVE   DS    5F
URACSV   DS    3F
URACR14  DS    F
URSTORED DS    F                          ; UROPTS: characters the token kept
URN      DS    F                          ; CCWs in CCWTAB
URDEV    DS    F                          ; the device they are for
URFAIL   DS    F                          ; the CCW that ended the program
URCCWA   DS    F                          ; the CSW's CCW address
URFLAGS  DS    F                          ; options
NFID     DS    F                          ; tokens before the options
UROTAB   DS    F
UROMSG   DS    F
URADT    DS    F                          ; the file's (or the target) disk
URRECF   DS    F                          ; its record format, LRECL
URLREC   DS    F
URBYTES  DS    F                          ; its bytes in FILEBUF
URNREC   DS    F                          ; records seen
URNSPLIT DS    F                          ; PRINT: records split
URPIECE  DS    F                          ; PRINT: the last record split
URRC     DS    F
URMOD    DS    F                          ; the module name for messages
URERCMD  DS    F
URMSGNF  DS    F
URMSGNL  DS    F
URSTAR   DS    F                          ; READCARD *
URMAXC   DS    F                          ; READCARD: data cards that fit
URDATA0  DS    F                          ; READCARD: where the data starts
URREPL   DS    F                          ; READCARD: replacing a file
URUNIT   DS    CL1                        ; the CSW's unit status
URCHST   DS    CL1                        ; ... and channel status
URSENSE  DS    CL1                        ; the sense byte
URMODE   DS    CL1                        ; READCARD's disk letter
URHEX    DS    CL2
URNAME   DS    CL16                       ; READCARD's file name
URHDR    DS    CL80                       ; PUNCH's header card
URSPARE  DS    CL80                       ; READCARD's look-ahead card
BLANK80  DC    CL80' '
HDRREAD  DC    C':READ '
NMCMSUT1 DC    CL8'READCARD',CL8'CMSUT1'
HEXDIGS  DC    C'0123456789ABCDEF'

* Option tables: name, minimum length, bit, set (1) or clear (0).
PRTOPTS  DC    CL8'CC',F'2',A(UROCC),F'1'
         DC    CL8'NOCC',F'4',A(UROCC),F'0'
         DC    F'0'
PUNOPTS  DC    CL8'NOHEADER',F'3',A(URONOH),F'1'
         DC    CL8'HEADER',F'1',A(URONOH),F'0'
         DC    F'0'
RDCOPTS  DC    CL8'REPLACE',F'3',A(UROREP),F'1'
         DC    F'0'

* CP commands: a halfword length, then the text.
CMDCLPRT DC    H'9',C'CLOSE 00E'
CMDCLPUN DC    H'9',C'CLOSE 00D'
CMDPUPRT DC    H'15',C'CLOSE 00E PURGE'
CMDPUPUN DC    H'15',C'CLOSE 00D PURGE'
CMDCLRDH DC    C'CLOSE 00C HOLD'
CMDCLRDE EQU   *

MSGPRINC DC    C'DMSPRT054E Incomplete fileid specified',X'00'
MSGPROPT DC    C'DMSPRT003E Invalid option: ',X'00'
MSGPRNF  DC    C'DMSPRT002E File ',X'00'
MSGPRNUL DC    C'DMSPRT701E Null file: ',X'00'
MSGPRDEV DC    C'DMSPRT105S Printer 00E ',X'00'
MSGPRSPL DC    C'DMSPRT226I ',X'00'
MSGPRSP2 DC    C' record(s) longer than 132 characters continued on the next line',X'00'
MSGPUINC DC    C'DMSPUN054E Incomplete fileid specified',X'00'
MSGPUOPT DC    C'DMSPUN003E Invalid option: ',X'00'
MSGPUNF  DC    C'DMSPUN002E File ',X'00'
MSGPUNUL DC    C'DMSPUN701E Null file: ',X'00'
MSGPUDEV DC    C'DMSPUN105S Punch 00D ',X'00'
MSGPULNG DC    C'DMSPUN033E File ',X'00'
MSGPULN2 DC    C' has records longer than 80 characters; nothing punched',X'00'
MSGRCINC DC    C'DMSRDC054E Incomplete fileid specified',X'00'
MSGRCOPT DC    C'DMSRDC003E Invalid option: ',X'00'
MSGRCNA  DC    C'DMSRDC069E Disk ',X'00'
MSGRCNA2 DC    C' not accessed',X'00'
MSGRCRO  DC    C'DMSRDC037E Disk ',X'00',C') is read/only',X'00'
MSGRCEX  DC    C'DMSRDC024E File ',X'00'
MSGRCEX2 DC    C' already exists (the REPLACE option replaces it)',X'00'
MSGRCDF  DC    C'DMSRDC105S Disk ',X'00',C') directory is full',X'00'
MSGRCFUL DC    C'DMSRDC105S Disk ',X'00',C') is full',X'00'
MSGRCBIG DC    C'DMSRDC109S Virtual storage capacity exceeded',X'00'
MSGRCWFL DC    C'DMSRDC105S Disk ',X'00',C') is full; the reader file was read and is lost',X'00'
MSGRCWIO DC    C'DMSRDC105S Error writing to disk; the reader file was read and is lost',X'00'
MSGRCHLD DC    C'DMSRDC740I The reader file stays in the reader, held (CP QUERY RDR)',X'00'
MSGRCNOF DC    C'DMSRDC702E No file in the virtual reader',X'00'
MSGRCDEV DC    C'DMSRDC105S Reader 00C ',X'00'
MSGRCNUL DC    C'DMSRDC701I Null file: no cards after the header for ',X'00'
MSGRCOK1 DC    C'DMSRDC738I File ',X'00'
MSGRCNEW DC    C' created: ',X'00'
MSGRCREP DC    C' replaced: ',X'00'
MSGRCOK2 DC    C' cards',X'00'
MSGNULL2 DC    C' has no records',X'00'
MSGURBIG DC    C'109S Virtual storage capacity exceeded',X'00'
MSGURRD  DC    C'104S Error reading file from disk',X'00'
MSGURNA  DC    C'is not attached (CP QUERY VIRTUAL; CP DEFINE adds one)',X'00'
MSGURUE  DC    C'unit exception',X'00'
MSGURUC  DC    C'unit check, sense X''',X'00'
MSGURUC2 DC    C'''',X'00'
MSGURINT DC    C' (intervention required)',X'00'
MSGURREJ DC    C' (command reject)',X'00'
MSGURCS  DC    C'error, CSW status X''',X'00'
         DROP  R11
