* noorg.s -- a program written without cmslib.s: it is assembled at
* address 0, where CMS lives, so LOAD refuses it.
NOORG    LHI   R15,0
         BR    R14
         END   NOORG
