* ------------------------------------------------------------------
* cms/exec.s -- EXEC: the CMS command procedure language, in the
* spirit of VM/370's first EXEC interpreter (not EXEC 2, not REXX).
*
* An EXEC is a file of type EXEC on any accessed disk.  `EXEC fn args`
* runs it; so does `fn args` when fn is no CMS command (implied EXEC,
* tried before implied CP); and CMS runs PROFILE EXEC at IPL.
*
* How a line runs (EXSTMT):
*   blank, or `*` first       nothing (a comment)
*   `-LABEL` first            a label; the rest of the line, if any,
*                             is the statement
*   `&KEYWORD ...`            a control statement: &TYPE, &IF, &GOTO,
*                             &SKIP, &EXIT, &ERROR, &CONTROL, &CONTINUE,
*                             &ARGS, &READ ARGS|VARS, &BEGTYPE..&END,
*                             &LOOP
*   `&name = value`           an assignment: one word, + and -, or a
*                             built-in function (&LENGTH, &DATATYPE,
*                             &CONCAT, &SUBSTR)
*   anything else             a command: variables substituted, then
*                             PARSE and DISPATCH exactly as if typed;
*                             &RETCODE := its return code
* Everything is upper-cased as it is scanned (commands, names, labels,
* values), except the text of &TYPE and &BEGTYPE, typed as written.
*
* Variables: a name of up to 8 characters (A-Z 0-9 @ # $ _) after the
* `&`; a value is one word of up to 32 characters.  &0 is the EXEC's
* name, &1..&30 its arguments, &INDEX their number, &RETCODE the last
* command's return code; an unset variable is empty.  They all live in
* one table, the special ones set like any other.
*
* Errors in the EXEC itself (an unknown statement, a missing label, a
* bad &IF, too many variables or statements) end it with
*   DMSEXT072E Error in EXEC file fn, line n - what
* and a return code 801..807 (cms/README.md has the table).  Such an
* error can be found deep inside nested calls (&IF -> a statement ->
* substitution), so EXERR unwinds like longjmp: the stack pointer at
* the top of the interpreter loop is kept in EXSP.
*
* Storage: EXECBUF (X'70000', 64K).  Each EXEC running takes the next
* piece of it, as a stack: an EXEC run from inside another gets the
* storage after its caller's, and gives it back when it ends.
*
*   +0            the caller's state (EXSTATE), restored by EXEND
*   +EXSTLEN      the variables (128 of 48 bytes)
*   +XTEXTOFF     the file's records, in whole blocks
*   then          the line table: address and length of each line
*
* So EXECs nest (each with its own variables, lines and &CONTROL) as
* deep as they fit: a deeper one is refused with DMSEXE109S.
*
* Registers: R11 is this module's base (EXDATA) and is loaded again
* after every DISPATCH (a command may use it); R12 is NUCDATA.  Inside
* a statement, R10 is the scanning cursor, R9 the end of the statement
* and R8 its start; XNEXTTOK moves R10.
         USING EXDATA,R11

EXVMAX   EQU   128                        ; variables an EXEC may have
VARLEN   EQU   48                         ; a variable:
V_LEN    EQU   8                          ;   name CL8, value length F,
V_VAL    EQU   12                         ;   value CL32, spare F
VALMAX   EQU   32
ARGMAX   EQU   30
LPMAX    EQU   4                          ; &LOOPs nested
LPLEN    EQU   20                         ; a &LOOP:
LP_START EQU   0                          ;   its first line (from 0)
LP_END   EQU   4                          ;   the line after its last
LP_CNT   EQU   8                          ;   passes left, or -1
LP_COND  EQU   12                         ;   its condition: start, end
LP_CEND  EQU   16
TBUFLEN  EQU   64                         ; a substituted word
RCSYNTAX EQU   801                        ; the EXEC's return codes
RCGOTO   EQU   802
RCIF     EQU   803
RCASSIGN EQU   804
RCVARS   EQU   805
RCLOOP   EQU   806
RCFILE   EQU   807

* EXEC fn [args]: run fn EXEC.
CMDEXEC  ENTER
         LI    R11,EXDATA
         L     R0,NTOK
         CHI   R0,2
         JL    XCINC
         LA    R2,TOKS+8
         L     R0,TOKLEN+4
         CHI   R0,8
         JH    XCLONG                     ; no file has a name that long
         CALL  EXFIND
         LTR   R9,R9
         JZ    XCNF
         L     R2,TOKPOS+4                ; the arguments follow the name
         A     R2,TOKLEN+4
         L     R3,INEND
         CALL  EXRUN
         LEAVE
XCINC    TYPESZ XMINC
         LEAVERC 24
XCLONG   CALL  EXFIND0                    ; (just the name, for the message)
XCNF     CALL  OCLR
         LA    R2,XMNF1                   ; "DMSEXE001E File "
         CALL  OAPPSZ
         LA    R2,EXLKFN
         LHI   R3,8
         CALL  OAPPT
         LA    R2,XMNF2                   ; " EXEC not found"
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVERC 28

* IMPEXEC: implied EXEC, from DISPATCH when token 1 is no CMS command:
* if "token1 EXEC" exists, run it.  R0 := 1 if it ran (R15 its return
* code), else 0 (and the caller tries CP).
IMPEXEC  ENTER
         LI    R11,EXDATA
         L     R0,TOKLEN
         CHI   R0,8
         JH    IXNONE
         LA    R2,TOKS
         CALL  EXFIND
         LTR   R9,R9
         JZ    IXNONE
         L     R2,TOKPOS                  ; the arguments follow the name
         A     R2,TOKLEN
         L     R3,INEND
         CALL  EXRUN
         LHI   R0,1
         LEAVE
IXNONE   LHI   R0,0
         LEAVE

* PROFEXEC: at IPL, run PROFILE EXEC if an accessed disk has one.
* R15 := its return code (0 without one).
PROFEXEC ENTER
         LI    R11,EXDATA
         LA    R2,XPROFILE
         CALL  EXFIND
         LHI   R15,0
         LTR   R9,R9
         JZ    PXDONE
         LA    R2,XPROFILE                ; no arguments: an empty range
         LR    R3,R2
         CALL  EXRUN
PXDONE   LEAVE

* EXFIND: look for the EXEC named by the 8 bytes at R2 on every
* accessed disk: EXLKFN := the name; R8, R9 as LOOKUP (R9 = 0: none).
* (EXFN, the running EXEC's name, stays: a command in an EXEC may be
* looked for as an implied EXEC too.)
EXFIND   ENTER
         CALL  EXFIND0
         LHI   R0,C'*'
         STC   R0,WANTFM
         LA    R2,EXLKFN                  ; "fn      EXEC    "
         CALL  LOOKUP
         LEAVE
EXFIND0  LA    R1,EXLKFN
         LHI   R3,8
         MVC   R1,R2,R3
         BR    R14

* ------------------------------------------------------------------
* EXRUN: run the EXEC of entry R9 on disk R8 (its name in EXLKFN), with
* the argument text from R2 to R3.  R15 := the EXEC's return code.
EXRUN    ENTER
         STM   R2,R3,EXNARGS
         L     R0,EXDEPTH                 ; an EXEC running: is this call
         LTR   R0,R0                      ; inside it (deeper on the
         JZ    XRFRESH                    ; stack)?  If not, that EXEC
         C     R13,EXSP                   ; was left by a program check
         JL    XRINSIDE                   ; in CMS (svc.s goes back to
XRFRESH  LHI   R0,0                       ; the ready loop): forget it
         ST    R0,EXDEPTH
         LI    R0,EXECBUF
         ST    R0,EXTOP
XRINSIDE L     R1,EXTOP                   ; this EXEC's storage: from here
         LA    R2,EXSTATE                 ; on; first the state of the
         LHI   R3,EXSTLEN                 ; EXEC that runs this one, if
         MVC   R1,R2,R3                   ; any, for EXEND to restore
         LLC   R0,FST_RECF(,R9)           ; F or V records
         CHI   R0,C'V'
         JE    XRFMTOK
         CHI   R0,C'F'
         JNE   XRBADF
         L     R0,FST_LREC(,R9)           ; F: a record length 1..65535
         LTR   R0,R0                      ; (a damaged entry must not
         JZ    XRBADF                     ; loop or wrap around)
         SRL   R0,16
         LTR   R0,R0
         JNZ   XRBADF
XRFMTOK  L     R5,EXTOP                   ; the text goes after the saved
         A     R5,XTEXTOFF                ; state and the variables
         L     R6,XBUFEND
         SR    R6,R5                      ; the room left, in blocks
         JNM   XRROOM
         LHI   R6,0
XRROOM   SRL   R6,9
         CALL  FSREAD
         CHI   R15,1
         JE    XRBIG
         LTR   R15,R15
         JNZ   XRIOE
* From here on errors are DMSEXT072E: the state is this EXEC's.
         L     R4,EXTOP
         ST    R4,EXBASE
         LA    R0,EXSTLEN(,R4)
         ST    R0,XVTABA
         L     R0,EXDEPTH
         LTR   R0,R0
         JNZ   XRNESTED
         ST    R0,EXCOUNT                 ; statements: for the whole nest
XRNESTED AHI   R0,1
         ST    R0,EXDEPTH
         ST    R13,EXSP
         LM    R2,R3,EXNARGS
         STM   R2,R3,EXARGS
         LA    R1,EXFN                    ; the name of the EXEC running
         LA    R2,EXLKFN
         LHI   R3,8
         MVC   R1,R2,R3
         LHI   R0,0
         ST    R0,EXLINENO
         ST    R0,EXNEXT
         ST    R0,EXRC
         ST    R0,EXNVARS
         ST    R0,EXERRL
         STC   R0,EXINERR
         STC   R0,EXGCLBL                 ; no label found yet
         ST    R0,EXNLOOP
         LHI   R0,2                       ; &CONTROL CMS
         ST    R0,EXCTL
* the line table: where each record starts and how long it is without
* its trailing blanks (F records are padded; V's empty line is a blank)
         L     R10,EXTOP                  ; the next record
         A     R10,XTEXTOFF
         L     R7,FST_BYTE(,R9)
         AR    R7,R10                     ; the end of the records
         L     R5,FST_NBLK(,R9)           ; the line table: after the
         SLL   R5,9                       ; text's blocks
         AR    R5,R10
         ST    R5,XLTABA
         LHI   R6,0                       ; lines so far
XLLOOP   CR    R10,R7
         JNL   XLDONE
         LA    R0,8(,R5)                  ; room for one more line?
         C     R0,XBUFEND
         JH    XLMANY
         LLC   R0,FST_RECF(,R9)
         CHI   R0,C'V'
         JE    XLVAR
         LR    R2,R10                     ; F: LRECL bytes
         L     R3,FST_LREC(,R9)
         AR    R10,R3
         J     XLREC
XLVAR    LLC   R3,0(,R10)                 ; V: a 2-byte length, then
         SLL   R3,8                       ; the bytes
         LLC   R0,1(,R10)
         OR    R3,R0
         LA    R2,2(,R10)
         LR    R10,R2
         AR    R10,R3
XLREC    CR    R10,R7
         JH    XLDONE                     ; past the end: a damaged file
XLTRIM   LTR   R3,R3
         JZ    XLPUT
         LR    R1,R2
         AR    R1,R3
         AHI   R1,-1
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JNE   XLPUT
         AHI   R3,-1
         J     XLTRIM
XLPUT    AHI   R6,1
         ST    R2,0(,R5)
         ST    R3,4(,R5)
         AHI   R5,8
         CHI   R3,LINEMAX
         JNH   XLLOOP
         ST    R6,EXLINENO                ; (for the message)
         LA    R2,XELONG
         LHI   R5,0
         LHI   R15,RCFILE
         J     EXERR
XLMANY   LA    R2,XEMANY
         LHI   R5,0
         LHI   R15,RCFILE
         J     EXERR
XLDONE   ST    R6,EXNLINES
         ST    R5,EXTOP                   ; an EXEC this one runs: after it
* the special variables: &0, the arguments &1..&n, &INDEX, &RETCODE
         LA    R6,EXFN
         LHI   R7,8
XR0TRIM  LR    R1,R6                      ; &0: the name without blanks
         AR    R1,R7
         AHI   R1,-1
         LLC   R0,0(,R1)
         CHI   R0,C' '
         JNE   XR0SET
         AHI   R7,-1
         JNZ   XR0TRIM
XR0SET   LHI   R1,0
         CALL  XSETNUM
         L     R10,EXARGS                 ; the argument text: R10 to R9
         L     R9,EXARGS+4
         LHI   R0,0                       ; (words as they are)
         CALL  XSETARGS
         LA    R6,XDIGIT0
         LHI   R7,1
         LA    R2,XNRC
         CALL  XSETVARN
* the interpreter loop: one line a turn
EXLOOP   L     R0,EXNLOOP                 ; the end of a &LOOP's pass?
         LTR   R0,R0
         JZ    EXLOOP1
         CALL  XLOOPCK
EXLOOP1  L     R1,EXNEXT
         C     R1,EXNLINES
         JNL   EXEND                      ; past the last line: the end
         LA    R0,1(,R1)
         ST    R0,EXNEXT
         ST    R0,EXLINENO
         L     R0,EXCOUNT                 ; a loop that never ends ends
         AHI   R0,1                       ; here, so that no EXEC can
         ST    R0,EXCOUNT                 ; hang CMS (or make test)
         C     R0,XSTMAX
         JH    XLRUNAWY
         SLL   R1,3
         A     R1,XLTABA
         L     R2,0(,R1)
         L     R3,4(,R1)
         AR    R3,R2
         CALL  EXSTMT
         J     EXLOOP
XLRUNAWY LA    R2,XELOOP
         LHI   R5,0
         LHI   R15,RCLOOP
         J     EXERR
* The end, normal or not (&EXIT and errors come here with R13 = EXSP).
* Its storage is free again, and the state of the EXEC that ran it (if
* any) comes back from the start of that storage.
EXEND    L     R15,EXRC
         L     R2,EXBASE
         ST    R2,EXTOP
         LA    R1,EXSTATE
         LHI   R3,EXSTLEN
         MVC   R1,R2,R3
         L     R0,EXDEPTH
         AHI   R0,-1
         ST    R0,EXDEPTH
         LEAVE
XRBADF   LA    R2,XMBADF
         LHI   R15,RCFILE
         J     XRMSG
XRBIG    LA    R2,XMBIG
         LHI   R15,104
         J     XRMSG
XRIOE    LA    R2,XMIOE
         LHI   R15,100
XRMSG    ST    R15,EXNRC                  ; "DMSEXEnnnx <R2> fn EXEC"
         CALL  OCLR
         CALL  OAPPSZ
         LA    R2,EXLKFN
         LHI   R3,8
         CALL  OAPPT
         LA    R2,XMEXEC
         CALL  OAPPSZ
         CALL  OFLUSH
         L     R15,EXNRC
         LEAVE

* EXERR: the EXEC is in error: type "DMSEXT072E Error in EXEC file fn,
* line n - <text at R2><the R5 bytes at R4>", and end it with return
* code R15.  Reached by J; it does not return.
EXERR    ST    R15,EXRC
         ST    R2,EXDESC
         ST    R4,EXINSP
         ST    R5,EXINSL
         CALL  OCLR
         LA    R2,XMERR1                  ; "DMSEXT072E Error in EXEC file "
         CALL  OAPPSZ
         LA    R2,EXFN
         LHI   R3,8
         CALL  OAPPT
         L     R1,EXLINENO
         LTR   R1,R1
         JZ    XEARG
         LA    R2,XMERR2                  ; ", line "
         CALL  OAPPSZ
         L     R1,EXLINENO
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         J     XEDESC
XEARG    LA    R2,XMERR3                  ; ", arguments"
         CALL  OAPPSZ
XEDESC   LA    R2,XMERR4                  ; " - "
         CALL  OAPPSZ
         L     R2,EXDESC
         CALL  OAPPSZ
         L     R3,EXINSL
         LTR   R3,R3
         JZ    XEOUT
         L     R2,EXINSP
         CALL  OAPP
XEOUT    CALL  OFLUSH
         L     R13,EXSP
         J     EXEND

* ------------------------------------------------------------------
* EXSTMT: run the statement from R2 to R3 (one line, or the &ERROR
* action).  Control statements are reached by a jump and LEAVE for
* EXSTMT; &IF's statement is a jump back to EXSTMT0.
EXSTMT   ENTER
         LR    R10,R2
         LR    R9,R3
EXSTMT0  LR    R8,R10                     ; where the statement starts
         CALL  XNEXTTOK
         JZ    XSDONE                     ; a blank line
         LLC   R0,0(,R4)
         CHI   R0,C'*'
         JE    XSDONE                     ; a comment
         CHI   R0,C'-'
         JE    EXSTMT0                    ; a label: then the rest
         CHI   R0,C'&'
         JNE   EXCMD
         CALL  XKWUP                       ; a control word?
         LA    R6,XKWTAB
XSKW     LLC   R0,0(,R6)
         LTR   R0,R0
         JZ    XSNOKW
         LA    R1,XKWBUF
         LHI   R3,12
         CLC   R1,R6,R3
         JE    XSKWGO
         AHI   R6,16
         J     XSKW
XSKWGO   CALL  XECHOALL
         L     R1,12(,R6)
         BR    R1                         ; R10 is after the keyword
XSNOKW   STM   R4,R5,EXTOK1               ; an assignment: "&name ="?
         LR    R7,R10
         CALL  XNEXTTOK
         CHI   R5,1
         JNE   XSNOTA
         LLC   R0,0(,R4)
         CHI   R0,C'='
         JNE   XSNOTA
         CALL  XECHOALL
         J     XASSIGN
XSNOTA   LR    R10,R7
         LM    R4,R5,EXTOK1
         LLC   R0,1(,R4)                  ; &1 ..., or a set variable:
         CHI   R0,C'0'                    ; a command with substitution
         JL    XSVAR
         CHI   R0,C'9'
         JNH   EXCMD
XSVAR    LA    R6,1(,R4)
         LR    R7,R5
         AHI   R7,-1
         CALL  XMKVNAME
         JNE   XSUNK
         CALL  XVARFIND
         LTR   R1,R1
         JNZ   EXCMD
XSUNK    LM    R4,R5,EXTOK1
         LA    R2,XEUNK                   ; "unknown control statement "
         LHI   R15,RCSYNTAX
         J     EXERR
XSDONE   LEAVE

* XECHOALL: with &CONTROL ALL, type the statement (as written).
XECHOALL L     R0,EXCTL
         CHI   R0,3
         BCR   4,R14
         LR    R2,R8
         LR    R3,R9
         SR    R3,R2
         J     TYPELN

* EXCMD: the statement from R8 to R9 is a command: substitute, parse
* and dispatch it as if typed; &RETCODE := its return code.
EXCMD    LR    R2,R8
         LR    R3,R9
         LA    R4,INBUF
         LHI   R5,LINEMAX
         LHI   R0,1
         CALL  XSUBST
         ST    R5,INLEN
         LA    R2,INBUF
         AR    R2,R5
         ST    R2,INEND
         CALL  PARSE
         L     R0,NTOK
         LTR   R0,R0
         JZ    XSDONE                     ; nothing left after substitution
         LA    R1,EXCMDSV                 ; keep it for &CONTROL ERROR
         LA    R2,INBUF
         L     R3,INLEN
         ST    R3,EXCMDSL
         MVC   R1,R2,R3
         L     R0,EXCTL                   ; CMS and ALL: show it first
         CHI   R0,2
         JL    XCMDRUN
         LA    R2,INBUF
         L     R3,INLEN
         CALL  TYPELN
XCMDRUN  CALL  DISPATCH
         LI    R11,EXDATA                 ; (the command may have used R11)
         ST    R15,EXCMDRC
         LR    R1,R15
         CALL  XITOA
         LA    R2,XNRC
         CALL  XSETVARN
         L     R0,EXCMDRC
         LTR   R0,R0
         JZ    XSDONE
         L     R0,EXCTL                   ; a nonzero return code:
         CHI   R0,1                       ; OFF says nothing,
         JL    XCMDERR
         JH    XCMDRC                     ; ERROR shows the command now
         LA    R2,EXCMDSV
         L     R3,EXCMDSL
         CALL  TYPELN
XCMDRC   CALL  OCLR                       ; "+++ R(nnnnn) +++"
         LA    R2,XMRC1
         CALL  OAPPSZ
         L     R9,EXCMDRC
         LR    R1,R9
         LHI   R3,5
         LTR   R9,R9
         JNM   XCMDPOS
         LA    R2,MINUS
         LHI   R3,1
         CALL  OAPP
         LCR   R1,R9
         LHI   R3,4
XCMDPOS  LHI   R0,C'0'
         CALL  ONUM
         LA    R2,XMRC2
         CALL  OAPPSZ
         CALL  OFLUSH
XCMDERR  L     R3,EXERRL                  ; and &ERROR's action, if any
         LTR   R3,R3                      ; (not again from inside it)
         JZ    XSDONE
         LLC   R0,EXINERR
         LTR   R0,R0
         JNZ   XSDONE
         LHI   R0,1
         STC   R0,EXINERR
         LA    R2,EXERRACT
         AR    R3,R2
         CALL  EXSTMT
         LHI   R0,0
         STC   R0,EXINERR
         J     XSDONE

* XASSIGN: &name = word | &name = number (+|- number)...  The target's
* token is in EXTOK1; R10 is after the "=".
XASSIGN  LM    R6,R7,EXTOK1
         AHI   R6,1                       ; the name after the &
         AHI   R7,-1
         CALL  XCHKNAME
         JNE   XABADN
         CALL  XMKVNAME
         JNE   XABADN
         LA    R1,EXTGT
         LA    R2,XVNAME
         LHI   R3,8
         MVC   R1,R2,R3
         CALL  XNEXTTOK
         JNZ   XAVAL
         LA    R6,EXTB1                   ; nothing: the empty value
         LHI   R7,0
         J     XASET
XAVAL    CHI   R5,7                       ; a built-in function?  (the
         JL    XAVAL1                     ; names are 7 to 9 long)
         LLC   R0,0(,R4)
         CHI   R0,C'&'
         JNE   XAVAL1
         CALL  XKWUP
         LA    R6,XFNTAB
XAFN     LLC   R0,0(,R6)
         LTR   R0,R0
         JZ    XAVAL1
         LA    R1,XKWBUF
         LHI   R3,12
         CLC   R1,R6,R3
         JE    XAFNGO
         AHI   R6,16
         J     XAFN
XAFNGO   L     R1,12(,R6)
         BR    R1
XAVAL1   LA    R6,EXTB1
         CALL  XSUBTOK
         CALL  XNEXTTOK
         JZ    XASET                      ; one word: the value as it is
         STM   R4,R5,EXTOK2
         CALL  XNUMVAL                     ; else arithmetic
         JNE   XANAN
         ST    R1,EXACC
XALOOP   LM    R4,R5,EXTOK2               ; the operator
         CHI   R5,1
         JNE   XABADOP
         LLC   R0,0(,R4)
         ST    R0,EXAOP
         CHI   R0,C'+'
         JE    XAOPND
         CHI   R0,C'-'
         JNE   XABADOP
XAOPND   CALL  XNEXTTOK
         JZ    XAMISS
         LA    R6,EXTB1
         CALL  XSUBTOK
         CALL  XNUMVAL
         JNE   XANAN
         L     R0,EXACC
         L     R2,EXAOP
         CHI   R2,C'+'
         JNE   XASUB
         AR    R0,R1
         J     XAOVF
XASUB    SR    R0,R1
XAOVF    JO    XABIG
         ST    R0,EXACC
         CALL  XNEXTTOK
         STM   R4,R5,EXTOK2
         JNZ   XALOOP
         L     R1,EXACC
         CALL  XITOA
XASET    LA    R2,EXTGT
         CALL  XSETVARN
         J     XSDONE
XABADN   LM    R4,R5,EXTOK1
         LA    R2,XEBADN                  ; "invalid variable name "
         J     XAERR
XANAN    LR    R4,R6
         LR    R5,R7
         LA    R2,XENAN                   ; "not a number: "
         J     XAERR
XABADOP  LA    R2,XEBADOP                 ; "+ or - expected, found "
         J     XAERR
XAMISS   LA    R2,XEMISS                  ; "number missing after + or -"
         LHI   R5,0
         J     XAERR
XABIG    LA    R2,XEBIG                   ; "arithmetic overflow"
         LHI   R5,0
XAERR    LHI   R15,RCASSIGN
         J     EXERR

* The built-in functions, on the right of an assignment (the words
* after them substituted):
*   &LENGTH word               its length
*   &DATATYPE word             NUM if it is a number, else CHAR
*   &CONCAT word...            the words run together
*   &SUBSTR word start [len]   len characters (all the rest) of the
*                              word from start (1 is the first)
XFLEN    CALL  XNEXTTOK
         LHI   R7,0
         JZ    XFLEN1
         LA    R6,EXTB1
         CALL  XSUBTOK
XFLEN1   LR    R1,R7
         CALL  XITOA
         J     XASET
XFDTYPE  CALL  XNEXTTOK
         JZ    XFDCHAR
         LA    R6,EXTB1
         CALL  XSUBTOK
         CALL  XNUMVAL
         JNE   XFDCHAR
         LA    R6,XWNUM
         LHI   R7,3
         J     XASET
XFDCHAR  LA    R6,XWCHAR
         LHI   R7,4
         J     XASET
XFCONCAT LHI   R0,0
         ST    R0,EXCATL
XFCLOOP  CALL  XNEXTTOK
         JZ    XFCDONE
         LA    R6,EXTB2
         CALL  XSUBTOK
         L     R0,EXCATL
         AR    R0,R7
         CHI   R0,TBUFLEN
         JH    XFCLONG
         LA    R1,EXTB1
         A     R1,EXCATL
         LA    R2,EXTB2
         LR    R3,R7
         MVC   R1,R2,R3
         ST    R0,EXCATL
         J     XFCLOOP
XFCDONE  LA    R6,EXTB1
         L     R7,EXCATL
         J     XASET
XFCLONG  LA    R4,EXTB1                   ; "value longer than 32 ..."
         L     R5,EXCATL
         LA    R2,XEVLONG
         J     XAERR
XFSUBSTR CALL  XNEXTTOK
         JZ    XFSINC
         LA    R6,EXTB1
         CALL  XSUBTOK
         ST    R7,EXV1L
         CALL  XNEXTTOK
         JZ    XFSINC
         LA    R6,EXTB2
         CALL  XSUBTOK
         CALL  XNUMVAL
         JNE   XANAN
         LTR   R1,R1
         JNP   XFSBADS                    ; (from 1)
         ST    R1,EXACC                   ; start
         L     R0,EXV1L                   ; the rest from there
         SR    R0,R1
         AHI   R0,1
         JNM   XFSREST
         LHI   R0,0
XFSREST  ST    R0,EXAOP                   ; length
         CALL  XNEXTTOK
         JZ    XFSGO
         LA    R6,EXTB2
         CALL  XSUBTOK
         CALL  XNUMVAL
         JNE   XANAN
         LTR   R1,R1
         JM    XANAN
         C     R1,EXAOP
         JH    XFSGO                      ; more than there is: the rest
         ST    R1,EXAOP
XFSGO    LA    R6,EXTB1
         A     R6,EXACC
         AHI   R6,-1
         L     R7,EXAOP
         J     XASET
XFSBADS  LR    R4,R6
         LR    R5,R7
         LA    R2,XESUBST2                ; "&SUBSTR start from 1: "
         J     XAERR
XFSINC   LA    R2,XESUBSTR                ; "&SUBSTR needs: word start [length]"
         LHI   R5,0
         J     XAERR

* &TYPE text: the rest of the line, variables substituted, as written.
XTYPE    CALL  XSKIPBL
         LR    R2,R10
         LR    R3,R9
         LA    R4,EXOBUF
         LHI   R5,OUTMAX
         LHI   R0,0
         CALL  XSUBST
         LA    R2,EXOBUF
         LR    R3,R5
         CALL  TYPELN
         J     XSDONE

* &IF value op value statement: the statement runs if the condition
* holds (XCOND).
XIF      CALL  XCOND
         ST    R15,EXCONDR
         CALL  XSKIPBL                    ; a statement must follow
         CR    R10,R9
         JNL   XIFINC
         L     R15,EXCONDR
         LTR   R15,R15
         JZ    XSDONE                     ; false: the line is done
         J     EXSTMT0                    ; true: the rest is the statement

* XCOND: the condition "value op value" from R10 (to R9), for &IF and
* &LOOP: numbers compare as numbers, anything else as strings (byte by
* byte, then the shorter first).  R15 := 1 if it holds, else 0; R10
* after it.  Changes R0..R7.
XCOND    ENTER
         CALL  XNEXTTOK
         JZ    XCNDINC
         LA    R6,EXTB1
         CALL  XSUBTOK
         ST    R7,EXV1L
         CALL  XNEXTTOK                   ; the operator
         JZ    XCNDINC
         CHI   R5,4
         JH    XIFOP
         CALL  XKWUP
         LA    R6,XOPTAB
XIFOPL   LLC   R0,0(,R6)
         LTR   R0,R0
         JZ    XIFOP
         LA    R1,XKWBUF
         LHI   R3,4
         CLC   R1,R6,R3
         JE    XIFOPF
         AHI   R6,8
         J     XIFOPL
XIFOPF   L     R0,4(,R6)
         ST    R0,EXOPM                   ; CC mask: 8 =, 4 <, 2 >
         CALL  XNEXTTOK
         JZ    XCNDINC
         LA    R6,EXTB2
         CALL  XSUBTOK
         ST    R7,EXV2L
         LA    R6,EXTB1                   ; two numbers?
         L     R7,EXV1L
         CALL  XNUMVAL
         JNE   XIFSTR
         ST    R1,EXACC
         LA    R6,EXTB2
         L     R7,EXV2L
         CALL  XNUMVAL
         JNE   XIFSTR
         L     R0,EXACC
         CR    R0,R1
         J     XIFRES
XIFSTR   L     R3,EXV1L                   ; strings: the common part,
         L     R0,EXV2L
         CR    R3,R0
         JNH   XIFSTR2
         LR    R3,R0
XIFSTR2  LA    R1,EXTB1
         LA    R2,EXTB2
         CLC   R1,R2,R3
         JNE   XIFRES
         L     R0,EXV1L                   ; then the lengths
         C     R0,EXV2L
XIFRES   LHI   R1,8                       ; (LHI keeps the CC)
         JE    XIFM
         LHI   R1,4
         JL    XIFM
         LHI   R1,2
XIFM     LHI   R15,0
         N     R1,EXOPM
         JZ    XCONDX
         LHI   R15,1
XCONDX   LEAVE
XIFINC   LA    R2,XEIFINC                 ; "&IF needs: ..."
         LHI   R5,0
         LHI   R15,RCIF
         J     EXERR
XCNDINC  LA    R2,XECNDINC                ; "a condition needs: ..."
         LHI   R5,0
         LHI   R15,RCIF
         J     EXERR
XIFOP    LA    R2,XEIFOP                  ; "invalid &IF operator "
         LHI   R15,RCIF
         J     EXERR

* &GOTO -label | TOP | line number.  A label is looked for from the
* first line down.
XGOTO    CALL  XNEXTTOK
         JZ    XGINC
         LA    R6,EXTB1
         CALL  XSUBTOK
         CHI   R7,3
         JNE   XGLBL
         LA    R1,EXTB1
         LA    R2,XTOP
         LHI   R3,3
         CLC   R1,R2,R3
         JNE   XGLBL
         LHI   R0,0
         ST    R0,EXNEXT
         J     XGJUMP
XGLBL    LLC   R0,EXTB1
         CHI   R0,C'-'
         JNE   XGNUM
         ST    R7,EXGLEN
         LR    R4,R6                      ; the target, padded
         LR    R5,R7
         CALL  XKWUP
         LA    R1,EXGTGT
         LA    R2,XKWBUF
         LHI   R3,16
         MVC   R1,R2,R3
         LA    R1,EXGCLBL                 ; the label the last &GOTO of
         LHI   R3,16                      ; this EXEC found?  (a loop
         CLC   R1,R2,R3                   ; goes to the same one again
         JNE   XGSCAN                     ; and again)
         L     R8,EXGCIDX
         J     XGFOUND
XGSCAN   LHI   R8,0                       ; from the first line
         CALL  XFINDLBL
         LTR   R8,R8
         JM    XGNF
         LA    R1,EXGCLBL                 ; remember it
         LA    R2,EXGTGT
         LHI   R3,16
         MVC   R1,R2,R3
         ST    R8,EXGCIDX
XGFOUND  ST    R8,EXNEXT                  ; the label's line runs next
XGJUMP   CALL  XLPCLOSE
         J     XSDONE
XGNUM    CALL  XNUMVAL                     ; a line number, 1..lines
         JNE   XGBAD
         LTR   R1,R1
         JNP   XGBAD
         C     R1,EXNLINES
         JH    XGBAD
         AHI   R1,-1
         ST    R1,EXNEXT
         J     XGJUMP
XGNF     LA    R4,EXTB1
         L     R5,EXGLEN
         LA    R2,XEGNF                   ; "label not found: "
         J     XGERR
XGBAD    LR    R4,R6
         LR    R5,R7
         LA    R2,XEGBAD                  ; "invalid &GOTO target "
         J     XGERR
XGINC    LA    R2,XEGINC                  ; "&GOTO without a target"
         LHI   R5,0
XGERR    LHI   R15,RCGOTO
         J     EXERR

* XFINDLBL: R8 := the first line from line R8 (from 0) on whose first
* word is the label in EXGTGT (EXGLEN long), or -1.  Changes R0..R5,
* R9, R10.
XFINDLBL ENTER
XGLOOP   C     R8,EXNLINES
         JNL   XFLNONE
         LR    R1,R8
         SLL   R1,3
         A     R1,XLTABA
         L     R10,0(,R1)
         L     R9,4(,R1)
         AR    R9,R10
         CALL  XNEXTTOK
         JZ    XGNEXT
         LLC   R0,0(,R4)
         CHI   R0,C'-'
         JNE   XGNEXT
         C     R5,EXGLEN
         JNE   XGNEXT
         CALL  XKWUP
         LA    R1,XKWBUF
         LA    R2,EXGTGT
         LHI   R3,16
         CLC   R1,R2,R3
         JE    XFLDONE
XGNEXT   AHI   R8,1
         J     XGLOOP
XFLNONE  LHI   R8,-1
XFLDONE  LEAVE

* &LOOP n|-label m|condition: the next n lines, or the lines down to
* and including the label's, run m times, or until the condition holds
* (tested before each pass, the first too).  Loops nest 4 deep; a
* &GOTO or &SKIP out of one closes it.  The passes are counted in
* EXLOOPS; XLOOPCK, at the top of the interpreter loop, goes back.
XLOOP    L     R0,EXNLOOP
         CHI   R0,LPMAX
         JNL   XLPDEEP
         CALL  XNEXTTOK
         JZ    XLPINC
         LA    R6,EXTB1
         CALL  XSUBTOK
         LLC   R0,EXTB1
         CHI   R0,C'-'
         JE    XLPLBL
         CALL  XNUMVAL                    ; n lines
         JNE   XLPBAD
         LTR   R1,R1
         JM    XLPBAD
         A     R1,EXNEXT
         C     R1,EXNLINES                ; (not past the end)
         JNH   XLPHAVE
         L     R1,EXNLINES
         J     XLPHAVE
XLPLBL   ST    R7,EXGLEN                  ; down to a label
         LR    R4,R6
         LR    R5,R7
         CALL  XKWUP
         LA    R1,EXGTGT
         LA    R2,XKWBUF
         LHI   R3,16
         MVC   R1,R2,R3
         STM   R9,R10,EXRDS
         L     R8,EXNEXT
         CALL  XFINDLBL
         LM    R9,R10,EXRDS
         LTR   R1,R8
         JM    XLPNF
         AHI   R1,1                       ; (the label's line is in it)
XLPHAVE  ST    R1,EXLPEND                 ; the body: EXNEXT..R1 (excl.)
         ST    R10,EXLPCND                ; m, or a condition?
         CALL  XNEXTTOK
         JZ    XLPINC
         CALL  XNEXTTOK
         JNZ   XLPCOND
         L     R10,EXLPCND                ; one word: m
         CALL  XNEXTTOK
         LA    R6,EXTB1
         CALL  XSUBTOK
         CALL  XNUMVAL
         JNE   XLPBAD
         LTR   R1,R1
         JM    XLPBAD
         JZ    XLPSKIP                    ; m = 0: not at all
         J     XLPPUSH
XLPCOND  L     R10,EXLPCND                ; a condition: met already?
         CALL  XCOND
         LTR   R15,R15
         JNZ   XLPSKIP
         LHI   R1,-1
XLPPUSH  L     R2,EXNEXT
         C     R2,EXLPEND
         JNL   XSDONE                     ; no lines: nothing to repeat
         L     R8,EXNLOOP
         LA    R0,1(,R8)
         ST    R0,EXNLOOP
         MHI   R8,LPLEN
         LA    R3,EXLOOPS
         AR    R8,R3
         ST    R2,LP_START(,R8)
         L     R0,EXLPEND
         ST    R0,LP_END(,R8)
         ST    R1,LP_CNT(,R8)             ; passes left, or -1: condition
         L     R0,EXLPCND
         ST    R0,LP_COND(,R8)
         ST    R9,LP_CEND(,R8)
         J     XSDONE
XLPSKIP  L     R0,EXLPEND
         ST    R0,EXNEXT
         J     XSDONE
XLPDEEP  LA    R2,XELPDEEP                ; "loops nested more than 4 deep"
         LHI   R5,0
         J     XLPERR
XLPINC   LA    R2,XELPINC                 ; "&LOOP needs: n|-label m|condition"
         LHI   R5,0
         J     XLPERR
XLPBAD   LR    R4,R6
         LR    R5,R7
         LA    R2,XELPBAD                 ; "invalid &LOOP count "
         J     XLPERR
XLPNF    LA    R4,EXTB1
         L     R5,EXGLEN
         LA    R2,XEGNF                   ; "label not found: "
XLPERR   LHI   R15,RCGOTO
         J     EXERR

* XLOOPCK: before the next line: has a pass of the innermost loop
* ended (the next line is the one after its body)?  Then go back to
* its first line, or close it (no passes left, or its condition holds)
* and ask the same of the loop around it.  A loop the EXEC has jumped
* out of is closed.  Changes R0..R10.
XLOOPCK  ENTER
XLCK     L     R8,EXNLOOP
         LTR   R8,R8
         JZ    XLCKX
         AHI   R8,-1
         MHI   R8,LPLEN
         LA    R3,EXLOOPS
         AR    R8,R3                      ; the innermost
         L     R0,EXNEXT
         C     R0,LP_END(,R8)
         JE    XLCKEND
         JH    XLCKPOP                    ; jumped out, down
         C     R0,LP_START(,R8)
         JNL   XLCKX                      ; inside it
XLCKPOP  L     R0,EXNLOOP
         AHI   R0,-1
         ST    R0,EXNLOOP
         J     XLCK
XLCKEND  L     R1,LP_CNT(,R8)
         LTR   R1,R1
         JM    XLCKCND
         AHI   R1,-1
         ST    R1,LP_CNT(,R8)
         JNP   XLCKPOP                    ; the last pass
         J     XLCKAGN
XLCKCND  L     R10,LP_COND(,R8)
         L     R9,LP_CEND(,R8)
         CALL  XCOND
         LTR   R15,R15
         JNZ   XLCKPOP                    ; the condition holds: done
XLCKAGN  L     R0,LP_START(,R8)
         ST    R0,EXNEXT
XLCKX    LEAVE

* XLPCLOSE: after a &GOTO or &SKIP: close the loops the next line is
* not inside.  Changes R0..R3.
XLPCLOSE L     R1,EXNLOOP
XLPCL1   LTR   R1,R1
         BCR   8,R14
         LR    R2,R1
         AHI   R2,-1
         MHI   R2,LPLEN
         LA    R3,EXLOOPS
         AR    R2,R3
         L     R0,EXNEXT
         C     R0,LP_START(,R2)
         JL    XLPCL2
         C     R0,LP_END(,R2)
         BCR   4,R14                      ; inside it: it stays open
XLPCL2   AHI   R1,-1
         ST    R1,EXNLOOP
         J     XLPCL1

* &SKIP [n]: skip the next n lines (1 by default; 0 none; -n back).
XSKIP    CALL  XNEXTTOK
         LHI   R1,1
         JZ    XSKGO
         LA    R6,EXTB1
         CALL  XSUBTOK
         CALL  XNUMVAL
         JNE   XSKBAD
XSKGO    A     R1,EXNEXT
         JM    XSKBAD
         ST    R1,EXNEXT
         CALL  XLPCLOSE
         J     XSDONE
XSKBAD   LR    R4,R6
         LR    R5,R7
         LA    R2,XESKBAD                 ; "invalid &SKIP count "
         LHI   R15,RCGOTO
         J     EXERR

* &EXIT [rc]: end the EXEC with that return code (0 by default).
XEXIT    CALL  XNEXTTOK
         LHI   R1,0
         JZ    XEXGO
         LA    R6,EXTB1
         CALL  XSUBTOK
         CALL  XNUMVAL
         JNE   XANAN
XEXGO    ST    R1,EXRC
         L     R13,EXSP
         J     EXEND

* &ERROR [statement]: the statement to run after each command that
* ends with a nonzero return code (none, or &CONTINUE: go on).
XERROR   CALL  XSKIPBL
         LR    R3,R9
         SR    R3,R10
         ST    R3,EXERRL
         LA    R1,EXERRACT
         LR    R2,R10
         MVC   R1,R2,R3
         J     XSDONE

* &CONTROL OFF | ERROR | CMS | ALL (ON is CMS): what the EXEC shows;
* MSG, NOTIME and NOPACK are accepted (this EXEC does that anyway).
XCONTROL CALL  XNEXTTOK
         LHI   R0,2                       ; alone: CMS, the default
         JZ    XCTSET
XCTNEXT  CALL  XKWUP
         LA    R6,XCTLTAB
XCTL     LLC   R0,0(,R6)
         LTR   R0,R0
         JZ    XCTBAD
         LA    R1,XKWBUF
         LHI   R3,12
         CLC   R1,R6,R3
         JE    XCTFND
         AHI   R6,16
         J     XCTL
XCTFND   L     R0,12(,R6)                 ; a level, or -1: an option
         LTR   R0,R0                      ; this EXEC keeps anyway
         JM    XCTMORE
         ST    R0,EXCTL
XCTMORE  CALL  XNEXTTOK
         JNZ   XCTNEXT
         J     XSDONE
XCTSET   ST    R0,EXCTL
         J     XSDONE
XCTBAD   LA    R2,XECTL                   ; "&CONTROL option not supported: "
         LHI   R15,RCSYNTAX
         J     EXERR

* &CONTINUE: nothing (the &ERROR action that goes on).
XCONT    J     XSDONE

* &ARGS [word...]: new arguments &1..&n (and &INDEX), words substituted.
XARGS    LHI   R0,1
         CALL  XSETARGS
         J     XSDONE

* &READ [n]: read n lines (1) from the terminal and run each as if it
* were the next line of the EXEC (a command, or a control statement).
* &READ ARGS: a line from the terminal becomes the arguments.
* &READ VARS &a [&b...]: its words go to the variables (those left
* over are empty).  The line is upper-cased, as CMS reads commands.
XREAD    CALL  XNEXTTOK
         LHI   R1,1                       ; &READ alone: one line
         JZ    XRDRUN
         CALL  XKWUP
         LA    R1,XKWBUF
         LA    R2,XWARGS                  ; CL16'ARGS'
         LHI   R3,16
         CLC   R1,R2,R3
         JE    XRDARGS
         LA    R2,XWVARS                  ; CL16'VARS'
         CLC   R1,R2,R3
         JE    XRDVARS
         LA    R6,EXTB1                   ; &READ n
         CALL  XSUBTOK
         CALL  XNUMVAL
         JNE   XRDBAD
         LTR   R1,R1
         JM    XRDBAD
XRDRUN   ST    R1,EXRDN                   ; lines to read and run
XRDRLOOP L     R1,EXRDN
         LTR   R1,R1
         JNP   XSDONE
         AHI   R1,-1
         ST    R1,EXRDN
         CALL  XRDLINE
         LA    R1,EXRDBUF                 ; (a command in the line will
         LA    R2,INBUF                   ; use INBUF: run a copy)
         L     R3,INLEN
         MVC   R1,R2,R3
         LA    R2,EXRDBUF
         AR    R3,R2
         CALL  EXSTMT
         J     XRDRLOOP
XRDVARS  STM   R9,R10,EXRDS               ; the statement: its end, cursor
         CALL  XRDLINE                    ; the line: EXRDL
XRDVLOOP LM    R9,R10,EXRDS               ; the next variable's name
         CALL  XNEXTTOK
         JZ    XSDONE
         STM   R9,R10,EXRDS
         LLC   R0,0(,R4)
         CHI   R0,C'&'
         JNE   XRDBADN
         LA    R6,1(,R4)
         LR    R7,R5
         AHI   R7,-1
         CALL  XCHKNAME
         JNE   XRDBADN
         CALL  XMKVNAME
         JNE   XRDBADN
         LA    R1,EXTGT
         LA    R2,XVNAME
         LHI   R3,8
         MVC   R1,R2,R3
         LM    R9,R10,EXRDL               ; the next word of the line
         CALL  XNEXTTOK
         STM   R9,R10,EXRDL
         LR    R6,R4
         LR    R7,R5
         LA    R2,EXTGT
         CALL  XSETVARN
         J     XRDVLOOP
XRDARGS  CALL  XRDLINE
         LM    R9,R10,EXRDL
         LHI   R0,0
         CALL  XSETARGS
         J     XSDONE
XRDBAD   LA    R2,XEREAD                  ; "&READ: n, ARGS or VARS ..."
         LR    R4,R6
         LR    R5,R7
         LHI   R15,RCSYNTAX
         J     EXERR
XRDBADN  LA    R2,XEBADN                  ; "invalid variable name "
         LHI   R15,RCASSIGN
         J     EXERR

* XRDLINE: read a line from the terminal (READLINE), upper case.
* EXRDL := its end and start (R9, R10 for XNEXTTOK).  Changes R0..R7.
XRDLINE  ENTER
         CALL  READLINE
         CALL  UPCASE
         L     R0,INEND
         ST    R0,EXRDL
         LA    R0,INBUF
         ST    R0,EXRDL+4
         LEAVE

* &BEGTYPE: the lines after it, up to a line &END, are typed as they
* are (no substitution): a menu or a help text.
XBEGTYPE L     R1,EXNEXT
         C     R1,EXNLINES
         JNL   XSDONE                     ; the end of the file ends it too
         LA    R0,1(,R1)
         ST    R0,EXNEXT
         ST    R0,EXLINENO
         SLL   R1,3
         A     R1,XLTABA
         L     R10,0(,R1)
         L     R9,4(,R1)
         AR    R9,R10
         LR    R8,R10
         CALL  XNEXTTOK
         CHI   R5,4
         JNE   XBTTYPE
         CALL  XKWUP
         LA    R1,XKWBUF
         LA    R2,XWEND                   ; CL16'&END'
         LHI   R3,16
         CLC   R1,R2,R3
         JE    XSDONE
XBTTYPE  LR    R2,R8
         LR    R3,R9
         SR    R3,R2
         CALL  TYPELN
         J     XBEGTYPE

* XSETARGS: the words from R10 to R9 become the arguments &1..&n and
* &INDEX := n; arguments beyond n that were set before become empty.
* R0 = 1: each word substituted first.  Changes R0..R8, R10.
XSETARGS ENTER
         ST    R0,EXSUBF
         LA    R2,XNINDEX                 ; how many there were
         LA    R1,XVNAME
         LHI   R3,8
         MVC   R1,R2,R3
         CALL  XVARFIND
         LHI   R0,0
         LTR   R1,R1
         JZ    XSAOLD
         LA    R6,V_VAL(,R1)
         L     R7,V_LEN(,R1)
         CALL  XNUMVAL
         LR    R0,R1
         JE    XSAOLD
         LHI   R0,0
XSAOLD   ST    R0,EXOLDN
         LHI   R8,0                       ; arguments so far
XSALOOP  CALL  XNEXTTOK
         JZ    XSAREST
         AHI   R8,1
         CHI   R8,ARGMAX
         JH    XSAMAX
         LR    R6,R4
         LR    R7,R5
         L     R0,EXSUBF
         LTR   R0,R0
         JZ    XSASET
         LA    R6,EXTB1
         CALL  XSUBTOK
XSASET   LR    R1,R8
         CALL  XSETNUM
         J     XSALOOP
XSAREST  ST    R8,EXNEWN                  ; the old ones beyond: empty
XSACLR   C     R8,EXOLDN
         JNL   XSADONE
         AHI   R8,1
         LR    R1,R8
         LHI   R7,0
         CALL  XSETNUM
         J     XSACLR
XSADONE  L     R1,EXNEWN
         CALL  XITOA
         LA    R2,XNINDEX
         CALL  XSETVARN
         LEAVE
XSAMAX   LA    R2,XEARGS
         LHI   R5,0
         LHI   R15,RCVARS
         J     EXERR

* ------------------------------------------------------------------
* Helpers.

* XNEXTTOK: the next blank-delimited word from R10 (up to R9): R4 its
* start, R5 its length (0: none, CC 0), R10 after it.  Changes R0.
XNEXTTOK CR    R10,R9
         JNL   XNTNONE
         LLC   R0,0(,R10)
         CHI   R0,C' '
         JNE   XNTSTART
         AHI   R10,1
         J     XNEXTTOK
XNTNONE  LR    R4,R10
         LHI   R5,0
         LTR   R5,R5
         BR    R14
XNTSTART LR    R4,R10
XNTCHAR  AHI   R10,1
         CR    R10,R9
         JNL   XNTEND
         LLC   R0,0(,R10)
         CHI   R0,C' '
         JNE   XNTCHAR
XNTEND   LR    R5,R10
         SR    R5,R4
         BR    R14

* XSKIPBL: R10 past blanks (up to R9).  Changes R0.
XSKIPBL  CR    R10,R9
         BCR   11,R14
         LLC   R0,0(,R10)
         CHI   R0,C' '
         BCR   7,R14
         AHI   R10,1
         J     XSKIPBL

* XKWUP: XKWBUF := the word R4, R5 in upper case, blank-padded to 16 (a
* longer word gets X'FF' first: it matches nothing).  Changes R0..R3.
XKWUP    L     R0,BLANKS
         ST    R0,XKWBUF
         ST    R0,XKWBUF+4
         ST    R0,XKWBUF+8
         ST    R0,XKWBUF+12
         CHI   R5,16
         JH    XKWLONG
         LHI   R2,0
         LA    R3,XKWBUF
XKWLOOP  CR    R2,R5
         BCR   11,R14
         LLC   R0,0(R2,R4)
         CHI   R0,C'a'
         JL    XKWPUT
         CHI   R0,C'z'
         JH    XKWPUT
         AHI   R0,-32
XKWPUT   STC   R0,0(R2,R3)
         AHI   R2,1
         J     XKWLOOP
XKWLONG  LHI   R0,X'FF'
         STC   R0,XKWBUF
         BR    R14

* XISNAMCH: CC 0 if the character R0 may be in a variable name
* (A-Z a-z 0-9 @ # $ _).
XISNAMCH CHI   R0,C'a'
         JL    XINC1
         CHI   R0,C'z'
         JNH   XINYES
         J     XINNO
XINC1    CHI   R0,C'A'
         JL    XINC2
         CHI   R0,C'Z'
         JNH   XINYES
         CHI   R0,C'_'
         JE    XINYES
         J     XINNO
XINC2    CHI   R0,C'0'
         JL    XINC3
         CHI   R0,C'9'
         JNH   XINYES
         CHI   R0,C'@'
         JE    XINYES
         J     XINNO
XINC3    CHI   R0,C'#'
         JE    XINYES
         CHI   R0,C'$'
         JE    XINYES
XINNO    CHI   R0,-1                      ; (CC 2)
         BR    R14
XINYES   CR    R0,R0
         BR    R14

* XCHKNAME: CC 0 if the R7 bytes at R6 are all name characters.
* Changes R0, R1, R5.
XCHKNAME ST    R14,EXCKR                  ; (LEAVE would change the CC)
         LHI   R5,0
XCKLOOP  CR    R5,R7
         JNL   XCKOK
         LR    R1,R6
         AR    R1,R5
         LLC   R0,0(,R1)
         CALL  XISNAMCH
         JNE   XCKBAD
         AHI   R5,1
         J     XCKLOOP
XCKOK    L     R14,EXCKR
         CR    R0,R0
         BR    R14
XCKBAD   L     R14,EXCKR
         CHI   R5,-1
         BR    R14

* XMKVNAME: XVNAME := the name of R7 bytes at R6, upper case, padded.
* CC nonzero if it is empty or longer than 8.  Changes R0, R1, R5.
XMKVNAME L     R0,BLANKS
         ST    R0,XVNAME
         ST    R0,XVNAME+4
         LTR   R7,R7
         JZ    XMVBAD
         CHI   R7,8
         JH    XMVBAD
         LHI   R5,0
         LA    R1,XVNAME
XMVLOOP  LLC   R0,0(R5,R6)
         CHI   R0,C'a'
         JL    XMVPUT
         CHI   R0,C'z'
         JH    XMVPUT
         AHI   R0,-32
XMVPUT   STC   R0,0(R5,R1)
         AHI   R5,1
         CR    R5,R7
         JL    XMVLOOP
         CR    R5,R5
         BR    R14
XMVBAD   CHI   R7,-1
         BR    R14

* XVARFIND: R1 := the variable named XVNAME, or 0.  Changes R0, R6, R7.
XVARFIND L     R0,EXNVARS                 ; from the newest down: the
         LR    R1,R0                      ; special ones come first, an
         MHI   R1,VARLEN                  ; EXEC's own are used most
         A     R1,XVTABA
         LA    R6,XVNAME
         LHI   R7,8
XVFLOOP  LTR   R0,R0
         JZ    XVFNONE
         AHI   R1,-VARLEN
         CLC   R1,R6,R7
         BCR   8,R14
         AHI   R0,-1
         J     XVFLOOP
XVFNONE  LHI   R1,0
         BR    R14

* XSETNUM: the variable named by the number R1 (&0, &1...) := the R7
* bytes at R6.  XSETVARN: the variable named by the 8 bytes at R2.
* XSETVAR: the variable XVNAME.  Too long a value or too many variables
* end the EXEC.  Changes R0..R7.
XSETNUM  ST    R6,EXSVP
         ST    R7,EXSVL
         LR    R2,R14
         CALL  XITOA
         LR    R14,R2
         L     R0,BLANKS
         ST    R0,XVNAME
         ST    R0,XVNAME+4
         LA    R1,XVNAME
         LR    R2,R6
         LR    R3,R7
         MVC   R1,R2,R3
         J     XSETVAR1
XSETVARN LA    R1,XVNAME
         LHI   R3,8
         MVC   R1,R2,R3
XSETVAR  ST    R6,EXSVP
         ST    R7,EXSVL
XSETVAR1 ENTER
         L     R7,EXSVL
         CHI   R7,VALMAX
         JH    XSVLONG
         CALL  XVARFIND
         LTR   R1,R1
         JNZ   XSVSET
         L     R0,EXNVARS                 ; a new one
         CHI   R0,EXVMAX
         JNL   XSVFULL
         LR    R1,R0
         MHI   R1,VARLEN
         A     R1,XVTABA
         AHI   R0,1
         ST    R0,EXNVARS
         LA    R2,XVNAME
         LHI   R3,8
         MVC   R1,R2,R3
XSVSET   L     R3,EXSVL
         ST    R3,V_LEN(,R1)
         LA    R1,V_VAL(,R1)
         L     R2,EXSVP
         MVC   R1,R2,R3
         LEAVE
XSVLONG  L     R4,EXSVP
         L     R5,EXSVL
         LA    R2,XEVLONG                 ; "value longer than 32 characters: "
         LHI   R15,RCASSIGN
         J     EXERR
XSVFULL  LA    R2,XEVFULL                 ; "more than 128 variables"
         LHI   R5,0
         LHI   R15,RCVARS
         J     EXERR

* XSUBTOK: substitute the word R4, R5 into the buffer at R6 (TBUFLEN),
* upper case.  R7 := its length.  Changes R0..R5.
XSUBTOK  ENTER
         ST    R6,EXSTD
         LR    R2,R4
         LR    R3,R4
         AR    R3,R5
         LR    R4,R6
         LHI   R5,TBUFLEN
         LHI   R0,1
         CALL  XSUBST
         LR    R7,R5
         L     R6,EXSTD
         LEAVE

* XSUBST: copy the text from R2 to R3 into the R5 bytes at R4, each
* &name replaced by its value (an unset one by nothing; an & without
* a name stays); in upper case if R0 is not 0.  R5 := the length.
* Too long a result ends the EXEC.  Changes R0..R7.
XSUBST   ENTER
         ST    R0,EXUPC
         ST    R4,EXSDST
         AR    R5,R4
         ST    R5,EXSLIM
SULOOP   CR    R2,R3
         JNL   SUDONE
         LLC   R0,0(,R2)
         CHI   R0,C'&'
         JE    SUVAR
SUCHAR   AHI   R2,1
         CHI   R0,C'a'                    ; (most text is upper case
         JL    SUPUT                      ; already: that test first)
         CHI   R0,C'z'
         JH    SUPUT
         L     R1,EXUPC
         LTR   R1,R1
         JZ    SUPUT
         AHI   R0,-32
SUPUT    C     R4,EXSLIM
         JNL   SULONG
         STC   R0,0(,R4)
         AHI   R4,1
         J     SULOOP
SUVAR    LA    R6,1(,R2)                  ; the name: R6, R7
         LR    R7,R6
SUNAME   CR    R7,R3
         JNL   SUNEND
         LLC   R0,0(,R7)
         CALL  XISNAMCH
         JNE   SUNEND
         AHI   R7,1
         J     SUNAME
SUNEND   SR    R7,R6
         JNZ   SUNAMED
         LHI   R0,C'&'                    ; a lone &
         J     SUCHAR
SUNAMED  LR    R2,R6                      ; the text goes on after it
         AR    R2,R7
         CALL  XMKVNAME
         JNE   SUBADN
         CALL  XVARFIND
         LTR   R1,R1
         JZ    SULOOP                     ; unset: nothing
         L     R5,V_LEN(,R1)
         LR    R0,R4
         AR    R0,R5
         C     R0,EXSLIM
         JH    SULONG
         LA    R6,V_VAL(,R1)
         MVC   R4,R6,R5
         AR    R4,R5
         J     SULOOP
SUDONE   LR    R5,R4
         S     R5,EXSDST
         LEAVE
SULONG   LA    R2,XESLONG                 ; "too long after substitution"
         LHI   R5,0
         LHI   R15,RCFILE
         J     EXERR
SUBADN   LR    R4,R6
         LR    R5,R7
         LA    R2,XEBADN
         LHI   R15,RCASSIGN
         J     EXERR

* XNUMVAL: R1 := the R7 bytes at R6 as a number: an optional sign and
* 1 to 9 digits.  CC 0 if they are one, else nonzero.  Changes R0..R3.
XNUMVAL  LR    R2,R6
         LR    R3,R7
         LHI   R1,0
         LTR   R3,R3
         JZ    XNVBAD
         LLC   R0,0(,R2)
         ST    R0,EXSIGN
         CHI   R0,C'-'
         JE    XNVSIGN
         CHI   R0,C'+'
         JNE   XNVDIGS
XNVSIGN  AHI   R2,1
         AHI   R3,-1
         JZ    XNVBAD
XNVDIGS  CHI   R3,9
         JH    XNVBAD
XNVLOOP  LLC   R0,0(,R2)
         AHI   R0,-48
         JM    XNVBAD
         CHI   R0,9
         JH    XNVBAD
         MHI   R1,10
         AR    R1,R0
         AHI   R2,1
         AHI   R3,-1
         JNZ   XNVLOOP
         L     R0,EXSIGN
         CHI   R0,C'-'
         JNE   XNVOK
         LCR   R1,R1
XNVOK    CR    R0,R0
         BR    R14
XNVBAD   CHI   R7,-1
         BR    R14

* XITOA: R6, R7 := R1 (signed) in decimal.  Changes R0, R4..R7.
XITOA    LA    R6,XITOAEND
         LPR   R5,R1
         LHI   R0,10
XITOALP  LHI   R4,0
         DLR   R4,R0
         AHI   R4,C'0'
         AHI   R6,-1
         STC   R4,0(,R6)
         LTR   R5,R5
         JNZ   XITOALP
         LTR   R1,R1
         JNM   XITOAPOS
         AHI   R6,-1
         LHI   R0,C'-'
         STC   R0,0(,R6)
XITOAPOS LA    R7,XITOAEND
         SR    R7,R6
         BR    R14

* ------------------------------------------------------------------
* EXEC's data (base R11).
         DS    0D
EXDATA   EQU   *
XSTMAX   DC    F'100000'                  ; statements an EXEC may run
XBUFEND  DC    A(EXECBUF+X'10000')        ; the end of EXECBUF
XTEXTOFF DC    A(EXSTLEN+EXVMAX*VARLEN)   ; an EXEC's text in its storage
EXTOP    DC    A(EXECBUF)                 ; EXECBUF's first free byte
EXDEPTH  DC    F'0'                       ; EXECs running (one in another)
EXCOUNT  DS    F                          ; statements run by them all
EXNARGS  DS    2F                         ; a new EXEC's arguments
EXNRC    DS    F
EXCMDRC  DS    F
EXRDS    DS    2F                         ; &READ: the statement's end, cursor
EXRDL    DS    2F                         ; and the line's
EXSUBF   DS    F
EXCONDR  DS    F
EXRDN    DS    F
EXRDBUF  DS    CL132                      ; &READ n: the line running
EXCATL   DS    F
EXLPEND  DS    F
EXLPCND  DS    F
EXOLDN   DS    F
EXNEWN   DS    F
EXTOK1   DS    2F
EXTOK2   DS    2F
EXACC    DS    F
EXAOP    DS    F
EXOPM    DS    F
EXV1L    DS    F
EXV2L    DS    F
EXGLEN   DS    F
EXUPC    DS    F
EXSDST   DS    F
EXSLIM   DS    F
EXSTD    DS    F
EXSVP    DS    F
EXSVL    DS    F
EXSIGN   DS    F
EXCKR    DS    F
EXDESC   DS    F
EXINSP   DS    F
EXINSL   DS    F
XVNAME   DS    CL8                        ; (word-aligned: ST fills them)
EXTGT    DS    CL8
XKWBUF   DS    CL16
EXGTGT   DS    CL16
EXLKFN   DS    CL8                        ; the one looked for: fn, ft
EXLKFT   DC    CL8'EXEC'
XPROFILE DC    CL8'PROFILE'
XNINDEX  DC    CL8'INDEX'
XNRC     DC    CL8'RETCODE'
XWARGS   DC    CL16'ARGS'
XWVARS   DC    CL16'VARS'
XWEND    DC    CL16'&END'
XTOP     DC    C'TOP'
XWNUM    DC    C'NUM'
XWCHAR   DC    C'CHAR'
XDIGIT0  DC    C'0'
XITOABUF DS    CL12
XITOAEND EQU   *
EXTB1    DS    CL64
EXTB2    DS    CL64
EXOBUF   DS    CL200

* The state of the EXEC running.  When it runs another, the block is
* saved at the start of the new one's storage in EXECBUF, and EXEND
* restores it: each EXEC has its own variables, lines and &CONTROL.
         DS    0D
EXSTATE  EQU   *
EXSP     DS    F                          ; the stack at the loop's top
EXARGS   DS    2F                         ; the argument text: start, end
EXNLINES DS    F
EXNEXT   DS    F                          ; the next line (from 0)
EXLINENO DS    F                          ; the line running (from 1)
EXRC     DS    F                          ; the EXEC's return code
EXNVARS  DS    F
EXCTL    DS    F                          ; &CONTROL: 0 OFF .. 3 ALL
EXCMDSL  DS    F
EXERRL   DS    F                          ; &ERROR's action: its length
XLTABA   DS    F                          ; the line table
XVTABA   DS    F                          ; the variables
EXBASE   DS    F                          ; its storage in EXECBUF
EXFN     DS    CL8                        ; its name
EXNLOOP  DS    F                          ; &LOOPs open, and each one's:
EXLOOPS  DS    (LPMAX*LPLEN)C             ;   first line, end, passes, condition
EXGCLBL  DS    CL16                       ; the last label &GOTO found,
EXGCIDX  DS    F                          ; and its line (from 0)
EXCMDSV  DS    CL130                      ; the command running
EXERRACT DS    CL130                      ; &ERROR's action
EXINERR  DS    CL1                        ; &ERROR's action is running
         DS    0D
EXSTLEN  EQU   *-EXSTATE

* control words: name, handler
         DS    0F
XKWTAB   DC    CL12'&IF',A(XIF)           ; (the most used first)
         DC    CL12'&GOTO',A(XGOTO)
         DC    CL12'&TYPE',A(XTYPE)
         DC    CL12'&EXIT',A(XEXIT)
         DC    CL12'&SKIP',A(XSKIP)
         DC    CL12'&ERROR',A(XERROR)
         DC    CL12'&CONTROL',A(XCONTROL)
         DC    CL12'&CONTINUE',A(XCONT)
         DC    CL12'&READ',A(XREAD)
         DC    CL12'&ARGS',A(XARGS)
         DC    CL12'&BEGTYPE',A(XBEGTYPE)
         DC    CL12'&LOOP',A(XLOOP)
         DC    F'0'
* built-in functions: name, handler
XFNTAB   DC    CL12'&LENGTH',A(XFLEN)
         DC    CL12'&DATATYPE',A(XFDTYPE)
         DC    CL12'&CONCAT',A(XFCONCAT)
         DC    CL12'&SUBSTR',A(XFSUBSTR)
         DC    F'0'
* &IF operators: name, the CCs that make it true (8 =, 4 <, 2 >)
XOPTAB   DC    CL4'=',F'8'
         DC    CL4'<',F'4'
         DC    CL4'>',F'2'
         DC    CL4'EQ',F'8'
         DC    CL4'NE',F'6'
         DC    CL4'LT',F'4'
         DC    CL4'GT',F'2'
         DC    CL4'LE',F'12'
         DC    CL4'GE',F'10'
         DC    CL4'<=',F'12'
         DC    CL4'>=',F'10'
         DC    CL4'^=',F'6'
         DC    CL4'<>',F'6'
         DC    X'AC3D2020',F'6'            ; the not sign (Latin-1) =
         DC    X'C2AC3D20',F'6'            ; the not sign (UTF-8) =
         DC    F'0'
* &CONTROL levels
XCTLTAB  DC    CL12'OFF',F'0'
         DC    CL12'ERROR',F'1'
         DC    CL12'CMS',F'2'
         DC    CL12'ON',F'2'
         DC    CL12'ALL',F'3'
         DC    CL12'MSG',F'-1'            ; what this EXEC does: messages
         DC    CL12'NOTIME',F'-1'         ; shown, no time of day, lines
         DC    CL12'NOPACK',F'-1'         ; shown as written
         DC    F'0'

XMINC    DC    C'DMSEXE054E Incomplete fileid specified: EXEC fn [args]',X'00'
XMNF1    DC    C'DMSEXE001E File ',X'00'
XMNF2    DC    C' EXEC not found',X'00'
XMBADF   DC    C'DMSEXE073E Bad record format: ',X'00'
XMBIG    DC    C'DMSEXE109S Virtual storage capacity exceeded: no room in EXECBUF for ',X'00'
XMIOE    DC    C'DMSEXE104S Error reading from disk: ',X'00'
XMEXEC   DC    C' EXEC',X'00'
XMERR1   DC    C'DMSEXT072E Error in EXEC file ',X'00'
XMERR2   DC    C', line ',X'00'
XMERR3   DC    C', arguments',X'00'
XMERR4   DC    C' - ',X'00'
XMRC1    DC    C'+++ R(',X'00'
XMRC2    DC    C') +++',X'00'
XELONG   DC    C'line longer than 130 characters',X'00'
XEMANY   DC    C'too many lines: no room in EXECBUF for the line table',X'00'
XEARGS   DC    C'more than 30 arguments',X'00'
XELOOP   DC    C'more than 100000 statements run (a loop without end?)',X'00'
XEUNK    DC    C'unknown control statement ',X'00'
XEBADN   DC    C'invalid variable name ',X'00'
XENAN    DC    C'not a number: ',X'00'
XEBADOP  DC    C'+ or - expected, found ',X'00'
XEMISS   DC    C'a number must follow + or -',X'00'
XESUBST2 DC    C'&SUBSTR counts from 1, not ',X'00'
XESUBSTR DC    C'&SUBSTR needs: word start [length]',X'00'
XEBIG    DC    C'arithmetic overflow',X'00'
XEIFINC  DC    C'&IF needs: value operator value statement',X'00'
XECNDINC DC    C'a condition needs: value operator value',X'00'
XEIFOP   DC    C'invalid &IF operator ',X'00'
XELPDEEP DC    C'loops nested more than 4 deep',X'00'
XELPINC  DC    C'&LOOP needs: n or -label, then m or a condition',X'00'
XELPBAD  DC    C'invalid &LOOP count ',X'00'
XEGNF    DC    C'label not found: ',X'00'
XEGBAD   DC    C'invalid &GOTO target ',X'00'
XEGINC   DC    C'&GOTO needs a -label, TOP or a line number',X'00'
XESKBAD  DC    C'invalid &SKIP count ',X'00'
XEREAD   DC    C'&READ takes n, ARGS or VARS &name..., not ',X'00'
XECTL    DC    C'&CONTROL option not supported: ',X'00'
XEVLONG  DC    C'value longer than 32 characters: ',X'00'
XEVFULL  DC    C'more than 128 variables',X'00'
XESLONG  DC    C'too long after substitution',X'00'
         DROP  R11
