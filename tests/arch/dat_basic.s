* dat_basic.s -- dynamic address translation: segment and page tables
* anchored in CR1, LRA (which translates through CR1 whether or not the
* PSW has DAT on) with its condition codes, and loads and stores with
* PSW_T on going to the mapped page frame.
*   tables: segment table 0x10000, page table 0x11000, identity for
*   pages 0..255; virtual page 0x80 -> frame 0x30, page 0x81 invalid,
*   segment 1 invalid.
* COVERS: LRA dat
         INCLUDE 'lib.s'
         TSTART
         DATIDENT
         LI    R1,0x11000+4*0x80
         LI    R2,0x30000
         ST    R2,0(,R1)               ; page 0x80 -> frame 0x30
         LHI   R2,PTE_INVALID
         ST    R2,4(,R1)               ; page 0x81 invalid
         LI    R2,0x30000
         LI    R3,0xABCD1234
         ST    R3,4(,R2)               ; real 0x30004
         LCTL  1,1,CR1FULL
* LRA with DAT off
         LI    R4,0x80004
         LRA   R1,0(,R4)
         CHECKCC 0,1
         CHECKR R1,0x30004,2
         LI    R4,0x5123
         LRA   R1,0(,R4)
         CHECKCC 0,3
         CHECKR R1,0x5123,4
         LI    R4,0x80FFF
         LRA   R1,0(,R4)
         CHECKCC 0,5
         CHECKR R1,0x30FFF,6
         LI    R4,0x81000
         LRA   R1,0(,R4)
         CHECKCC 2,7                   ; page invalid
         LI    R4,0x400000
         LRA   R1,0(,R4)
         CHECKCC 1,8                   ; segment invalid
         LI    R4,0x100000
         LRA   R1,0(,R4)
         CHECKCC 2,9                   ; page 256: invalid in the table
         LCTL  1,1,CR1STL0
         LI    R4,0x400000
         LRA   R1,0(,R4)
         CHECKCC 3,10                  ; segment index 1 > length 0
         LI    R4,0x80000
         LRA   R1,0(,R4)
         CHECKCC 0,11
         CHECKR R1,0x30000,12
         LCTL  1,1,CR1FULL
* DAT on
         LPSW  DATPSW
DATON    LI    R4,0x80000
         L     R1,4(,R4)
         CHECKR R1,0xABCD1234,13
         LI    R3,0x5A5A5A5A
         ST    R3,8(,R4)               ; virtual 0x80008 = real 0x30008
         L     R1,8(,R4)
         CHECKR R1,0x5A5A5A5A,14
         LRA   R1,8(,R4)               ; LRA with DAT on
         CHECKCC 0,15
         CHECKR R1,0x30008,16
* the real page is also mapped at its own address (identity)
         LI    R2,0x30000
         L     R1,8(,R2)
         CHECKR R1,0x5A5A5A5A,17
* a byte store and MVC through the mapping
         LHI   R5,X'77'
         STC   R5,X'FFF'(,R4)          ; last byte of the page
         LLC   R1,X'FFF'(,R2)
         CHECKR R1,0x77,18
         LA    R1,16(,R4)
         LA    R2,8(,R4)
         LHI   R3,4
         MVC   R1,R2,R3                ; virtual 0x80010 := 0x80008
* operands of privileged instructions are virtual too
         STOSM X'20'(R4),X'00'          ; virtual 0x80020 = real 0x30020
         STCK  X'28'(R4)
         LA    R1,DATON2
         ST    R1,X'34'(,R4)
         LI    R1,PSW_T
         ST    R1,X'30'(,R4)
         LPSW  X'30'(R4)                ; the PSW at virtual 0x80030
         FAIL  19
DATON2   EQU   *
* DAT off again: check real storage
         STNSM SAVEM,X'FB'             ; clear T
         CHECKB SAVEM,PSW_T>>24,20
         LI    R2,0x30000
         L     R1,16(,R2)
         CHECKR R1,0x5A5A5A5A,21
         CHECKB X'20'(R2),PSW_T>>24,22
         L     R1,X'28'(,R2)           ; the TOD clock: high word 0
         L     R1,X'2C'(,R2)
         LTR   R1,R1
         CHECKCC 2,23                  ; low word > 0
         LHI   R1,0                    ; forget the time: the final state
         ST    R1,X'28'(,R2)           ; must not depend on it (vmlab equiv)
         ST    R1,X'2C'(,R2)
         LI    R2,0x80000              ; real 0x80000 untouched
         L     R1,8(,R2)
         CHECKR R1,0,24
* SSM can turn DAT on too
         SSM   MASKT
         LI    R4,0x80000
         L     R1,4(,R4)
         CHECKR R1,0xABCD1234,25
         SSM   MASK0
         L     R1,4(,R4)               ; real 0x80004
         CHECKR R1,0,26
         LCTL  1,1,CR1ZERO
         PASS
DATPSW   PSW   PSW_T,DATON
CR1FULL  DC    A(0x10000+1023)
CR1STL0  DC    A(0x10000)
CR1ZERO  DC    F'0'
SAVEM    DC    X'00'
MASKT    DC    X'04'                   ; PSW_T in the system mask
MASK0    DC    X'00'
         END
