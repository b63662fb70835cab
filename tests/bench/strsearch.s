* strsearch.s -- naive string search: a 64 KiB text of the letters A-D
* from a linear congruential generator (x := x * 1103515245 + 12345,
* letter = A + bits 14-15 of x), searched byte by byte for each of eight
* 6-letter patterns; the occurrences (16+23+24+13+22+15+24+11 = 148,
* computed by a model of the same generator) are counted and checked;
* the whole search runs twice.  About 8 million guest instructions.
* BENCH: naive byte-by-byte search of 8 patterns in a 64 KiB text
         INCLUDE '../arch/lib.s'
         TSTART
SS_LEN   EQU   65536
SS_PLEN  EQU   6
         LI    R6,0x40000              ; the text
* generate the text
         LI    R2,12345                ; x
         LI    R3,1103515245
         LI    R4,SS_LEN
         LHI   R1,0
SSGEN    MSR   R2,R3
         AHI   R2,12345
         LR    R5,R2
         SRL   R5,16
         NHI   R5,3
         AHI   R5,C'A'
         STC   R5,0(R1,R6)
         AHI   R1,1
         CR    R1,R4
         BRC   4,SSGEN
* search each pattern, the whole set twice
         LHI   R10,0                   ; total count
         LHI   R13,2                   ; passes
SSPASS   LA    R11,PATS                ; the current pattern
         LHI   R12,8                   ; patterns left
SSPAT    LI    R9,SS_LEN-SS_PLEN+1     ; positions to try
         LR    R7,R6                   ; text position
         LLC   R8,0(,R11)              ; first pattern byte
SSPOS    LLC   R1,0(,R7)
         CR    R1,R8
         BRC   7,SSNEXT
         LHI   R2,1                    ; compare the rest
SSCMP    LLC   R1,0(R2,R7)
         LLC   R3,0(R2,R11)
         CR    R1,R3
         BRC   7,SSNEXT
         AHI   R2,1
         CHI   R2,SS_PLEN
         BRC   4,SSCMP
         AHI   R10,1                   ; a match
SSNEXT   AHI   R7,1
         BRCT  R9,SSPOS
         AHI   R11,SS_PLEN
         BRCT  R12,SSPAT
         BRCT  R13,SSPASS
         CHECKR R10,2*148,1
         PASS
PATS     DC    C'ABCDAB',C'DDCCBA',C'AAAAAA',C'BADCAB'
         DC    C'CABBAD',C'DCBADC',C'ACDBCA',C'BBBBDA'
         END
