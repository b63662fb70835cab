* cms/edit.s -- EDIT fn ft [fm]: the CMS line editor, in the manner of
* VM/370's EDIT (the line-mode editor CMS had before XEDIT).
*
* A session.  EDIT reads the file into storage (or starts an empty one
* and says NEW FILE:), types EDIT: and reads subcommands from the
* console, one a line.  INPUT switches to input mode (INPUT:), where
* every line typed goes into the file after the current line, until a
* null line (just Enter) switches back (EDIT:).  FILE writes the file
* and leaves; QUIT leaves without writing.
*
*   EDIT:  TOP  BOTTOM  NEXT [n]  UP [n]  LOCATE /string/
*          CHANGE /old/new/ [n|*] [G]  DELETE [n|*]  TYPE [n|*]
*          INPUT [line]  REPLACE [line]  FILE [fn [ft [fm]]]
*          SAVE [fn [ft [fm]]]  QUIT  QQUIT  VERIFY [ON|OFF]  CASE U|M
*          HELP  =  ?
*
* The current line.  EDIT works at one line of the file, the current
* line.  Above the first line there is a null line, TOF: (top of
* file), and below the last one another, EOF: (end of file); TOP moves
* to TOF:, so that INPUT there adds lines before the first.  A count
* n of lines (CHANGE, DELETE, TYPE) starts at the current line, and
* the null lines count among the n but are never changed or deleted.
* In verify mode (VERIFY ON, the default) NEXT, UP, BOTTOM, LOCATE and
* CHANGE type the line they arrive at or change.
*
* Storage.  The lines live in EDITBUF (X'80000', 128K) as a record
* stream much like a V file's: each line a 2-byte length, then its
* bytes, back to back, line 1 first.  A line is found by walking from
* the start (a teaching editor: simple before fast); inserting or
* deleting a line moves the lines after it.  Lines of an F file are
* kept blank-padded to the LRECL, so that writing them back is a copy.
* The file itself is read through FILEBUF (FSREAD) when EDIT starts,
* and written from FILEBUF (FSWRITE) by FILE and SAVE; lines that
* move up pass through it too (EDMOVE).  No other command runs while
* EDIT does, so FILEBUF is free then.  (An EXEC that runs EDIT keeps
* its own text in EXECBUF.)
*
* Line lengths.  An F file's lines are its LRECL long; a V file's
* lines may be up to 255 characters or its LRECL, if larger (a new file
* is V); EDIT handles lines up to 1024 (ELMAX).  A longer line is cut
* with DMSEDT044W when a non-blank character is lost.  When the 128K
* are full, a line is not added (DMSEDT132S) and the file so far stays.
*
* Case.  With CASE U (the default) what is typed is upper-cased, as
* CMS did for most file types; CASE M keeps it as typed (the default
* for SCRIPT and MEMO files).  Subcommand names are read in any case.
*
* Registers: R11 is this module's data base (USING EDDATA,R11), loaded
* at entry and again after FSWRITE, which uses R11.  The helpers below
* change only R0..R7 (and R15), so the subcommands keep a line number
* and address in R8..R10 across calls.

ELMAX    EQU   1024                       ; the longest line EDIT handles
EDLIMV   EQU   255                        ; a V file's lines, at least
EDBUFEND EQU   EDITBUF+X'20000'           ; the end of the 128K
EDWCAP   EQU   ELMAX+256                  ; EDWORK's size
EDBIG    EQU   X'7FFFFFFF'                ; '*': all the lines

         USING EDDATA,R11

* ------------------------------------------------------------------
* EDIT fn ft [fm]: check the fileid, load the file, then the session.
CMDEDIT  ENTER
         LI    R11,EDDATA
         L     R0,NTOK
         CHI   R0,3
         JL    EDINC
         LA    R2,TOKS+8                  ; fn and ft: 1 to 8 name
         L     R3,TOKLEN+4                ; characters each
         CALL  EDCHKNM
         LTR   R15,R15
         JNZ   EDBADID
         LA    R2,TOKS+16
         L     R3,TOKLEN+8
         CALL  EDCHKNM
         LTR   R15,R15
         JNZ   EDBADID
         CALL  GETFM
         LLC   R0,WANTFM
         CHI   R0,C'*'
         JE    EDFMOK
         CALL  ADTOF                      ; a named disk must be there
         LTR   R8,R8
         JNZ   EDFMOK
         LLC   R0,WANTFM
         CALL  EDNOTAC
         LEAVERC 36
EDFMOK   LA    R1,EDNAME
         LA    R2,TOKS+8
         LHI   R3,16
         MVC   R1,R2,R3
         LHI   R0,0                       ; the state of a new session
         ST    R0,EDNL
         ST    R0,EDLASTL
         ST    R0,EDCUR
         STC   R0,EDCHG
         STC   R0,EDQWARN
         LHI   R0,1
         STC   R0,EDVER
         LI    R0,EDITBUF
         ST    R0,EDEND
         LHI   R0,C'U'                    ; CASE U, but M for SCRIPT, MEMO
         STC   R0,EDCASE
         LA    R1,EDNAME+8
         LA    R2,EDFTM1
         LHI   R3,8
         CLC   R1,R2,R3
         JE    EDCASEM
         LA    R2,EDFTM2
         CLC   R1,R2,R3
         JNE   EDLOOK
EDCASEM  LHI   R0,C'M'
         STC   R0,EDCASE
EDLOOK   LA    R2,EDNAME
         CALL  LOOKUP
         LTR   R9,R9
         JZ    EDNEW
         LLC   R0,ADT_MODE(,R8)           ; the file's own disk
         STC   R0,EDFM
         LI    R5,FILEBUF
         LHI   R6,FILEMAXB
         CALL  FSREAD
         CHI   R15,1
         JE    EDTOOBIG
         LTR   R15,R15
         JNZ   EDRDERR
         CALL  EDLOAD
         CHI   R15,1
         JE    EDTOOBIG
         CHI   R15,3
         JE    EDTOOLNG
         LTR   R15,R15
         JNZ   EDRDERR
         J     EDSTART
EDNEW    LLC   R0,WANTFM                  ; a new file: V, on the disk
         CHI   R0,C'*'                    ; named, or on A
         JNE   EDNEW1
         LHI   R0,C'A'
EDNEW1   STC   R0,EDFM
         LHI   R0,C'V'
         STC   R0,EDRECF
         LHI   R0,EDLIMV
         ST    R0,EDLIM
         ST    R0,EDLRECL
         TYPESZ EMNEW
EDSTART  LHI   R0,0
         ST    R0,EDRC
         J     EDCMDS
EDINC    TYPESZ EMINC
         LEAVERC 24
EDBADID  TYPESZ EMBADID
         LEAVERC 24
EDTOOBIG TYPESZ EMTOOBIG
         LEAVERC 104
EDRDERR  TYPESZ EMRDERR
         LEAVERC 100
EDTOOLNG TYPESZ EMTOOLNG
         LEAVERC 104

* ------------------------------------------------------------------
* The session.  Edit mode: a subcommand a line.  Each subcommand's
* routine returns R15 = 0 to stay in edit mode, 1 to go into input
* mode, 2 to leave EDIT.
EDCMDS   TYPESZ EMEDIT
EDREAD   CALL  READLINE
         L     R3,INLEN
         LTR   R3,R3
         JZ    EDREAD                     ; a null line: nothing to do
EDLINE   LA    R1,EDRAW                   ; the line as typed, and
         LA    R2,INBUF                   ; INBUF upper-cased for the
         MVC   R1,R2,R3                   ; names and numbers
         CALL  UPCASE
         LA    R0,INBUF                   ; strings and text: as typed
         LLC   R1,EDCASE                  ; with CASE M
         CHI   R1,C'U'
         JE    EDSRC
         LA    R0,EDRAW
EDSRC    ST    R0,EDTXT
         LHI   R4,0
         CALL  EDSKIP
         C     R4,INLEN
         JNL   EDREAD                     ; only blanks
         LA    R1,INBUF                   ; = and ?: the last subcommand
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C'='
         JE    EDAGAIN
         CHI   R0,C'?'
         JE    EDSHOW
         LR    R6,R4                      ; the subcommand: its letters
EDVERB   C     R6,INLEN
         JNL   EDVEND
         LA    R1,INBUF
         AR    R1,R6
         LLC   R0,0(,R1)
         CHI   R0,C'A'
         JL    EDVEND
         CHI   R0,C'Z'
         JH    EDVEND
         AHI   R6,1
         J     EDVERB
EDVEND   ST    R6,EDOPS                   ; the operands start here
         LR    R3,R6
         SR    R3,R4                      ; the name's length
         JZ    EDUNK
         CHI   R3,8
         JH    EDUNK
         LA    R5,INBUF
         AR    R5,R4
         LA    R6,EDTAB
EDTLOOP  LLC   R0,0(,R6)
         LTR   R0,R0
         JZ    EDUNK
         L     R0,8(,R6)                  ; minimum abbreviation
         CR    R3,R0
         JL    EDTNEXT
         CLC   R5,R6,R3
         JE    EDTRUN
EDTNEXT  AHI   R6,16
         J     EDTLOOP
EDTRUN   LA    R1,EDLAST                  ; the line, for = and ?
         LA    R2,EDRAW
         L     R3,INLEN
         ST    R3,EDLASTL
         MVC   R1,R2,R3
         LLC   R0,EDQWARN                 ; QUIT's warning holds for
         STC   R0,EDQLAST                 ; the next subcommand only
         LHI   R0,0
         STC   R0,EDQWARN
         L     R1,12(,R6)
         BALR  R14,R1
         LI    R11,EDDATA
         CHI   R15,1
         JE    EDINPUT
         CHI   R15,2
         JE    EDLEAVE
         J     EDREAD
EDUNK    CALL  OCLR                       ; ?EDIT: and the line, as CMS
         LA    R2,EMUNK                   ; answered what it did not know
         CALL  OAPPSZ
         LA    R2,EDRAW
         L     R3,INLEN
         CALL  OAPP
         CALL  OFLUSH
         J     EDREAD

* = runs the last subcommand again (as it was typed: with CASE U it
* is upper-cased again), ? types it.  Neither takes operands.
EDAGAIN  CALL  EDLONE
         LTR   R15,R15
         JNZ   EDREAD
         L     R3,EDLASTL
         ST    R3,INLEN
         LA    R1,INBUF
         LA    R2,EDLAST
         MVC   R1,R2,R3
         AR    R1,R3
         ST    R1,INEND
         J     EDLINE
EDSHOW   CALL  EDLONE
         LTR   R15,R15
         JNZ   EDREAD
         LA    R2,EDLAST
         L     R3,EDLASTL
         CALL  TYPELN
         J     EDREAD
* EDLONE: for = and ? at offset R4: R15 := 0 if nothing else follows
* and there is a last subcommand, else 1 after a message.
EDLONE   ENTER
         AHI   R4,1
         ST    R4,EDOPS
         CALL  EDREST
         LTR   R15,R15
         JZ    EDLONE1
         CALL  EDBADOP
         LEAVERC 1
EDLONE1  L     R0,EDLASTL
         LTR   R0,R0
         JNZ   EDLONE2
         TYPESZ EMNOLAST
         LEAVERC 1
EDLONE2  LEAVERC 0

* Input mode: each line goes in after the current line and becomes the
* current line; a null line goes back to edit mode.  Nothing typed
* here is taken for a subcommand, not even when the buffer is full.
EDINPUT  TYPESZ EMINPUT
EDILOOP  CALL  READLINE
         L     R3,INLEN
         LTR   R3,R3
         JZ    EDCMDS
         LLC   R0,EDCASE
         CHI   R0,C'U'
         JNE   EDI1
         CALL  UPCASE
EDI1     LA    R2,INBUF
         L     R3,INLEN
         CALL  EDINST
         J     EDILOOP

EDLEAVE  L     R15,EDRC
         LEAVE

* EDCHKNM: R15 := 0 if the R3 bytes at R2 are a file name or type: 1
* to 8 of the characters cms/FORMAT.md allows, else 1.
EDCHKNM  LHI   R15,1
         LTR   R3,R3
         BCR   8,R14
         CHI   R3,8
         BCR   2,R14
         LR    R4,R2
         LR    R5,R3
ECNLOOP  LLC   R0,0(,R4)
         LA    R6,NAMECHS
ECNSCAN  LLC   R7,0(,R6)
         LTR   R7,R7
         BCR   8,R14                      ; not a name character
         CR    R0,R7
         JE    ECNOK
         AHI   R6,1
         J     ECNSCAN
ECNOK    AHI   R4,1
         AHI   R5,-1
         JNZ   ECNLOOP
         LHI   R15,0
         BR    R14

* EDLOAD: the records FSREAD put in FILEBUF (entry R9) become lines.
* R15 := 0, 1 (more than the buffer holds), 2 (records that do not
* add up: a damaged entry) or 3 (lines longer than ELMAX).
EDLOAD   ENTER
         LLC   R0,FST_RECF(,R9)
         STC   R0,EDRECF
         L     R1,FST_LREC(,R9)
         ST    R1,EDLRECL
         LTR   R1,R1
         JZ    ELBAD
         CHI   R0,C'F'
         JE    ELFIX
         CHI   R0,C'V'
         JNE   ELBAD
         LHI   R0,EDLIMV                  ; V: 255, or the LRECL if more,
         CLR   R1,R0                      ; up to ELMAX
         JNL   ELV1
         LR    R1,R0
ELV1     LHI   R0,ELMAX
         CLR   R1,R0
         JNH   ELV2
         LR    R1,R0
ELV2     ST    R1,EDLIM
         J     ELGO
ELFIX    LHI   R0,ELMAX                   ; F: the LRECL
         CLR   R1,R0
         JH    ELLONG
         ST    R1,EDLIM
ELGO     LI    R4,FILEBUF                 ; the next record
         L     R5,FST_BYTE(,R9)
         AR    R5,R4                      ; the end of the records
         L     R6,FST_RECS(,R9)           ; records left
         LI    R7,EDITBUF                 ; where the next line goes
         LHI   R10,0                      ; lines so far
ELLOOP   LTR   R6,R6
         JZ    ELEND
         LLC   R0,EDRECF
         CHI   R0,C'F'
         JNE   ELVREC
         LR    R2,R4
         L     R3,EDLRECL
         J     ELHAVE
ELVREC   LR    R0,R5                      ; V: a 2-byte length first
         SR    R0,R4
         CHI   R0,2
         JL    ELBAD
         LLC   R3,0(,R4)
         SLL   R3,8
         LLC   R0,1(,R4)
         OR    R3,R0
         LA    R2,2(,R4)
         CHI   R3,ELMAX
         JH    ELLONG
         C     R3,EDLIM                   ; longer than the LRECL says:
         JNH   ELHAVE                     ; allow it
         ST    R3,EDLIM
ELHAVE   LR    R0,R5                      ; R3 bytes at R2: inside?
         SR    R0,R2
         CLR   R3,R0
         JH    ELBAD
         LA    R1,2(R3,R7)                ; and room for them?
         LI    R0,EDBUFEND
         CLR   R1,R0
         JH    ELBIG
         LR    R0,R3                      ; the line's length (any
         STC   R0,1(,R7)                  ; address: byte by byte)
         SRL   R0,8
         STC   R0,0(,R7)
         LA    R1,2(,R7)
         MVC   R1,R2,R3
         LA    R7,2(R3,R7)
         LA    R4,0(R3,R2)
         AHI   R10,1
         AHI   R6,-1
         J     ELLOOP
ELEND    ST    R7,EDEND
         ST    R10,EDNL
         LEAVERC 0
ELBIG    LEAVERC 1
ELBAD    LEAVERC 2
ELLONG   LEAVERC 3

* ------------------------------------------------------------------
* The lines.

* EDLADDR: R1 := the address of line R1 (1 = the first; past the last
* line: EDEND).  Changes R0, R2, R3.
EDLADDR  LR    R3,R1
         LI    R1,EDITBUF
ELALOOP  AHI   R3,-1
         BCR   12,R14                     ; counted down: here
         CL    R1,EDEND
         BCR   11,R14                     ; the end of the lines
         LLC   R0,0(,R1)
         SLL   R0,8
         LLC   R2,1(,R1)
         OR    R0,R2
         LA    R1,2(,R1)
         AR    R1,R0
         J     ELALOOP

* EDLAT: the line at R1: R2 := its bytes, R3 := its length.  R0.
EDLAT    LLC   R3,0(,R1)
         SLL   R3,8
         LLC   R0,1(,R1)
         OR    R3,R0
         LA    R2,2(,R1)
         BR    R14

* EDPUTL: store the line of R3 bytes at R2 at R1 (length, bytes).
* Changes R0, R1.
EDPUTL   LR    R0,R3
         STC   R0,1(,R1)
         SRL   R0,8
         STC   R0,0(,R1)
         LA    R1,2(,R1)
         MVC   R1,R2,R3
         BR    R14

* EDMOVE: move R3 bytes from R2 to R1, the areas may overlap.  MVC
* copies byte after byte from the left, as on S/360, so moving down
* (to a lower address) is a left-to-right copy in 4K pieces.  Moving
* up, an overlapping piece would copy bytes it has just written: the
* pieces would have to be no longer than the distance, and a line that
* grows by 2 bytes would move the rest of the file 2 bytes at a time
* (CHANGE /BIG/LARGE/ * over 1006 lines took 106 million instructions
* so).  Instead the bytes go out to FILEBUF and come back, 4K at a
* time: 32 MVCs for 64K.  Changes R0..R7.
EDMOVE   LTR   R3,R3
         BCR   8,R14
         CLR   R1,R2
         BCR   8,R14
         JH    EMVUP
EMVDOWN  LR    R4,R3                      ; down: left to right
         CHI   R4,4096
         JNH   EMVD1
         LHI   R4,4096
EMVD1    MVC   R1,R2,R4
         AR    R1,R4
         AR    R2,R4
         SR    R3,R4
         JNZ   EMVDOWN
         BR    R14
EMVUP    LR    R6,R1                      ; up: out to FILEBUF...
         LR    R7,R3
         LI    R1,FILEBUF
EMVULOOP LR    R4,R3
         CHI   R4,4096
         JNH   EMVU1
         LHI   R4,4096
EMVU1    MVC   R1,R2,R4
         AR    R1,R4
         AR    R2,R4
         SR    R3,R4
         JNZ   EMVULOOP
         LR    R1,R6                      ; ...and back, to the place
         LI    R2,FILEBUF
         LR    R3,R7
         J     EMVDOWN

* EDROOM: CC high (JH) if R0 more bytes do not fit in the buffer.
* Changes R1.
EDROOM   A     R0,EDEND
         LI    R1,EDBUFEND
         CLR   R0,R1
         BR    R14

* EDINSL: put the line of R3 bytes at R2 into the file after line
* EDCUR (which must not be EOF:); it becomes the current line.  R15 :=
* 0, or 1 if the buffer is full (nothing changed).  Changes R0..R7.
EDINSL   ENTER
         ST    R2,EDSRCA
         ST    R3,EDSRCL
         LA    R0,2(,R3)
         CALL  EDROOM
         JH    EILFULL
         L     R1,EDCUR
         AHI   R1,1
         CALL  EDLADDR
         ST    R1,EDWHERE
         LR    R2,R1                      ; the lines after it move up
         L     R3,EDEND
         SR    R3,R2
         L     R0,EDSRCL
         AHI   R0,2
         AR    R1,R0
         CALL  EDMOVE
         L     R1,EDWHERE
         L     R2,EDSRCA
         L     R3,EDSRCL
         CALL  EDPUTL
         L     R0,EDSRCL
         AHI   R0,2
         A     R0,EDEND
         ST    R0,EDEND
         L     R0,EDNL
         AHI   R0,1
         ST    R0,EDNL
         L     R0,EDCUR
         AHI   R0,1
         ST    R0,EDCUR
         LHI   R0,1
         STC   R0,EDCHG
         LEAVERC 0
EILFULL  LEAVERC 1

* EDREPL: the line at R1 becomes the R3 bytes at R2.  R15 := 0, or 1
* if the buffer is full (the line stays as it was).  Changes R0..R7.
EDREPL   ENTER
         ST    R1,EDWHERE
         ST    R2,EDSRCA
         ST    R3,EDSRCL
         CALL  EDLAT                      ; R3 := the old length
         L     R0,EDSRCL
         SR    R0,R3
         ST    R0,EDDELTA                 ; the growth (or shrinkage)
         LTR   R0,R0
         JNP   ERPL1
         CALL  EDROOM
         JH    ERPLFULL
ERPL1    L     R2,EDWHERE                 ; the lines after it move
         LA    R2,2(R3,R2)
         L     R3,EDEND
         SR    R3,R2
         LR    R1,R2
         A     R1,EDDELTA
         CALL  EDMOVE
         L     R1,EDWHERE
         L     R2,EDSRCA
         L     R3,EDSRCL
         CALL  EDPUTL
         L     R0,EDEND
         A     R0,EDDELTA
         ST    R0,EDEND
         LHI   R0,1
         STC   R0,EDCHG
         LEAVERC 0
ERPLFULL LEAVERC 1

* EDDELK: delete R7 lines (at least 1, at most those left) from line
* EDCUR on; the line after them becomes line EDCUR.  Changes R0..R7.
EDDELK   ENTER
         ST    R7,EDCOUNT
         L     R1,EDCUR
         CALL  EDLADDR
         ST    R1,EDWHERE
EDKLOOP  CALL  EDLAT                      ; walk past the R7 lines
         LA    R1,0(R3,R2)
         AHI   R7,-1
         JNZ   EDKLOOP
         LR    R2,R1                      ; the rest moves down
         L     R3,EDEND
         SR    R3,R2
         LR    R0,R2
         S     R0,EDWHERE
         ST    R0,EDDELTA
         L     R1,EDWHERE
         CALL  EDMOVE
         L     R0,EDEND
         S     R0,EDDELTA
         ST    R0,EDEND
         L     R0,EDNL
         S     R0,EDCOUNT
         ST    R0,EDNL
         LHI   R0,1
         STC   R0,EDCHG
         LEAVE

* EDFIT: make the R3 bytes in EDWORK a line of this file: cut what
* passes the longest line allowed (DMSEDT044W if a non-blank goes),
* and pad an F file's line to its LRECL.  R3 := the new length.
* Changes R0..R7.
EDFIT    ENTER
         L     R4,EDLIM
         CLR   R3,R4
         JNH   EFPAD
         LA    R5,EDWORK                  ; what would be cut: blanks?
         AR    R5,R4
         LR    R6,R3
         SR    R6,R4
EFSCAN   LLC   R0,0(,R5)
         CHI   R0,C' '
         JNE   EFTRUNC
         AHI   R5,1
         AHI   R6,-1
         JNZ   EFSCAN
         LR    R3,R4
         J     EFPAD
EFTRUNC  CALL  OCLR
         LA    R2,EMTRUNC
         CALL  OAPPSZ
         L     R1,EDLIM
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         LA    R2,EMTRUNC2
         CALL  OAPPSZ
         CALL  OFLUSH
         L     R3,EDLIM
EFPAD    LLC   R0,EDRECF
         CHI   R0,C'F'
         JNE   EFDONE
         L     R4,EDLRECL
EFPLOOP  CLR   R3,R4
         JNL   EFDONE
         LA    R1,EDWORK
         AR    R1,R3
         LR    R5,R4
         SR    R5,R3
         CHI   R5,64
         JNH   EFP1
         LHI   R5,64
EFP1     LA    R2,BLANKS
         MVC   R1,R2,R5
         AR    R3,R5
         J     EFPLOOP
EFDONE   LEAVE

* EDINST: the R3 bytes at R2 (at most a console line) become a new
* line after the current one, which they then are; at EOF: after the
* last line.  A full buffer says so.  Changes R0..R7.
EDINST   ENTER
         LA    R1,EDWORK
         MVC   R1,R2,R3
         CALL  EDFIT
         L     R0,EDCUR
         C     R0,EDNL
         JNH   EDIS1
         L     R0,EDNL
         ST    R0,EDCUR
EDIS1    LA    R2,EDWORK
         CALL  EDINSL
         LTR   R15,R15
         JZ    EDISOK
         TYPESZ EMFULL
EDISOK   LEAVE

* EDTYPEC: type the current line (TOF: or EOF: for the null lines).
* EDTYPEA: type the line at R1.  Both change R0..R7.
EDTYPEC  ENTER
         L     R1,EDCUR
         LTR   R1,R1
         JZ    ETCTOF
         C     R1,EDNL
         JH    ETCEOF
         CALL  EDLADDR
         CALL  EDTYPEA
         LEAVE
ETCTOF   TYPESZ EMTOF
         LEAVE
ETCEOF   TYPESZ EMEOF
         LEAVE
EDTYPEA  ENTER
         CALL  EDLAT                      ; without its trailing blanks
ETASTRIP LTR   R3,R3                      ; (an F line's padding)
         JZ    ETAOUT
         LR    R1,R2
         AR    R1,R3
         AHI   R1,-1
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JNE   ETAOUT
         AHI   R3,-1
         J     ETASTRIP
ETAOUT   CALL  TYPELN
         LEAVE

* EDVERC: type the current line in verify mode.
EDVERC   LLC   R0,EDVER
         LTR   R0,R0
         BCR   8,R14
         J     EDTYPEC

* ------------------------------------------------------------------
* Operands.  EDOPS is the offset in the line where the next operand
* may start; names and numbers are read from INBUF (upper case),
* strings and text from EDTXT (as typed with CASE M).

* EDSKIP: R4 := the first non-blank at or after offset R4 (or INLEN).
* Changes R0, R1, R5.
EDSKIP   L     R5,INLEN
ESKLOOP  CR    R4,R5
         BCR   11,R14
         LA    R1,INBUF
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C' '
         BCR   7,R14
         AHI   R4,1
         J     ESKLOOP

* EDNUM: a count operand: n (1 or more), or * for all the lines; R1 is the
* default when there is none.  R1 := the count, R15 := 0, or 1 if the
* operand is not a number (EDBAD: where).  Changes R0..R7.
EDNUM    ENTER
         ST    R1,EDNVAL
         L     R4,EDOPS
         CALL  EDSKIP
         C     R4,INLEN
         JNL   ENUMOK
         ST    R4,EDBAD
         LA    R1,INBUF
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C'*'
         JNE   ENUMDIG
         LI    R0,EDBIG
         ST    R0,EDNVAL
         AHI   R4,1
         J     ENUMEND
ENUMDIG  LHI   R6,0                       ; the value
         LHI   R7,0                       ; digits
ENUMLOOP C     R4,INLEN
         JNL   ENUMD2
         LA    R1,INBUF
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C'0'
         JL    ENUMD2
         CHI   R0,C'9'
         JH    ENUMD2
         AHI   R0,-C'0'
         CHI   R7,8                       ; more than 8 digits: as many
         JNL   ENUMSAT                    ; lines as there can be
         MHI   R6,10
         AR    R6,R0
         J     ENUMNXT
ENUMSAT  LI    R6,99999999
ENUMNXT  AHI   R7,1
         AHI   R4,1
         J     ENUMLOOP
ENUMD2   LTR   R7,R7
         JZ    ENUMBAD
         LTR   R6,R6                      ; a count of 0 lines: no
         JZ    ENUMBAD
         ST    R6,EDNVAL
ENUMEND  ST    R4,EDOPS
         C     R4,INLEN                   ; then a blank or the end
         JNL   ENUMOK
         LA    R1,INBUF
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JNE   ENUMBAD
ENUMOK   L     R1,EDNVAL
         LEAVERC 0
ENUMBAD  LEAVERC 1

* EDREST: R15 := 0 if nothing but blanks follows EDOPS, else 1
* (EDBAD: where).  Changes R0, R1, R4, R5.
EDREST   ENTER
         L     R4,EDOPS
         CALL  EDSKIP
         ST    R4,EDBAD
         LHI   R15,0
         C     R4,INLEN
         JNL   ERSTOK
         LHI   R15,1
ERSTOK   LEAVE

* EDWORD: the next word (up to a blank): R2 := its address in INBUF,
* R3 := its length (0: none).  Changes R0, R1, R4..R6.
EDWORD   ENTER
         L     R4,EDOPS
         CALL  EDSKIP
         ST    R4,EDBAD
         LR    R6,R4
EWDLOOP  C     R6,INLEN
         JNL   EWDEND
         LA    R1,INBUF
         AR    R1,R6
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JE    EWDEND
         AHI   R6,1
         J     EWDLOOP
EWDEND   ST    R6,EDOPS
         LA    R2,INBUF
         AR    R2,R4
         LR    R3,R6
         SR    R3,R4
         LEAVE

* EDBADOP: DMSEDT029E and the operand from EDBAD on, as typed.
EDBADOP  ENTER
         CALL  OCLR
         LA    R2,EMBADOP
         CALL  OAPPSZ
         LA    R2,EDRAW
         L     R3,EDBAD
         AR    R2,R3
         L     R0,INLEN
         SR    R0,R3
         LR    R3,R0
         CALL  OAPP
         CALL  OFLUSH
         LEAVE

* EDDLM: the string delimiter: the first non-blank after the name.
* R15 := 0, or 1 if there is none.  Changes R0, R1, R4, R5.
EDDLM    ENTER
         L     R4,EDOPS
         CALL  EDSKIP
         C     R4,INLEN
         JNL   EDDNONE
         L     R1,EDTXT
         AR    R1,R4
         LLC   R0,0(,R1)
         STC   R0,EDDELIM
         AHI   R4,1
         ST    R4,EDOPS
         LEAVERC 0
EDDNONE  LEAVERC 1

* EDSTRG: the string from EDOPS up to the next delimiter or the end of
* the line: R2 := its address, R3 := its length; EDOPS := past the
* delimiter.  R1 := 1 if a delimiter ended it, 0 if the line did.
* Changes R0..R7.
EDSTRG   L     R4,EDOPS
         L     R5,INLEN
         L     R6,EDTXT
         LLC   R7,EDDELIM
         LR    R2,R6
         AR    R2,R4
ESGLOOP  CR    R4,R5
         JNL   ESGEND
         LR    R1,R6
         AR    R1,R4
         LLC   R0,0(,R1)
         CR    R0,R7
         JE    ESGDLM
         AHI   R4,1
         J     ESGLOOP
ESGEND   LHI   R1,0
         J     ESGOUT
ESGDLM   LHI   R1,1
ESGOUT   LR    R3,R6
         AR    R3,R4
         SR    R3,R2
         AR    R4,R1                      ; past the delimiter
         ST    R4,EDOPS
         BR    R14

* EDFIND: where the string EDS1A/EDS1L first occurs in the R3 bytes
* at R2: R15 := its offset, or -1.  Changes R0, R4..R7.
EDFIND   L     R4,EDS1A
         L     R5,EDS1L
         LR    R6,R3
         SR    R6,R5                      ; the last place it could start
         LHI   R15,0
         LTR   R5,R5
         BCR   8,R14                      ; an empty string: at once
EFDLOOP  CR    R15,R6
         JH    EFDNO
         LR    R7,R2
         AR    R7,R15
         CLC   R7,R4,R5
         BCR   8,R14
         AHI   R15,1
         J     EFDLOOP
EFDNO    LHI   R15,-1
         BR    R14

* EDTEXT: the text of INPUT line or REPLACE line: what follows the name
* and one blank.  R2 := its address, R3 := its length (0: none, or
* only blanks).  Changes R0, R1, R4, R5.
EDTEXT   ENTER
         L     R4,EDOPS
         CALL  EDSKIP
         LHI   R3,0
         C     R4,INLEN
         JNL   ETXDONE                    ; nothing, or only blanks
         L     R4,EDOPS
         LA    R1,INBUF
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JNE   ETX1
         AHI   R4,1                       ; the one blank after the name
ETX1     L     R2,EDTXT
         AR    R2,R4
         L     R3,INLEN
         SR    R3,R4
ETXDONE  LEAVE

* ------------------------------------------------------------------
* The subcommands.  Each returns R15 = 0 (edit mode), 1 (input mode)
* or 2 (leave EDIT).  They may change any register but R11..R13.

* TOP: to the null line before the first line.
ESTOP    ENTER
         CALL  EDREST
         LTR   R15,R15
         JNZ   ESBADOP
         LHI   R0,0
         ST    R0,EDCUR
         CALL  EDVERC
         LEAVERC 0

* BOTTOM: to the last line.
ESBOT    ENTER
         CALL  EDREST
         LTR   R15,R15
         JNZ   ESBADOP
         L     R0,EDNL
         ST    R0,EDCUR
         CALL  EDVERC
         LEAVERC 0

* NEXT [n]: n lines down (1); past the last one, EOF:.
ESNEXT   ENTER
         CALL  ESCOUNT
         LTR   R15,R15
         JNZ   ESBADOP
         L     R0,EDNL                    ; the lines below this one
         S     R0,EDCUR                   ; (-1 at EOF:)
         CR    R1,R0
         JH    ESNEOF
         A     R1,EDCUR
         ST    R1,EDCUR
         CALL  EDVERC
         LEAVERC 0
ESNEOF   L     R0,EDNL
         AHI   R0,1
         ST    R0,EDCUR
         TYPESZ EMEOF
         LEAVERC 0

* UP [n]: n lines up (1); past the first one, TOF:.
ESUP     ENTER
         CALL  ESCOUNT
         LTR   R15,R15
         JNZ   ESBADOP
         L     R0,EDCUR
         SR    R0,R1
         JP    ESUP1
         LHI   R0,0
         ST    R0,EDCUR
         TYPESZ EMTOF
         LEAVERC 0
ESUP1    ST    R0,EDCUR
         CALL  EDVERC
         LEAVERC 0

* ESCOUNT: the count operand of NEXT, UP, DELETE, TYPE, and nothing
* after it: R1 := the count (default 1), R15 := 0, or 1 if bad.
ESCOUNT  ENTER
         LHI   R1,1
         CALL  EDNUM
         LTR   R15,R15
         JNZ   ESCBAD
         ST    R1,EDCOUNT
         CALL  EDREST
         L     R1,EDCOUNT
ESCBAD   LEAVE

* A subcommand's bad operand.
ESBADOP  CALL  EDBADOP
         LEAVERC 0

* LOCATE /string/: the next line, after the current one, that holds
* the string becomes the current line.  If none does: NOT FOUND, and
* the current line stays.
ESLOC    ENTER
         CALL  EDDLM
         LTR   R15,R15
         JNZ   ESNOSTR
         CALL  EDSTRG
         ST    R2,EDS1A
         ST    R3,EDS1L
         CALL  EDREST
         LTR   R15,R15
         JNZ   ESBADOP
         L     R9,EDCUR                   ; R9: the line looked at
         AHI   R9,1
         LR    R1,R9
         CALL  EDLADDR
         LR    R10,R1                     ; R10: its address
ELCLOOP  C     R9,EDNL
         JH    ELCNF
         LR    R1,R10
         CALL  EDLAT
         LA    R10,0(R3,R2)               ; (the next one's)
         CALL  EDFIND
         LTR   R15,R15
         JNM   ELCHIT
         AHI   R9,1
         J     ELCLOOP
ELCHIT   ST    R9,EDCUR
         CALL  EDVERC
         LEAVERC 0
ELCNF    TYPESZ EMNF
         LEAVERC 0
ESNOSTR  TYPESZ EMNOSTR
         LEAVERC 0

* CHANGE /old/new/ [n|*] [G|*]: in n lines (1) from the current one,
* the first old (every old with G) becomes new; an empty old puts new
* at the start of the line.  The last line looked at becomes the
* current line; the changed lines are typed in verify mode.
ESCHG    ENTER
         CALL  EDDLM
         LTR   R15,R15
         JNZ   ESNOSTR
         CALL  EDSTRG
         ST    R2,EDS1A
         ST    R3,EDS1L
         LTR   R1,R1
         JZ    ESNOSTR                    ; /old with no second delimiter
         CALL  EDSTRG
         ST    R2,EDS2A
         ST    R3,EDS2L
         LHI   R0,0
         STC   R0,EDGLOB
         LHI   R1,1                       ; n: a count, unless G comes
         ST    R1,EDCOUNT                 ; at once
         L     R4,EDOPS
         CALL  EDSKIP
         C     R4,INLEN
         JNL   ECHGO
         LA    R1,INBUF
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C'G'
         JE    ECHGG
         LHI   R1,1
         CALL  EDNUM
         LTR   R15,R15
         JNZ   ESBADOP
         ST    R1,EDCOUNT
ECHGG    L     R4,EDOPS                   ; G or *: every occurrence
         CALL  EDSKIP
         C     R4,INLEN
         JNL   ECHGO
         ST    R4,EDBAD
         LA    R1,INBUF
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C'G'
         JE    ECHG1
         CHI   R0,C'*'
         JNE   ESBADOP
ECHG1    LHI   R0,1
         STC   R0,EDGLOB
         AHI   R4,1
         ST    R4,EDOPS
         CALL  EDREST
         LTR   R15,R15
         JNZ   ESBADOP
ECHGO    LHI   R0,0
         ST    R0,EDHITS                  ; lines changed
         L     R9,EDCUR                   ; R9: the line looked at
         L     R8,EDCOUNT                 ; R8: lines still to look at
         LTR   R9,R9
         JNZ   ECH1
         AHI   R8,-1                      ; TOF: counts as one
         JZ    ECHLAST
         LHI   R9,1
ECH1     LR    R1,R9
         CALL  EDLADDR
         LR    R10,R1                     ; R10: its address
ECHLOOP  C     R9,EDNL
         JH    ECHEOF
         LR    R1,R10
         CALL  EDLAT
         CALL  EDSUBST
         LTR   R15,R15
         JZ    ECHNEXT
         CALL  EDFIT
         LR    R1,R10
         LA    R2,EDWORK
         CALL  EDREPL
         LTR   R15,R15
         JNZ   ECHFULL
         L     R0,EDHITS
         AHI   R0,1
         ST    R0,EDHITS
         ST    R9,EDCUR
         LR    R1,R10
         LLC   R0,EDVER
         LTR   R0,R0
         JZ    ECHNEXT
         CALL  EDTYPEA
ECHNEXT  LR    R1,R10
         CALL  EDLAT
         LA    R10,0(R3,R2)
         AHI   R8,-1
         JZ    ECHLAST
         AHI   R9,1
         J     ECHLOOP
ECHLAST  ST    R9,EDCUR                   ; the last line looked at
         CALL  ECHNONE
         LEAVERC 0
ECHEOF   ST    R9,EDCUR                   ; EOF: reached
         CALL  ECHNONE
         TYPESZ EMEOF
         LEAVERC 0
ECHFULL  ST    R9,EDCUR
         TYPESZ EMFULL
         LEAVERC 0
ECHNONE  L     R0,EDHITS                  ; not one line changed?
         LTR   R0,R0
         BCR   7,R14
         LA    R2,EMNF
         J     TYPESZR

* EDSUBST: the line of R3 bytes at R2 with EDS1 changed to EDS2 (the
* first time, or every time with EDGLOB), built in EDWORK (at most
* EDWCAP bytes).  R15 := the number of changes (0: EDWORK unused),
* R3 := the new length.  Changes R0..R7.
EDSUBST  ENTER
         ST    R2,EDLA
         ST    R3,EDLL
         LHI   R0,0
         ST    R0,EDWLEN
         ST    R0,EDLPOS                  ; the part not yet looked at
         ST    R0,EDNSUB
ESBLOOP  L     R2,EDLA
         A     R2,EDLPOS
         L     R3,EDLL
         S     R3,EDLPOS
         CALL  EDFIND
         LTR   R15,R15
         JM    ESBTAIL
         ST    R15,EDFOFF
         L     R2,EDLA                    ; the bytes before it
         A     R2,EDLPOS
         LR    R3,R15
         CALL  EDWAPP
         L     R2,EDS2A                   ; the new string
         L     R3,EDS2L
         CALL  EDWAPP
         L     R0,EDLPOS
         A     R0,EDFOFF
         A     R0,EDS1L
         ST    R0,EDLPOS
         L     R0,EDNSUB
         AHI   R0,1
         ST    R0,EDNSUB
         LLC   R0,EDGLOB
         LTR   R0,R0
         JZ    ESBTAIL
         L     R0,EDS1L                   ; an empty old string matches
         LTR   R0,R0                      ; everywhere: once is enough
         JNZ   ESBLOOP
ESBTAIL  L     R2,EDLA                    ; the rest of the line
         A     R2,EDLPOS
         L     R3,EDLL
         S     R3,EDLPOS
         CALL  EDWAPP
         L     R3,EDWLEN
         L     R15,EDNSUB
         LEAVE

* EDWAPP: append the R3 bytes at R2 to EDWORK (what does not fit in
* EDWCAP is dropped: EDFIT cuts long before that).  Changes R0, R1, R3.
EDWAPP   L     R0,EDWLEN
         LHI   R1,EDWCAP
         SR    R1,R0
         CR    R3,R1
         JNH   EWA1
         LR    R3,R1
EWA1     LA    R1,EDWORK
         AR    R1,R0
         MVC   R1,R2,R3
         AR    R0,R3
         ST    R0,EDWLEN
         BR    R14

* DELETE [n|*]: delete n lines (1) from the current one on; the line
* after them becomes the current line.
ESDEL    ENTER
         CALL  ESCOUNT
         LTR   R15,R15
         JNZ   ESBADOP
         LR    R7,R1
         L     R9,EDCUR
         LTR   R9,R9
         JNZ   EDL1
         AHI   R7,-1                      ; TOF: counts as one
         JZ    EDLDONE
         LHI   R9,1
         ST    R9,EDCUR
EDL1     L     R0,EDNL                    ; no more than there are
         SR    R0,R9
         AHI   R0,1
         JNP   EDLEOF
         CR    R7,R0
         JNH   EDL2
         LR    R7,R0
EDL2     CALL  EDDELK
         L     R0,EDCUR
         C     R0,EDNL
         JH    EDLEOF
EDLDONE  LEAVERC 0
EDLEOF   TYPESZ EMEOF
         LEAVERC 0

* TYPE [n|*]: type n lines (1) from the current one; the last one
* typed becomes the current line.
ESTYPE   ENTER
         CALL  ESCOUNT
         LTR   R15,R15
         JNZ   ESBADOP
         LR    R8,R1                      ; R8: lines still to type
         L     R9,EDCUR                   ; R9: the line
         LTR   R9,R9
         JNZ   ETY1
         TYPESZ EMTOF
         AHI   R8,-1
         JZ    ETYDONE
         LHI   R9,1
ETY1     LR    R1,R9
         CALL  EDLADDR
         LR    R10,R1
ETYLOOP  C     R9,EDNL
         JH    ETYEOF
         LR    R1,R10
         CALL  EDTYPEA
         LR    R1,R10
         CALL  EDLAT
         LA    R10,0(R3,R2)
         AHI   R8,-1
         JZ    ETYDONE
         AHI   R9,1
         J     ETYLOOP
ETYEOF   TYPESZ EMEOF
ETYDONE  ST    R9,EDCUR
         LEAVERC 0

* INPUT [line]: with a line, that line goes in after the current one;
* without, input mode.
ESINP    ENTER
         CALL  EDTEXT
         LTR   R3,R3
         JZ    ESINMODE
         CALL  EDINST
         LEAVERC 0
ESINMODE L     R0,EDCUR                   ; at EOF: after the last line
         C     R0,EDNL
         JNH   ESINM1
         L     R0,EDNL
         ST    R0,EDCUR
ESINM1   LEAVERC 1

* REPLACE [line]: the current line becomes the line; without one, the
* current line goes and input mode takes its place.  At TOF: or EOF:
* REPLACE is INPUT.
ESREP    ENTER
         L     R0,EDCUR
         LTR   R0,R0
         JZ    ESINP1
         C     R0,EDNL
         JH    ESINP1
         CALL  EDTEXT
         LTR   R3,R3
         JZ    ESREPIN
         LA    R1,EDWORK
         MVC   R1,R2,R3
         CALL  EDFIT
         L     R1,EDCUR
         ST    R3,EDSRCL
         CALL  EDLADDR
         L     R3,EDSRCL
         LA    R2,EDWORK
         CALL  EDREPL
         LTR   R15,R15
         JZ    ESREPOK
         TYPESZ EMFULL
ESREPOK  LEAVERC 0
ESREPIN  LHI   R7,1                       ; the line goes; input mode
         CALL  EDDELK                     ; inserts after the one before
         L     R0,EDCUR
         AHI   R0,-1
         ST    R0,EDCUR
         LEAVERC 1
ESINP1   L     R14,0(,R13)              ; as INPUT: drop this frame
         AHI   R13,8                      ; and go there
         J     ESINP

* VERIFY [ON|OFF]: type the line arrived at, or not.
ESVER    ENTER
         CALL  EDWORD
         LHI   R4,1
         LTR   R3,R3
         JZ    ESVSET
         CHI   R3,3
         JH    ESBADOP
         LA    R1,EDWON
         CLC   R1,R2,R3
         JE    ESVCHK
         LHI   R4,0
         LA    R1,EDWOFF
         CLC   R1,R2,R3
         JNE   ESBADOP
ESVCHK   ST    R4,EDNVAL
         CALL  EDREST
         LTR   R15,R15
         JNZ   ESBADOP
         L     R4,EDNVAL
ESVSET   STC   R4,EDVER
         LEAVERC 0

* CASE U|M: upper-case what is typed, or keep it mixed.
ESCASE   ENTER
         CALL  EDWORD
         CHI   R3,1
         JNE   ESBADOP
         LLC   R4,0(,R2)
         CHI   R4,C'U'
         JE    ESCS1
         CHI   R4,C'M'
         JNE   ESBADOP
ESCS1    STC   R4,EDCASE
         CALL  EDREST
         LTR   R15,R15
         JNZ   ESBADOP
         LEAVERC 0

* QUIT: leave without writing.  If the file was changed since it was
* last written, CMS warns first: a second QUIT (or QQUIT) leaves.
ESQUIT   ENTER
         LLC   R0,EDCHG
         LTR   R0,R0
         JZ    ESQQ1
         LLC   R0,EDQLAST
         LTR   R0,R0
         JNZ   ESQQ1
         TYPESZ EMQWARN
         LHI   R0,1
         STC   R0,EDQWARN
         LEAVERC 0
ESQQ1    LEAVERC 2

* QQUIT: leave without writing, and without asking.
ESQQUIT  LHI   R15,2
         BR    R14

* HELP: the subcommands, in brief.
ESHELP   ENTER
         LA    R9,EMHELP
ESHLOOP  LLC   R0,0(,R9)
         LTR   R0,R0
         JZ    ESHDONE
         LR    R2,R9
         CALL  TYPESZR
ESHNEXT  LLC   R0,0(,R9)                  ; past this line's zero
         AHI   R9,1
         LTR   R0,R0
         JNZ   ESHNEXT
         J     ESHLOOP
ESHDONE  LEAVERC 0

* FILE [fn [ft [fm]]]: write the file and leave.  SAVE: write it and
* stay.  fn and ft default to the file's own (= too); the disk is the
* one named, else the file's own if it is read/write, else A.  If the
* write fails (a read-only or full disk), EDIT stays, the lines intact.
ESFILE   LHI   R0,2
         J     ESWRITE
ESSAVE   LHI   R0,0
ESWRITE  ENTER
         ST    R0,EDWRC
         LA    R1,EDNEWN                  ; the name: the file's own...
         LA    R2,EDNAME
         LHI   R3,16
         MVC   R1,R2,R3
         LA    R9,EDNEWN
         CALL  ESWNAME                    ; ...or fn
         LTR   R15,R15
         JNZ   ESWBADID
         LA    R9,EDNEWN+8
         CALL  ESWNAME                    ; ...or ft
         LTR   R15,R15
         JNZ   ESWBADID
         CALL  EDWORD                     ; the disk
         LTR   R3,R3
         JZ    ESWDFLT
         CHI   R3,2                       ; A or A1
         JH    ESBADOP
         JL    ESWFM1
         LLC   R0,1(,R2)
         CHI   R0,C'1'
         JNE   ESBADOP
ESWFM1   LLC   R4,0(,R2)
         ST    R4,EDNVAL
         CALL  EDREST
         LTR   R15,R15
         JNZ   ESBADOP
         L     R0,EDNVAL
         CALL  ADTOF
         LTR   R8,R8
         JNZ   ESWDISK
         L     R0,EDNVAL
         CALL  EDNOTAC
         LEAVERC 0
ESWDFLT  LLC   R0,EDFM                    ; the file's own disk, if R/W
         CALL  ADTOF
         LTR   R8,R8
         JZ    ESWDA
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JZ    ESWDISK
ESWDA    LHI   R0,C'A'                    ; else A
         CALL  ADTOF
         LTR   R8,R8
         JNZ   ESWDISK
         LHI   R0,C'A'
         CALL  EDNOTAC
         LEAVERC 0
ESWDISK  LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JNZ   ESWRO
         LLC   R0,ADT_MODE(,R8)
         STC   R0,EDNEWM
         ST    R8,EDADT
         CALL  EDBUILD                    ; the records into FILEBUF
         L     R8,EDADT
         LA    R2,EDNEWN
         LI    R5,FILEBUF
         CALL  FSWRITE
         LI    R11,EDDATA
         LTR   R15,R15
         JNZ   ESWERR
         LA    R1,EDNAME                  ; written: this is the file now
         LA    R2,EDNEWN
         LHI   R3,16
         MVC   R1,R2,R3
         LLC   R0,EDNEWM
         STC   R0,EDFM
         LHI   R0,0
         STC   R0,EDCHG
         L     R15,EDWRC
         LEAVE
ESWRO    LA    R2,EMRO1                   ; DMSEDT037E Disk S(190) is read/only
         LA    R4,EMRO2
         CALL  EDDSKM
         LEAVERC 0
ESWERR   CHI   R15,13
         JNE   ESWIOE
         L     R8,EDADT
         LA    R4,EMFULL2                 ; R0 says what is full
         CHI   R0,1
         JNE   ESWF1
         LA    R4,EMDFULL2
ESWF1    LA    R2,EMFULL1
         CALL  EDDSKM
         LEAVERC 0
ESWIOE   CHI   R15,36
         JE    ESWRO
         TYPESZ EMWRERR
         LEAVERC 0
ESWBADID TYPESZ EMBADID
         LEAVERC 0

* ESWNAME: the next word, if any and not '=', into the 8 bytes at R9
* (blank-padded).  R15 := 0, or 1 if it is not a name.  Changes R0..R7.
ESWNAME  ENTER
         CALL  EDWORD
         LHI   R15,0
         LTR   R3,R3
         JZ    ESWNDONE
         CHI   R3,1
         JNE   ESWN1
         LLC   R0,0(,R2)
         CHI   R0,C'='
         JE    ESWNDONE
ESWN1    ST    R2,EDSRCA
         ST    R3,EDSRCL
         CALL  EDCHKNM
         LTR   R15,R15
         JNZ   ESWNDONE
         LR    R1,R9
         LA    R2,BLANKS
         LHI   R3,8
         MVC   R1,R2,R3
         L     R2,EDSRCA
         L     R3,EDSRCL
         MVC   R1,R2,R3
         LHI   R15,0
ESWNDONE LEAVE

* EDBUILD: the lines as the file's record stream in FILEBUF, and
* FWFST's record format, LRECL, record count and byte count for
* FSWRITE.  F: the lines as they are (each LRECL long); V: a length
* before each, an empty line as one blank (cms/FORMAT.md), and the
* LRECL the longest line, as `vmlab disk put` makes it.
EDBUILD  ENTER
         LI    R4,FILEBUF                 ; out
         LI    R5,EDITBUF                 ; in
         LHI   R6,1                       ; the longest line (at least 1)
EBLOOP   CL    R5,EDEND
         JNL   EBDONE
         LR    R1,R5
         CALL  EDLAT
         LA    R5,0(R3,R2)
         LLC   R0,EDRECF
         CHI   R0,C'F'
         JE    EBCOPY
         LTR   R3,R3
         JNZ   EBV1
         LA    R2,BLANKS
         LHI   R3,1
EBV1     CR    R3,R6
         JNH   EBV2
         LR    R6,R3
EBV2     LR    R0,R3                      ; the length, then the bytes
         STC   R0,1(,R4)
         SRL   R0,8
         STC   R0,0(,R4)
         LA    R4,2(,R4)
EBCOPY   LR    R1,R4
         MVC   R1,R2,R3
         AR    R4,R3
         J     EBLOOP
EBDONE   LR    R0,R4
         LI    R1,FILEBUF
         SR    R0,R1
         ST    R0,FWFST+FST_BYTE
         L     R0,EDNL
         ST    R0,FWFST+FST_RECS
         LLC   R0,EDRECF
         STC   R0,FWFST+FST_RECF
         ST    R6,FWFST+FST_LREC
         CHI   R0,C'F'
         JNE   EBOUT
         L     R0,EDLRECL
         ST    R0,FWFST+FST_LREC
EBOUT    LEAVE

* EDNOTAC: DMSEDT069E Disk x not accessed, x the letter in R0.
EDNOTAC  ENTER
         STC   R0,EDDELIM
         CALL  OCLR
         LA    R2,EMNA1
         CALL  OAPPSZ
         LA    R2,EDDELIM
         LHI   R3,1
         CALL  OAPP
         LA    R2,EMNA2
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVE

* EDDSKM: type <R2> x(cuu) <R4> for the disk of ADT R8.
EDDSKM   ENTER
         ST    R4,EDSRCA
         CALL  OCLR
         CALL  OAPPSZ
         CALL  DSKAPP0                    ; "m(cuu"
         L     R2,EDSRCA
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVE

* ------------------------------------------------------------------
* EDIT's data, addressed through R11.
         DS    0F
EDDATA   EQU   *
* The subcommands: name, minimum abbreviation, routine (as CMDTAB).
EDTAB    DC    CL8'TOP',F'3',A(ESTOP)
         DC    CL8'TYPE',F'1',A(ESTYPE)
         DC    CL8'BOTTOM',F'1',A(ESBOT)
         DC    CL8'NEXT',F'1',A(ESNEXT)
         DC    CL8'UP',F'1',A(ESUP)
         DC    CL8'LOCATE',F'1',A(ESLOC)
         DC    CL8'CHANGE',F'1',A(ESCHG)
         DC    CL8'CASE',F'2',A(ESCASE)
         DC    CL8'DELETE',F'3',A(ESDEL)
         DC    CL8'INPUT',F'1',A(ESINP)
         DC    CL8'REPLACE',F'1',A(ESREP)
         DC    CL8'FILE',F'4',A(ESFILE)
         DC    CL8'SAVE',F'4',A(ESSAVE)
         DC    CL8'QUIT',F'1',A(ESQUIT)
         DC    CL8'QQUIT',F'5',A(ESQQUIT)
         DC    CL8'VERIFY',F'1',A(ESVER)
         DC    CL8'HELP',F'1',A(ESHELP)
         DC    F'0'

EDNL     DS    F                          ; lines in the file
EDCUR    DS    F                          ; the current line: 0 TOF:, EDNL+1 EOF:
EDEND    DS    F                          ; the address after the last line
EDLIM    DS    F                          ; the longest line allowed
EDLRECL  DS    F                          ; the file's LRECL
EDRC     DS    F                          ; EDIT's return code
EDOPS    DS    F                          ; where the next operand may start
EDBAD    DS    F                          ; where a bad operand starts
EDTXT    DS    F                          ; INBUF or EDRAW: the text's source
EDNVAL   DS    F
EDCOUNT  DS    F
EDHITS   DS    F
EDSRCA   DS    F
EDSRCL   DS    F
EDWHERE  DS    F
EDDELTA  DS    F
EDS1A    DS    F                          ; LOCATE's and CHANGE's strings
EDS1L    DS    F
EDS2A    DS    F
EDS2L    DS    F
EDLA     DS    F                          ; EDSUBST: the line,
EDLL     DS    F
EDLPOS   DS    F                          ; how far it is done,
EDFOFF   DS    F
EDNSUB   DS    F                          ; the changes made,
EDWLEN   DS    F                          ; and EDWORK's length
EDWRC    DS    F                          ; FILE 2, SAVE 0
EDADT    DS    F
EDRECF   DS    C                          ; F or V
EDFM     DS    C                          ; the file's disk
EDNEWM   DS    C
EDCASE   DS    C                          ; U or M
EDVER    DS    C                          ; 1: verify
EDCHG    DS    C                          ; 1: changed since written
EDQWARN  DS    C                          ; 1: QUIT just warned
EDQLAST  DS    C                          ; EDQWARN before this subcommand
EDGLOB   DS    C                          ; CHANGE ... G
EDDELIM  DS    C
EDNAME   DS    CL16                       ; fn ft
EDNEWN   DS    CL16                       ; FILE's and SAVE's fn ft
EDFTM1   DC    CL8'SCRIPT'
EDFTM2   DC    CL8'MEMO'
EDWON    DC    C'ON '
EDWOFF   DC    C'OFF'
EDRAW    DS    CL132                      ; the line as typed
EDLASTL  DS    F                          ; the last subcommand, for = and ?
EDLAST   DS    CL132
EDWORK   DS    CL1280                     ; a line being made: EDWCAP                 ; a line being made

EMEDIT   DC    C'EDIT:',X'00'
EMINPUT  DC    C'INPUT:',X'00'
EMNEW    DC    C'NEW FILE:',X'00'
EMTOF    DC    C'TOF:',X'00'
EMEOF    DC    C'EOF:',X'00'
EMNF     DC    C'NOT FOUND',X'00'
EMUNK    DC    C'?EDIT: ',X'00'
EMINC    DC    C'DMSEDT054E Incomplete fileid specified',X'00'
EMBADID  DC    C'DMSEDT062E Invalid fileid: 1 to 8 of A-Z 0-9 $#@+-_',X'00'
EMTOOBIG DC    C'DMSEDT132S File too large for the 128K edit buffer',X'00'
EMTOOLNG DC    C'DMSEDT044E Records longer than 1024 characters: EDIT cannot edit them',X'00'
EMRDERR  DC    C'DMSEDT104S Error reading file from disk',X'00'
EMWRERR  DC    C'DMSEDT105S Error writing file to disk',X'00'
EMFULL   DC    C'DMSEDT132S Edit buffer full (128K): line not stored',X'00'
EMTRUNC  DC    C'DMSEDT044W Line truncated to ',X'00'
EMTRUNC2 DC    C' characters',X'00'
EMBADOP  DC    C'DMSEDT029E Invalid operand: ',X'00'
EMNOLAST DC    C'DMSEDT546E No subcommand yet to repeat or show',X'00'
EMNOSTR  DC    C'DMSEDT545E Missing string: /string/ (CHANGE: /old/new/)',X'00'
EMQWARN  DC    C'DMSEDT550W File changed and not saved: QUIT again (or QQUIT) to leave without it',X'00'
EMNA1    DC    C'DMSEDT069E Disk ',X'00'
EMNA2    DC    C' not accessed',X'00'
EMRO1    DC    C'DMSEDT037E Disk ',X'00'
EMRO2    DC    C') is read/only',X'00'
EMFULL1  DC    C'DMSEDT105S Disk ',X'00'
EMFULL2  DC    C') is full; the file was not written',X'00'
EMDFULL2 DC    C') directory is full; the file was not written',X'00'
EMHELP   DC    C'EDIT subcommands (shortest form in capitals):',X'00'
         DC    C' TOP  Bottom  Next [n]  Up [n]  Locate /s/  Change /old/new/ [n|*] [G]',X'00'
         DC    C' Type [n|*]  DELete [n|*]  Input [line]  Replace [line]  Verify ON|OFF  CAse U|M',X'00'
         DC    C' FILE [fn [ft [fm]]]  SAVE [fn [ft [fm]]]  Quit  QQUIT  Help  = (again)  ? (show)',X'00'
         DC    C'In input mode a null line returns to edit mode.',X'00'
         DC    X'00'

         DROP  R11
