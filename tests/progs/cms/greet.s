* greet.s -- a conversation: ask for a name (RDTERM), answer (WRTERM).
* A name longer than the buffer comes back cut, with return code 8.
         INCLUDE 'cmslib.s'
GREET    BEGIN
         WRTERM ASK,ASKLEN
         RDTERM NAME,NAMELEN
         LR    R5,R0                 ; the length typed
         CHI   R15,8
         JNE   SHORT
         LHI   R5,NAMELEN            ; cut to the buffer
         WRTERM CUT,CUTLEN
SHORT    LA    R2,HELLO+7            ; "Hello, " then the name
         LA    R3,NAME
         MVC   R2,R3,R5
         LA    R5,7(,R5)
         WRTERM HELLO,0(R5)
         EXIT  RC=0
ASK      DC    C'What is your name?'
ASKLEN   EQU   *-ASK
CUT      DC    C'(a long name: the first 20 characters will do)'
CUTLEN   EQU   *-CUT
HELLO    DC    C'Hello, '
         DS    CL20
NAME     DS    CL20
NAMELEN  EQU   *-NAME
         END   GREET
