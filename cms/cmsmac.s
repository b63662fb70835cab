* cms/cmsmac.s -- the CMS macro library (first slice).
*
* The nucleus (cms/cms.s) is written with these macros, and student
* programs will use the same ones once CMS can LOAD and START them.
* Conventions, as in the nucleus:
*
*   R12  base of the nucleus data area (USING NUCDATA,R12)
*   R13  stack pointer: a descending stack of 8-byte frames
*   R14  return address (BRAS R14,routine)
*   R15  return code (0 = success)
*
* ENTER/LEAVE save and restore R14 on the stack, so a routine that
* calls others can still return; a leaf routine needs neither.

* CALL LABEL: branch to a routine, the return address in R14.
         MACRO
&L       CALL  &WHERE
&L       BRAS  R14,&WHERE
         MEND

* ENTER: push R14 (first thing in a routine that calls others).
         MACRO
&L       ENTER
&L       AHI   R13,-8
         ST    R14,0(,R13)
         MEND

* LEAVE: pop R14 and return.
         MACRO
&L       LEAVE
&L       L     R14,0(,R13)
         AHI   R13,8
         BR    R14
         MEND

* LEAVERC N: set the return code R15 := N, then LEAVE.
         MACRO
&L       LEAVERC &N
&L       LHI   R15,&N
         LEAVE
         MEND

* TYPESZ LABEL: type a zero-terminated message on the terminal.
         MACRO
&L       TYPESZ &MSG
&L       LA    R2,&MSG
         BRAS  R14,TYPESZR
         MEND
