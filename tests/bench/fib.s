* fib.s -- recursive Fibonacci: fib(28) = 317811 by the naive doubly
* recursive definition (1,028,457 calls), with a stack of 12-byte frames
* in storage.  Exercises calls and returns (BRAS/BR), compares and
* branches, loads and stores.  About 8.7 million guest instructions.
* BENCH: recursive fib(28), ~1M calls through a storage stack
         INCLUDE '../arch/lib.s'
         TSTART
         LI    R13,0x80000             ; stack top (grows down)
         LHI   R2,28
         BRAS  R14,FIB
         CHECKR R2,317811,1
         LI    R1,0x80000
         CHECKR R13,0x80000,2          ; stack balanced
         PASS
* FIB: R2 := fib(R2).  Uses R13 (stack), R14 (link); saves what it needs.
FIB      CHI   R2,2
         BCR   4,R14                   ; n < 2: fib(n) = n
         AHI   R13,-12
         ST    R14,0(,R13)
         ST    R2,4(,R13)
         AHI   R2,-1
         BRAS  R14,FIB
         ST    R2,8(,R13)              ; fib(n-1)
         L     R2,4(,R13)
         AHI   R2,-2
         BRAS  R14,FIB
         A     R2,8(,R13)              ; + fib(n-2)
         L     R14,0(,R13)
         AHI   R13,12
         BR    R14
         END
