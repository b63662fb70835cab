* asmfeat.s -- the assembler language (sim/ASM.md) checked at run time:
* expression operators and their precedence, number forms, DC/DS types
* with lengths, duplication and alignment, EQU, ORG, ALIGN, USING and
* DROP, LI, PSW, and macro parameters (keyword defaults, &SYSNDX).  Each
* check compares what the assembler produced with the value ASM.md
* defines.
* COVERS: assembler
         INCLUDE 'lib.s'
* a macro with a keyword parameter and a local label (defined before use)
         MACRO
&L       KWTEST &R,&VAL=5
&L       LHI   &R,&VAL
         J     K&SYSNDX
K&SYSNDX EQU   *
         MEND
         TSTART
* expressions: | ^ & << >> + - * / % unary - ~, loosest to tightest
E1       EQU   1+2*3                   ; 7
E2       EQU   (1+2)*3                 ; 9
E3       EQU   1|2^3&4                 ; 1|(2^(3&4)) = 3
E4       EQU   1<<2+1                  ; 1<<(2+1) = 8
E5       EQU   100/7%4                 ; (100/7)%4 = 14%4 = 2
E6       EQU   -1                      ; 0xFFFFFFFF
E7       EQU   ~0x0F0F0F0F
E8       EQU   X'7F'+B'101'+C'A'       ; 127+5+65 = 197
E9       EQU   0x80000000>>31
E10      EQU   C'ABCD'
E11      EQU   C'AB'                   ; right-justified: 0x4142
E12      EQU   -(2*3)+10               ; 4
         LI    R1,E1
         CHECKR R1,7,1
         LI    R1,E2
         CHECKR R1,9,2
         LI    R1,E3
         CHECKR R1,3,3
         LI    R1,E4
         CHECKR R1,8,4
         LI    R1,E5
         CHECKR R1,2,5
         LI    R1,E6
         CHECKR R1,0xFFFFFFFF,6
         LI    R1,E7
         CHECKR R1,0xF0F0F0F0,7
         LI    R1,E8
         CHECKR R1,197,8
         LI    R1,E9
         CHECKR R1,1,9
         LI    R1,E10
         CHECKR R1,0x41424344,10
         LI    R1,E11
         CHECKR R1,0x00004142,11
         LI    R1,E12
         CHECKR R1,4,12
* DC types
         CHECKW DF,0xFFFFFFFE,13       ; F'-2'
         CHECKW DF+4,3000000000,14     ; unsigned decimal
         CHECKH DH,0xFFFF,15           ; H'-1'
         CHECKH DH+2,0x0102,16
         CHECKW DA,DA+8,17             ; A(expr)
         CHECKW DA+4,0,18
         CHECKW DX,0x0ABCDE01,19       ; X'ABCDE' odd: leading 0, then X'01'
         CHECKB DB,0xA5,20
         CHECKW DC1,C'IT''S',21        ; '' is a quote
         CHECKW DCL,C'AB  ',22         ; CL4'AB': blank padded
         CHECKH DCL+4,C'XY',23         ; (the next constant)
         CHECKW DD,0x00000001,24       ; D'4294967296'
         CHECKW DD+4,0,25
         CHECKW DXL,0x00000012,26      ; XL4'12': padded on the left (as HLASM)
         CHECKW DDUP,C'****',27        ; 4C'*'
         CHECKW DDUP+4,0x00000005,28   ; 2F'5' after 0F alignment
         CHECKW DDUP+8,0x00000005,29
         CHECKW DSAREA,0,30            ; DS is zero-filled
         LA    R1,DSEND
         LA    R2,DSAREA+80
         CR    R1,R2
         CHECKCC 0,31                  ; DS 20F is 80 bytes
* alignment
         LA    R1,DDALIGN
         NHI   R1,7
         CHECKR R1,0,32
         LA    R1,PSWAL
         NHI   R1,7
         CHECKR R1,0,33
         CHECKW PSWAL,PSW_WAIT|PSW_IO,34
         CHECKW PSWAL+4,DDALIGN,35
* USING: a label beyond 4 KiB addressed through a base register
         LI    R12,FARDATA
         USING FARDATA,R12
         L     R1,FARWORD
         CHECKR R1,0x600DBEEF,36
         LA    R1,FARWORD
         CHECKR R1,FARDATA+8,37
         DROP  R12
* two USINGs: the one giving the smaller displacement wins.  R12 is
* deliberately wrong by 4, so a load through it would get the wrong word.
         LI    R12,FARDATA+4
         LI    R11,FARDATA+X'800'
         USING FARDATA,R12
         USING FARDATA+X'800',R11
         L     R1,FARWORD2             ; X'900' from R12, X'100' from R11
         CHECKR R1,0x12345678,40
         DROP  R11
         DROP  R12
* * is the address of the current statement; ORG back to patch a word
         CHECKW STAR,STAR,41
         CHECKW PATCHED,0x0000ABCD,42
* macros: keyword default and override, &SYSNDX labels
         KWTEST R1
         CHECKR R1,5,38
         KWTEST R1,VAL=9
         CHECKR R1,9,39
         PASS
* a macro with a keyword parameter and a local label
         MACRO
&L       KWTEST &R,&VAL=5
&L       LHI   &R,&VAL
         J     K&SYSNDX
K&SYSNDX EQU   *
         MEND
         ALIGN 4
DF       DC    F'-2,3000000000'
DH       DC    H'-1',H'258'
DA       DC    A(DA+8,0)
DX       DC    X'ABCDE',X'01'
DB       DC    B'10100101'
         ALIGN 4
DC1      DC    C'IT''S'
         ALIGN 4
DCL      DC    CL4'AB'
         DC    C'XY'
         ALIGN 8
DD       DC    D'4294967296'
DXL      DC    XL4'12'
DDUP     DC    4C'*'
         DC    0F
         DC    2F'5'
DSAREA   DS    20F
DSEND    EQU   *
         DC    X'01'
         DS    0D
DDALIGN  DC    X'02'
PSWAL    PSW   PSW_WAIT|PSW_IO,DDALIGN
         ALIGN 4
STAR     DC    A(*)
PATCHED  DC    F'1'
AFTER    EQU   *
         ORG   PATCHED
         DC    X'0000ABCD'
         ORG   AFTER
         ORG   X'3000'
FARDATA  DC    F'1,2'
FARWORD  DC    X'600DBEEF'
         ORG   FARDATA+X'900'
FARWORD2 DC    X'12345678'
         DC    X'DEADDEAD'             ; what R12 (off by 4) would reach
         END
