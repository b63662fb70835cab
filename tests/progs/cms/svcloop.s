* svcloop.s -- RUN SVCLOOP [x]: with an argument, 1000 SVCs that do
* nothing (SVC 99: no such service, code 1), without one none; then it
* ends.  What CP spends on one SVC round trip is the difference between
* the two runs' exits, divided by 1000 (tests/scripts/cms_prog.sh).
* The loop keeps its code and its counter on two different pages so
* that a lost translation would show for both.
         INCLUDE 'cmslib.s'
SVCLOOP  BEGIN
         LTR   R0,R0                 ; arguments after the name?
         JZ    DONE
         LHI   R8,1000
         LI    R9,COUNT              ; beyond R12's 4K: its own base
LOOP     SVC   99
         CHI   R15,1                 ; CMS says: no such service
         JNE   WRONG
         L     R1,0(,R9)             ; a store on another page
         AHI   R1,1
         ST    R1,0(,R9)
         BRCT  R8,LOOP
DONE     EXIT  RC=0
WRONG    EXIT  RC=99
         DS    0F
         DS    CL4096
COUNT    DC    F'0'
         END   SVCLOOP
