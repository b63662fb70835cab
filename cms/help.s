* cms/help.s -- HELP [name]: CMS's help, INCLUDEd by cms/cms.s.
*
* VM/370 kept its HELP files on the system disk, and so does this CMS:
* HELP name types "name HELPCMS" from the S-disk.  Those files are
* cms/help/NAME.txt, written on MAINT's 190 when vmlab made it
* (cms/sysfiles.h); CP's HELP shows the same text for a CMS command,
* compiled into vmlab from the same files.
*
*   HELP        the commands of CMDTAB, the shortest form of each in
*               capitals (LISTfile: LISTF is the least CMS takes)
*   HELP name   name is resolved through CMDTAB first, as DISPATCH
*               does (HELP LISTF types LISTFILE HELPCMS); then
*               name HELPCMS on S is typed (with TYPE's own code).
*               No such file: DMSHLP002E for a CMS command; any other
*               name goes to CP's HELP (DIAGNOSE X'008'), so HELP
*               LOGOFF explains CP's LOGOFF; if CP does not know it
*               either, DMSHLP001E.
*
* Registers: R11 is this module's data base (USING HLDATA,R11); the
* terminal routines change R0..R7, so the loops here count in R8..R10.
         USING HLDATA,R11

HLPERLN  EQU   7                          ; names per line of the list
HLCELL   EQU   10                         ; columns per name

CMDHELP  ENTER
         LI    R11,HLDATA
         L     R0,NTOK
         CHI   R0,2
         JL    HLLIST
         JH    HLMANY
         L     R3,TOKLEN+4
         CHI   R3,8
         JH    HLASKCP                    ; too long for a command or a file
         LA    R1,TOKS+8
         LA    R2,HLNAME
         LHI   R4,8
         MVC   R2,R1,R4                   ; the word as typed
         LHI   R10,0                      ; a CMS command? not yet
         LA    R6,CMDTAB                  ; as DISPATCH: the first entry
HLFIND   LLC   R0,0(,R6)                  ; the word abbreviates
         LTR   R0,R0
         JZ    HLLOOK
         L     R0,8(,R6)                  ; minimum abbreviation
         CR    R3,R0
         JL    HLFNEXT
         LA    R1,TOKS+8
         CLC   R1,R6,R3
         JNE   HLFNEXT
         LA    R2,HLNAME
         LHI   R4,8
         MVC   R2,R6,R4                   ; the command's full name
         LHI   R10,1
         J     HLLOOK
HLFNEXT  AHI   R6,16
         J     HLFIND
HLLOOK   LA    R1,TOKS+8                  ; tokens 2..4 := name HELPCMS S,
         LA    R2,HLNAME                  ; for LOOKUP, NFMSG and TYPE
         LHI   R3,16
         MVC   R1,R2,R3
         LA    R1,TOKS+24
         LA    R2,HLFMS
         LHI   R3,8
         MVC   R1,R2,R3
         LHI   R0,C'S'
         STC   R0,WANTFM
         LA    R2,TOKS+8
         CALL  LOOKUP
         LTR   R9,R9
         JZ    HLNOFILE
         LHI   R0,4
         ST    R0,NTOK
         CALL  CMDTYPE                    ; TYPE name HELPCMS S
         LEAVE
HLNOFILE LTR   R10,R10
         JZ    HLASKCP
         LA    R2,HLMNF                   ; DMSHLP002E File name HELPCMS S
         CALL  NFMSG                      ; not found
         LEAVERC 28

* Not a CMS command, and no help file of that name: CP's HELP.  The
* word goes as typed (from INBUF: a long one is not cut to 8).
HLASKCP  LA    R1,HLCPCMD+5               ; after "HELP "
         L     R2,TOKPOS+4
         L     R3,TOKLEN+4
         CHI   R3,HLWMAX
         JNH   HLASK1
         LHI   R3,HLWMAX
HLASK1   MVC   R1,R2,R3
         LA    R2,HLCPCMD
         LA    R4,5(,R3)
         CALL  CPEXEC
         CHI   R4,1                       ; CP: not a CP command either
         JE    HLNONE
         LR    R10,R4
         CALL  TYPERESP
         LR    R15,R10
         LEAVE
HLNONE   CALL  OCLR
         LA    R2,HLMNONE1                ; DMSHLP001E No help for
         CALL  OAPPSZ
         L     R2,TOKPOS+4
         L     R3,TOKLEN+4
         CALL  OAPP
         LA    R2,HLMNONE2                ; : not a CMS or CP command
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVERC 28
HLMANY   TYPESZ HLMMANY
         LEAVERC 24

* HELP alone: CMDTAB's names, HLPERLN to a line, in VM/370's notation:
* the shortest form in capitals, the rest in lower case.
HLLIST   TYPESZ HLMHEAD
         LA    R8,CMDTAB                  ; the entry
         LHI   R9,0                       ; names on this line
HLLNEXT  LLC   R0,0(,R8)
         LTR   R0,R0
         JZ    HLLEND
         LA    R1,HLWORD
         LHI   R3,8
         MVC   R1,R8,R3
         L     R4,8(,R8)                  ; from the minimum on: lower case
HLLOW    CHI   R4,8
         JNL   HLLOUT
         LA    R1,HLWORD
         AR    R1,R4
         LLC   R0,0(,R1)
         CHI   R0,C'A'
         JL    HLLOW1
         CHI   R0,C'Z'
         JH    HLLOW1
         AHI   R0,32
         STC   R0,0(,R1)
HLLOW1   AHI   R4,1
         J     HLLOW
HLLOUT   LTR   R9,R9
         JNZ   HLLPAD
         CALL  OCLR
         LA    R2,BLANKS                  ; a new line: indent 2
         LHI   R3,2
         CALL  OAPP
         J     HLLNAME
HLLPAD   LA    R2,BLANKS                  ; to the next cell
         LHI   R3,HLCELL
         SR    R3,R10
         CALL  OAPP
HLLNAME  LA    R2,HLWORD
         LHI   R3,8
         CALL  OAPPT                      ; (R3 := the length appended)
         LR    R10,R3
         AHI   R9,1
         CHI   R9,HLPERLN
         JL    HLLSTEP
         CALL  OFLUSH
         LHI   R9,0
HLLSTEP  AHI   R8,16
         J     HLLNEXT
HLLEND   LTR   R9,R9
         JZ    HLLTAIL
         CALL  OFLUSH
HLLTAIL  TYPESZ HLMTAIL
         LEAVERC 0

         DS    0F
HLDATA   EQU   *
HLWMAX   EQU   100                        ; a word sent to CP's HELP
HLNAME   DS    CL8                        ; the help file: name HELPCMS
HLFT     DC    CL8'HELPCMS'
HLFMS    DC    CL8'S'
HLWORD   DS    CL8
HLCPCMD  DC    C'HELP '
         DS    CL100                      ; HLWMAX
HLMNF    DC    C'DMSHLP002E File ',X'00'
HLMNONE1 DC    C'DMSHLP001E No help for ',X'00'
HLMNONE2 DC    C': not a CMS or CP command (HELP lists CMS''s)',X'00'
HLMMANY  DC    C'DMSHLP003E Too many operands: HELP [name]',X'00'
HLMHEAD  DC    C'CMS commands (the shortest form in capitals):',X'00'
HLMTAIL  DC    C'HELP name types one''s help (HELP LISTF); CP HELP lists CP''s commands.',X'00'

         DROP  R11
