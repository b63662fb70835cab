* priv.s -- a program that tries to take over the machine: SSM is
* privileged, and a program runs in problem state, so it is a program
* check (privileged operation), not a way into CMS's supervisor state.
         INCLUDE 'cmslib.s'
PRIV     BEGIN
         WRTERM MSG1,MSG1LEN
         SSM   MASK                  ; enable interruptions: privileged
         WRTERM MSG2,MSG2LEN         ; never reached
         EXIT  RC=0
MASK     DC    X'07'
MSG1     DC    C'PRIV: about to issue SSM'
MSG1LEN  EQU   *-MSG1
MSG2     DC    C'PRIV: SSM worked -- CMS is not protected!'
MSG2LEN  EQU   *-MSG2
         END   PRIV
