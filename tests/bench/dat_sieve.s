* dat_sieve.s -- the same sieve as sieve.s, with dynamic address
* translation on: identity-mapped segment and page tables for all of
* storage (1 MiB, 256 pages), so every fetch, load and store goes
* through the TLB.  Compare with sieve.s for the cost of DAT.
* BENCH: sieve of Eratosthenes below 200000, 5 rounds, DAT on (identity)
         INCLUDE '../arch/lib.s'
         TSTART
         DATIDENT STO=X'10000',PTO=X'11000'
         LCTL  1,1,CR1
         LPSW  DATPSW
         J     DATON
CR1      DC    A(0x10000)              ; segment-table length 0: segment 0
DATPSW   PSW   PSW_T,DATON
DATON    EQU   *
         INCLUDE 'sieve.inc'
         END
