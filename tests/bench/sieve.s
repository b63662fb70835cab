* sieve.s -- the sieve of Eratosthenes: primes below 200000 (17984 of
* them), five rounds over a 200000-byte flag array; MVC to set the
* flags, a byte-store inner loop to strike multiples, a byte-load loop
* to count.  About 13 million guest instructions.
* BENCH: sieve of Eratosthenes below 200000, 5 rounds, DAT off
         INCLUDE '../arch/lib.s'
         TSTART
         INCLUDE 'sieve.inc'
         END
