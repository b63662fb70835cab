* cms/cmslib.s -- the macro library for programs that run under CMS.
*
* A program INCLUDEs this file first; it places the program at X'C0000'
* (USERAREA, where CMS's LOAD wants it: nothing is relocated) and gives
* one macro per CMS service.  Assemble on the host with
*     vmlab asm prog.s -I cms -o prog.img
* put it on a disk as fn MODULE (vmlab disk put), and type RUN fn.
*
* The program runs in problem state, with DAT mapping only its own
* storage, C0000-DFFFF: a privileged instruction, or a reference to
* any other address, is a program check that ends it (cms/svc.s).
*
* At entry:  R0  number of arguments
*            R1  -> parameter list: 8-byte tokens (the program's name,
*                   then the arguments, upper case), ended by 8 X'FF'
*            R13 -> the top of a stack (the 4K below it are free)
*            R14 return address: BR R14 with R15 = return code ends
*                   the program, as EXIT does
*            R15 the entry address (BEGIN makes R12 a base from it)
*
* Every service is an SVC.  Macro operands are address expressions, so
* each can be a label (under a USING), a number, or d(reg): e.g.
* WRTERM LINE,80 or WRTERM 0(R4),0(R5) (R5 holds the length).  The
* macros change R1, R2, R3 and return the result in R15 (0: done) and
* sometimes R0.  Return codes:
*    1 no such SVC                  12 end of file
*    2 a buffer outside the program's storage
*    3 disk error                   13 disk or file buffer full
*    6 file not open (or not in that direction)
*    7 two files are open already   20 invalid file name
*    8 record truncated (only the buffer's length was stored)
*   24 invalid operand              25 a record longer than 56K
*   28 file not found               36 disk not there or read-only
SVC_EXIT  EQU  0
SVC_WRTRM EQU  1
SVC_RDTRM EQU  2
SVC_OPEN  EQU  3
SVC_READ  EQU  4
SVC_WRITE EQU  5
SVC_CLOSE EQU  6

* name BEGIN: the first statement of a program: R12 := its address,
* USING name,R12 (so the program's labels are addressable, 4K of them).
         MACRO
&L       BEGIN
&L       LR    R12,R15
         USING &L,R12
         MEND

* EXIT [RC=n]: end the program with return code n (default: R15 as
* it is).  Files still open for writing are saved first.
         MACRO
&L       EXIT  &RC=0(R15)
&L       LA    R15,&RC
         SVC   SVC_EXIT
         MEND

* WRTERM text,length: type length (0 to 130) bytes as one line.
         MACRO
&L       WRTERM &TEXT,&LEN
&L       LA    R2,&TEXT
         LA    R3,&LEN
         SVC   SVC_WRTRM
         MEND

* RDTERM buffer,length: read a line from the terminal (as typed, not
* upper-cased).  R0 := its length; R15 = 8 if it was longer than the
* buffer (the first length bytes are stored).
         MACRO
&L       RDTERM &BUF,&LEN
&L       LA    R2,&BUF
         LA    R3,&LEN
         SVC   SVC_RDTRM
         MEND

* name FSCB fn,ft[,fm]: a file block: fn, ft, fm (8 bytes each) and
* the file number FSOPEN puts there.
         MACRO
&L       FSCB  &FN,&FT,&FM=A
&L       DS    0F
         DC    CL8'&FN',CL8'&FT',CL8'&FM',F'0'
         MEND

* FSOPEN fscb,R|W: open the file for reading (R: any accessed disk if
* fm is * or blank; any size: CMS reads the blocks as FSREAD needs
* them) or for writing (W: a new V file, 56K at most, replacing an old
* one when it is closed).
* The file number goes to the FSCB.
         MACRO
&L       FSOPEN &FSCB,&MODE
&L       LA    R2,&FSCB
         LHI   R3,C'&MODE'
         SVC   SVC_OPEN
         ST    R0,24(,R2)
         MEND

* FSREAD fscb,buffer,length: the next record.  R0 := its length;
* R15 = 12 at the end of the file, 8 if it was truncated.
         MACRO
&L       FSREAD &FSCB,&BUF,&LEN
&L       LA    R2,&FSCB
         L     R1,24(,R2)
         LA    R2,&BUF
         LA    R3,&LEN
         SVC   SVC_READ
         MEND

* FSWRITE fscb,record,length: add a record (0 bytes: one blank).
         MACRO
&L       FSWRITE &FSCB,&REC,&LEN
&L       LA    R2,&FSCB
         L     R1,24(,R2)
         LA    R2,&REC
         LA    R3,&LEN
         SVC   SVC_WRITE
         MEND

* FSCLOSE fscb: close the file; one written is saved on disk now.
         MACRO
&L       FSCLOSE &FSCB
&L       LA    R2,&FSCB
         L     R1,24(,R2)
         SVC   SVC_CLOSE
         MEND

* The program starts here.
         ORG   X'C0000'
