* compare.s -- CR C CHI (signed) and CLR CL CLHI (unsigned).  CC 0
* equal, 1 first operand low, 2 first operand high; operands unchanged.
* CHI sign-extends its immediate, CLHI zero-extends it.
* COVERS: CR CLR C CL CHI CLHI
         INCLUDE 'lib.s'
         TSTART
         LHI   R1,-1
         LHI   R2,1
         CR    R1,R2
         CHECKCC 1,1
         CLR   R1,R2
         CHECKCC 2,2
         CR    R2,R1
         CHECKCC 2,3
         CLR   R2,R1
         CHECKCC 1,4
         CR    R1,R1
         CHECKCC 0,5
         CLR   R2,R2
         CHECKCC 0,6
         CHECKR R1,-1,7
         CHECKR R2,1,8
         LI    R1,0x80000000
         LI    R2,0x7FFFFFFF
         CR    R1,R2
         CHECKCC 1,9
         CLR   R1,R2
         CHECKCC 2,10
* C, CL
         LHI   R1,-1
         C     R1,WM1
         CHECKCC 0,11
         C     R1,W1
         CHECKCC 1,12
         CL    R1,W1
         CHECKCC 2,13
         CL    R1,WM1
         CHECKCC 0,14
         LHI   R1,2
         C     R1,W1
         CHECKCC 2,15
         CL    R1,WM1
         CHECKCC 1,16
* CHI: sign-extended
         LHI   R1,-1
         CHI   R1,-1
         CHECKCC 0,17
         CHI   R1,X'FFFF'              ; also -1
         CHECKCC 0,18
         CHI   R1,0
         CHECKCC 1,19
         LHI   R1,-32768
         CHI   R1,-32767
         CHECKCC 1,20
         LI    R1,0x00008000
         CHI   R1,-32768
         CHECKCC 2,21
* CLHI: zero-extended
         LI    R1,0x0000FFFF
         CLHI  R1,X'FFFF'
         CHECKCC 0,22
         LHI   R1,-1                   ; 0xFFFFFFFF
         CLHI  R1,X'FFFF'
         CHECKCC 2,23
         LHI   R1,5
         CLHI  R1,X'8000'
         CHECKCC 1,24
         LHI   R1,0
         CLHI  R1,0
         CHECKCC 0,25
         PASS
         ALIGN 4
WM1      DC    F'-1'
W1       DC    F'1'
         END
