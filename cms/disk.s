* cms/disk.s -- CMS's disks beyond A and S: ACCESS, RELEASE, QUERY
* SEARCH and DISKIO, SET DISKIO, ERASE with patterns, and the access of
* a disk itself (ACCESS, ACCREPT), INCLUDEd by cms/cms.s.
*
* A disk is known to CMS by its mode letter, A to Z, and that is also
* the order in which LOOKUP and LISTFILE * search them.  Each accessed
* disk has an active disk table (ADT, cms/cms.s) and, in storage, its
* label, allocation bitmap and directory.  A and S have fixed places
* for those (the nucleus's own tables, sized for the largest disk);
* B..Z get theirs from DISKPOOL, sized from the disk's label:
*
*   A0000  ADTPOOL: 26 ADT slots, one per letter (A and S unused)
*   A0800  POOLBASE: label, bitmap, directory of one disk, the next
*          disk's right after it, ... up to POOLTOP
*   C0000  POOLEND
*
* RELEASE slides the tables above the released disk's down over them
* (and moves those disks' ADT pointers with them), so the pool never
* has holes and a new disk always goes at POOLTOP: the simplest
* allocator that cannot fragment.  A disk whose tables do not fit in
* what is left is refused with a message that says how much it needs.
*
* Code here names its messages and constants with LI (a full address),
* not through R12: this file sits after NUCDATA's 4K window.

* DKTYPE MSG: type the zero-terminated message MSG (anywhere in storage).
         MACRO
&L       DKTYPE &MSG
&L       LI    R2,&MSG
         BRAS  R14,TYPESZR
         MEND

* DKAPPSZ MSG: append the zero-terminated string MSG to the output line.
         MACRO
&L       DKAPPSZ &MSG
&L       LI    R2,&MSG
         BRAS  R14,OAPPSZ
         MEND

* ------------------------------------------------------------------
* DKINIT (at IPL): no disk accessed in B..Z, an empty pool, DIAGNOSE
* I/O.  Storage outside the nucleus is not cleared by IPL, so every
* slot is written.  Changes R0..R3.
DKINIT   LI    R1,ADTPOOL
         LHI   R0,C'A'
DKI1     LA    R2,ZEROS
         LHI   R3,ADT_LEN
         MVC   R1,R2,R3
         STC   R0,ADT_MODE(,R1)
         AHI   R1,ADT_LEN
         AHI   R0,1
         CHI   R0,C'Z'
         JNH   DKI1
         LI    R1,POOLBASE
         ST    R1,POOLTOP
         LHI   R0,0
         ST    R0,DISKIO
         BR    R14

* ------------------------------------------------------------------
* ACCESS cuu mode: make the disk at virtual device cuu (1 to 3 hex
* digits: any minidisk the user has, e.g. one CP LINKed) the disk of
* that mode letter.  A disk already in that mode is replaced (724I);
* the same device in another mode leaves that mode first, because two
* copies of one directory in storage would overwrite each other's
* changes.  A disk CP linked read-only is accessed read-only (723I).
CMDACC   ENTER
         L     R0,NTOK
         CHI   R0,3
         JL    ACINC
         CALL  DKPARSE
         CHI   R15,1
         JE    ACDEV
         LTR   R15,R15
         JNZ   ACMODE
         LI    R8,ADTTMP                  ; look before releasing anything:
         ST    R10,ADT_DEV(,R8)           ; the label and CP's answer, on
         LLC   R0,TOKS+16                 ; a spare ADT
         STC   R0,ADT_MODE(,R8)
         LR    R1,R10
         LA    R2,ADT_CUU(,R8)
         CALL  HEX3
         CALL  ACCHEAD
         LTR   R15,R15
         JZ    ACGO
         CALL  ACCMSG                     ; the disk in that mode stays
         LEAVE
ACGO     CALL  DKSETUP
         LR    R11,R0                     ; the device it replaces, or -1
         CALL  ACCREPT
         LTR   R15,R15
         JNZ   ACDONE
         LTR   R11,R11
         JM    ACNOREP
         CALL  OCLR                       ; "DMSACC724I 291 replaces B (192)"
         DKAPPSZ MSGAC724
         LA    R2,ADT_CUU(,R8)
         LHI   R3,3
         CALL  OAPP
         DKAPPSZ MSGAC72B
         LA    R2,ADT_MODE(,R8)
         LHI   R3,1
         CALL  OAPP
         DKAPPSZ MSGAC72C
         LR    R1,R11
         LA    R2,NUMBUF
         CALL  HEX3
         LA    R2,NUMBUF
         LHI   R3,3
         CALL  OAPP
         LA    R2,MSGRSFX                 ; ")"
         LHI   R3,1
         CALL  OAPP
         CALL  OFLUSH
ACNOREP  LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JZ    ACOK
         LLC   R0,ADT_MODE(,R8)           ; S is read-only by nature
         CHI   R0,C'S'
         JE    ACOK
         CALL  OCLR                       ; "DMSACC723I B (291) R/O"
         DKAPPSZ MSGAC723
         LA    R2,ADT_MODE(,R8)
         LHI   R3,1
         CALL  OAPP
         DKAPPSZ MSGAC72C
         LA    R2,ADT_CUU(,R8)
         LHI   R3,3
         CALL  OAPP
         DKAPPSZ MSGAC72D
         CALL  OFLUSH
ACOK     LHI   R15,0
ACDONE   LEAVE
ACINC    DKTYPE MSGACINC
         LEAVERC 24
ACDEV    DKTYPE MSGACDEV
         LEAVERC 24
ACMODE   DKTYPE MSGACMOD
         LEAVERC 24

* DKPARSE: tokens 2 and 3 of ACCESS and FORMAT: a device number (1 to
* 3 hex digits) and a mode letter.  R10 := the device, R11 := the
* mode's ADT (ADTSLOT); R15 := 0, 1 (a bad device) or 2 (a bad mode).
* Changes R0..R3, R8.
DKPARSE  ENTER
         L     R3,TOKLEN+4
         CHI   R3,3
         JH    DKPDEV
         LA    R2,TOKS+8
         LHI   R10,0
DKPHEX   LLC   R0,0(,R2)
         AHI   R0,-C'0'
         JM    DKPDEV
         CHI   R0,9
         JNH   DKPHEX1
         AHI   R0,-7                      ; 'A'..'F' -> 10..15
         CHI   R0,10
         JL    DKPDEV
         CHI   R0,15
         JH    DKPDEV
DKPHEX1  SLL   R10,4
         OR    R10,R0
         AHI   R2,1
         AHI   R3,-1
         JNZ   DKPHEX
         L     R0,TOKLEN+8
         CHI   R0,1
         JNE   DKPMODE
         LLC   R0,TOKS+16
         CALL  ADTSLOT
         LTR   R11,R8
         JZ    DKPMODE
         LEAVERC 0
DKPDEV   LEAVERC 1
DKPMODE  LEAVERC 2

* DKSETUP: make ADT R11 the slot of device R10 (after DKPARSE): the
* same device in another mode is released there (two copies of one
* directory in storage would overwrite each other's changes), the disk
* now in this mode is released, and ADT_DEV and ADT_CUU name the new
* device.  R8 := R11; R0 := the device it replaces, or -1.  Changes
* R1..R7.
DKSETUP  ENTER
         LHI   R8,0
DKS1     CALL  NEXTADT
         LTR   R8,R8
         JZ    DKS2
         CR    R8,R11
         JE    DKS1
         L     R0,ADT_DEV(,R8)
         CR    R0,R10
         JNE   DKS1
         CALL  RELDISK
DKS2     LR    R8,R11
         LHI   R0,-1
         LLC   R1,ADT_FLAG(,R8)
         NHI   R1,1
         JZ    DKS3
         L     R1,ADT_DEV(,R8)
         CR    R1,R10
         JE    DKS3
         LR    R0,R1
DKS3     LI    R1,DKOLD
         ST    R0,0(,R1)
         CALL  RELDISK
         ST    R10,ADT_DEV(,R8)
         LR    R1,R10
         LA    R2,ADT_CUU(,R8)
         CALL  HEX3
         LHI   R0,C' '
         STC   R0,ADT_CUU+3(,R8)
         LI    R1,DKOLD
         L     R0,0(,R1)
         LEAVE

* DKQUERY: ask CP about device R0 (DIAGNOSE X'018' op 3).  R15 := 0 or
* CP's error (1 no such device, 2 not a disk); R0 := 1 if CP linked it
* read-only, else 0; R1 := its blocks.  Changes R6, R7.
DKQUERY  LA    R6,PLIST
         STH   R0,0(,R6)
         LHI   R0,3
         STH   R0,2(,R6)
         LHI   R7,0
         DIAG  R6,R7,X'018'
         LR    R15,R7
         L     R0,4(,R6)
         L     R1,8(,R6)
         BR    R14

* DKTABLES: storage for the tables of the disk of ADT R8, whose
* ADT_BMN and ADT_DIRN are set: A and S have theirs; B..Z get label,
* bitmap and directory at POOLTOP (taken for good only when ACCESS
* succeeds: until then the next DKTABLES hands out the same place).
* R15 := 0, or 3 if DISKPOOL has no room: R0 := blocks needed, R1 :=
* blocks left.
DKTABLES LHI   R15,0
         LA    R1,ADTA
         CR    R8,R1
         BCR   8,R14
         LA    R1,ADTS
         CR    R8,R1
         BCR   8,R14
         L     R0,ADT_BMN(,R8)            ; label + bitmap + directory
         A     R0,ADT_DIRN(,R8)
         AHI   R0,1
         LI    R1,POOLEND
         S     R1,POOLTOP
         SRL   R1,9                       ; blocks left in the pool
         LHI   R15,3
         CLR   R0,R1
         BCR   2,R14
         L     R1,POOLTOP
         ST    R1,ADT_LBL(,R8)
         AHI   R1,512
         ST    R1,ADT_BM(,R8)
         L     R0,ADT_BMN(,R8)
         SLL   R0,9
         AR    R1,R0
         ST    R1,ADT_DIR(,R8)
         LHI   R15,0
         BR    R14

* DSKTMSG: type "<R2>B(291)<R3>" with the mode and device as typed
* (tokens 3 and 2): for messages before any ADT names the disk.
DSKTMSG  ENTER
         LR    R4,R3
         CALL  OCLR
         CALL  OAPPSZ
         LA    R2,TOKS+16
         LHI   R3,1
         CALL  OAPP
         LA    R2,LPAREN
         LHI   R3,1
         CALL  OAPP
         LA    R2,TOKS+8
         L     R3,TOKLEN+4
         CALL  OAPP
         LA    R2,MSGRSFX                 ; ")"
         LHI   R3,1
         CALL  OAPP
         LR    R2,R4
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVE

* HEX3: the low 12 bits of R1 as 3 hex digits at R2.  Changes R0, R2, R3.
HEX3     LHI   R3,8
HX3LOOP  LR    R0,R1
         SRL   R0,0(R3)
         NHI   R0,15
         AHI   R0,C'0'
         CHI   R0,C'9'
         JNH   HX3ST
         AHI   R0,7                       ; 10..15 -> 'A'..'F'
HX3ST    STC   R0,0(,R2)
         AHI   R2,1
         AHI   R3,-4
         JNM   HX3LOOP
         BR    R14

* ------------------------------------------------------------------
* RELEASE mode (or RELEASE cuu): CMS forgets the disk.  Nothing is
* written: every command that changes a disk writes its metadata
* before it ends.
CMDREL   ENTER
         L     R0,NTOK
         CHI   R0,2
         JL    RLINC
         L     R0,TOKLEN+4
         CHI   R0,1
         JNE   RLCUU
         LLC   R0,TOKS+8
         STC   R0,WANTFM
         CALL  ADTOF
         LTR   R8,R8
         JZ    RLNA
         CALL  RELDISK
         LEAVERC 0
RLCUU    CHI   R0,3                       ; a device number: which mode?
         JNE   RLBAD
         LHI   R8,0
RLCUU1   CALL  NEXTADT
         LTR   R8,R8
         JZ    RLNA3
         LA    R1,TOKS+8
         LA    R2,ADT_CUU(,R8)
         LHI   R3,3
         CLC   R1,R2,R3
         JNE   RLCUU1
         CALL  RELDISK
         LEAVERC 0
RLINC    DKTYPE MSGRLINC
         LEAVERC 24
RLBAD    DKTYPE MSGRLBAD
         LEAVERC 24
RLNA     LI    R2,MSGRLNA
         CALL  NAMSG
         LEAVERC 36
RLNA3    CALL  OCLR                       ; "DMSREL069E Disk 291 not accessed"
         DKAPPSZ MSGRLNA
         LA    R2,TOKS+8
         LHI   R3,3
         CALL  OAPP
         DKAPPSZ MSGNA2
         CALL  OFLUSH
         LEAVERC 36

* RELDISK: the disk of ADT R8 is no longer accessed.  If its tables are
* in DISKPOOL, the tables above them move down over them, the ADTs of
* those disks are told, and POOLTOP comes down.  Changes R0..R7.
RELDISK  LLC   R0,ADT_FLAG(,R8)
         NHI   R0,1
         JZ    RDOFF
         LA    R1,ADTA                    ; A and S keep their own tables
         CR    R8,R1
         JE    RDOFF
         LA    R1,ADTS
         CR    R8,R1
         JE    RDOFF
         L     R5,ADT_LBL(,R8)            ; the hole: R6 bytes at R5
         L     R6,ADT_BMN(,R8)
         A     R6,ADT_DIRN(,R8)
         AHI   R6,1
         SLL   R6,9
         LR    R1,R5
         LR    R2,R5
         AR    R2,R6
         L     R3,POOLTOP
         SR    R3,R2                      ; bytes above the hole
RDMOVE   LTR   R3,R3
         JNP   RDFIX
         LR    R4,R3                      ; (MVC moves at most 4K; moving
         CHI   R4,4096                    ; down, front to back, is safe
         JNH   RDMOVE1                    ; even where they overlap)
         LHI   R4,4096
RDMOVE1  MVC   R1,R2,R4
         AR    R1,R4
         AR    R2,R4
         SR    R3,R4
         J     RDMOVE
RDFIX    L     R0,POOLTOP
         SR    R0,R6
         ST    R0,POOLTOP
         LI    R4,ADTPOOL                 ; every pool disk above the hole
         LHI   R7,26
RDADJ    LLC   R0,ADT_FLAG(,R4)
         NHI   R0,1
         JZ    RDADJ1
         CR    R4,R8
         JE    RDADJ1
         L     R0,ADT_LBL(,R4)
         CLR   R0,R5
         JL    RDADJ1
         SR    R0,R6
         ST    R0,ADT_LBL(,R4)
         L     R0,ADT_BM(,R4)
         SR    R0,R6
         ST    R0,ADT_BM(,R4)
         L     R0,ADT_DIR(,R4)
         SR    R0,R6
         ST    R0,ADT_DIR(,R4)
RDADJ1   AHI   R4,ADT_LEN
         AHI   R7,-1
         JNZ   RDADJ
RDOFF    LHI   R0,0
         STC   R0,ADT_FLAG(,R8)
         BR    R14

* ------------------------------------------------------------------
* ACCREPT: access the disk of ADT R8 (ADT_DEV set), and say why if it
* cannot be.  R15 := 0, or CMS's return code after the message.
* Changes R0..R7, R9.
ACCREPT  ENTER
         CALL  ACCESS
         LTR   R15,R15
         JZ    ARDONE
         CALL  ACCMSG
ARDONE   LEAVE

* ACCMSG: say why ACCESS (code R15, figures R0, R1, R9) failed for the
* disk of ADT R8.  R15 := CMS's return code.  Changes R0..R7.
ACCMSG   ENTER
         LI    R2,ARSAVE                  ; ACCESS's figures for 110S,
         STM   R0,R1,0(R2)                ; and its code (ONUM changes R7)
         ST    R15,8(,R2)
         LR    R7,R15
         CALL  OCLR
         LI    R2,MSGACPFX                ; "DMSACCnnnS Disk "
         LR    R0,R7
         MHI   R0,18                      ; 18 bytes per prefix
         AR    R2,R0
         CALL  OAPPSZ
         CALL  DSKAPP
         LI    R1,ARSUFX                  ; the reason, by R15
         LR    R0,R7
         SLL   R0,2
         AR    R1,R0
         L     R2,0(,R1)
         CALL  OAPPSZ
         CHI   R7,3
         JE    ARBIG
         CHI   R7,4
         JNE   ARSAY
         LR    R1,R9                      ; the damaged entry's number
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         DKAPPSZ MSGACD2
         J     ARSAY
ARBIG    LI    R1,ARSAVE                  ; "needs N blocks, M left"
         L     R1,0(,R1)
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         DKAPPSZ MSGACB2
         LI    R1,ARSAVE
         L     R1,4(,R1)
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         DKAPPSZ MSGACB3
ARSAY    CALL  OFLUSH
         LI    R2,ARSAVE
         LI    R1,ARRC                    ; CMS's return code
         A     R1,8(,R2)
         LLC   R15,0(,R1)
         LEAVE

* ACCESS: read the label of the disk of ADT R8 (device ADT_DEV), check
* it against the layout cms/FORMAT.md requires, find room for its
* tables (DISKPOOL for B..Z), read its bitmap and directory, and check
* every directory entry (record format, LRECL, an extent inside the
* data area, no more bytes than its blocks hold) and then the bitmap
* and the label's counts against the directory (BMCHK), so that a
* damaged disk is refused here, once, rather than tripping up TYPE,
* COPYFILE or ERASE later.  CP tells whether the link is read-only (DIAGNOSE
* X'018' op 3, in either DISKIO mode: it is a question, not I/O).
* R15 := 0, 1 (no such device), 2 (not a CMS disk), 3 (no room in
* DISKPOOL: R0 = blocks needed, R1 = blocks left), 4 (a damaged
* directory: R9 = the entry's number), 5 (an I/O error), 6 (not a
* disk), 7 (an allocation bitmap or label counts that disagree with the
* directory: BMCHK).  Changes R0..R7, R9.
ACCESS   ENTER
         CALL  ACCHEAD
         LTR   R15,R15
         JNZ   ACCFAIL
* Room for the tables: fixed for A and S, from DISKPOOL for the rest.
         CALL  DKTABLES
         LTR   R15,R15
         JNZ   ACCBIG
         J     ACCTBL

* ACCHEAD: the first half of ACCESS, which changes nothing but ADT R8:
* the label (into SCRATCH) checked, its layout into the ADT, CP's
* answer (size, read-only: flag 2).  R15 := 0 or ACCESS's codes 1, 2,
* 5, 6.  Changes R0..R7, R9.  CMDACC runs it on a spare ADT first, so
* that ACCESS of a wrong device leaves the disk in that mode alone.
ACCHEAD  ENTER
         LHI   R0,0
         STC   R0,ADT_FLAG(,R8)
         LHI   R2,1
         LHI   R3,0
         LHI   R4,1
         LI    R5,SCRATCH
         CALL  BLKIO
         LTR   R15,R15
         JNZ   AHIOE0
         LI    R9,SCRATCH
         LA    R1,MAGIC
         LHI   R3,8
         CLC   R9,R1,R3
         JNE   AHBAD
         L     R0,LB_VER(,R9)
         CHI   R0,1
         JNE   AHBAD
         L     R0,LB_BLKS(,R9)
         ST    R0,ADT_BLKS(,R8)
         L     R0,LB_BMS(,R9)
         CHI   R0,1
         JNE   AHBAD
         ST    R0,ADT_BMS(,R8)
         L     R1,LB_BMN(,R9)             ; 1..16 bitmap blocks
         LTR   R1,R1
         JZ    AHBAD
         CLHI  R1,16
         JH    AHBAD
         ST    R1,ADT_BMN(,R8)
         L     R2,LB_DIRN(,R9)            ; 1..64 directory blocks
         LTR   R2,R2
         JZ    AHBAD
         CLHI  R2,64
         JH    AHBAD
         ST    R2,ADT_DIRN(,R8)
         LA    R3,1(,R1)                  ; the directory follows the bitmap
         L     R0,LB_DIRS(,R9)
         CR    R0,R3
         JNE   AHBAD
         ST    R0,ADT_DIRS(,R8)
         AR    R3,R2                      ; and the data the directory
         L     R0,LB_DATA(,R9)
         CR    R0,R3
         JNE   AHBAD
         ST    R0,ADT_DATA(,R8)
         CL    R3,ADT_BLKS(,R8)
         JNL   AHBAD
         SLL   R1,12                      ; 4096 blocks per bitmap block
         CL    R1,ADT_BLKS(,R8)
         JL    AHBAD
* Ask CP how big the minidisk is and whether it is read-only.
         L     R0,ADT_DEV(,R8)
         CALL  DKQUERY
         LTR   R15,R15
         JNZ   AHIOE
         CL    R1,ADT_BLKS(,R8)           ; the label cannot claim more
         JL    AHBAD                     ; blocks than the disk has
         SLL   R0,1                       ; read-only: flag 2 (the disk
         STC   R0,ADT_FLAG(,R8)           ; is not accessed yet)
         LEAVERC 0
AHIOE0   CHI   R15,1                      ; the first read says what
         JE    AHNODEV                    ; is wrong with the device
         CHI   R15,2
         JE    AHNDISK
AHIOE    LEAVERC 5
AHNODEV  LEAVERC 1
AHNDISK  LEAVERC 6
AHBAD    LEAVERC 2

ACCTBL   L     R1,ADT_LBL(,R8)            ; the label to its place
         LI    R2,SCRATCH
         LHI   R3,512
         MVC   R1,R2,R3
         LHI   R2,1
         L     R3,ADT_BMS(,R8)
         L     R4,ADT_BMN(,R8)
         L     R5,ADT_BM(,R8)
         CALL  BLKIO
         LTR   R15,R15
         JNZ   ACCIOE
         LHI   R2,1
         L     R3,ADT_DIRS(,R8)
         L     R4,ADT_DIRN(,R8)
         L     R5,ADT_DIR(,R8)
         CALL  BLKIO
         LTR   R15,R15
         JNZ   ACCIOE
* Every entry in use must describe a file CMS can read.
         L     R9,ADT_DIR(,R8)
         L     R4,ADT_DIRN(,R8)
         SLL   R4,3                       ; 8 entries per block
ACCENT   LLC   R0,0(,R9)
         LTR   R0,R0
         JZ    ACCENT1                    ; a free entry
         LLC   R0,FST_RECF(,R9)
         CHI   R0,C'F'
         JE    ACCENT2
         CHI   R0,C'V'
         JNE   ACCDMG
ACCENT2  L     R0,FST_LREC(,R9)
         LTR   R0,R0
         JZ    ACCDMG
         CLHI  R0,X'FFFF'
         JH    ACCDMG
         CALL  CHKEXT
         LTR   R15,R15
         JNZ   ACCDMG
         L     R0,FST_NBLK(,R9)
         SLL   R0,9
         L     R1,FST_BYTE(,R9)
         CLR   R1,R0
         JH    ACCDMG
ACCENT1  AHI   R9,FST_LEN
         AHI   R4,-1
         JNZ   ACCENT
* And the allocation bitmap must be the one the directory implies.
         CALL  BMCHK
         LTR   R15,R15
         JNZ   ACCMAP
* Accessed: the pool space is taken now, and not before.
         LA    R1,ADTA
         CR    R8,R1
         JE    ACCOK
         LA    R1,ADTS
         CR    R8,R1
         JE    ACCOK
         L     R0,ADT_BMN(,R8)
         A     R0,ADT_DIRN(,R8)
         AHI   R0,1
         SLL   R0,9
         A     R0,POOLTOP
         ST    R0,POOLTOP
ACCOK    LLC   R0,ADT_FLAG(,R8)
         OHI   R0,1
         LLC   R1,ADT_MODE(,R8)
         CHI   R1,C'S'                    ; the system disk is read-only
         JNE   ACCOK1
         OHI   R0,2
ACCOK1   STC   R0,ADT_FLAG(,R8)
         LEAVERC 0
ACCFAIL  LHI   R0,0                       ; (R15: ACCHEAD's code)
         STC   R0,ADT_FLAG(,R8)
         LEAVE
ACCIOE   LHI   R0,0
         STC   R0,ADT_FLAG(,R8)
         LEAVERC 5
ACCBIG   LHI   R15,0                      ; (R0, R1: DKTABLES's figures)
         STC   R15,ADT_FLAG(,R8)
         LEAVERC 3
ACCMAP   LHI   R0,0
         STC   R0,ADT_FLAG(,R8)
         LEAVERC 7
ACCDMG   L     R1,ADT_DIR(,R8)            ; R9 := the entry's number
         SR    R9,R1
         SRL   R9,6
         AHI   R9,1
         LHI   R0,0
         STC   R0,ADT_FLAG(,R8)
         LEAVERC 4

* BMCHK: is the allocation bitmap of disk R8 exactly the one its
* directory implies -- the label, bitmap and directory blocks and every
* file's extent, no block in two files, nothing else in use (bits past
* the end of the disk 0) -- and does the label count those blocks
* (LB_USED) and files (LB_FILES)?  FINDRUN and FREEFILE trust the
* bitmap: one that claims free blocks are in use makes COPYFILE say
* the disk is full while QUERY DISK shows room; one that claims used
* blocks are free lets a new file overwrite an old one.  So a disk that
* disagrees is refused at ACCESS, like a damaged directory.
* The bitmap the directory implies is built in FILEBUF (free between
* commands, and ACCESS is a command of its own or IPL; 16 blocks, 8K,
* at most) and compared with the one read.  ACCESS has already checked
* that every extent lies inside the data area (CHKEXT).
* R15 := 0, or 1 if they disagree.  Changes R0..R7, R9.
BMCHK    ENTER
         LI    R1,BMSAVE
         STM   R10,R11,0(R1)
         LI    R1,FILEBUF
         L     R3,ADT_BMN(,R8)
         SLL   R3,9
         CALL  ZERO
         LI    R5,FILEBUF
         LHI   R3,0                       ; the label, bitmap, directory
         L     R4,ADT_DATA(,R8)
         LR    R7,R4                      ; R7: blocks in use so far
         CALL  BMRUN
         LHI   R11,0                      ; R11: files so far
         L     R9,ADT_DIR(,R8)
         L     R10,ADT_DIRN(,R8)
         SLL   R10,9
         AR    R10,R9                     ; R10: the end of the directory
BMCENT   LLC   R0,0(,R9)
         LTR   R0,R0
         JZ    BMCENT1                    ; a free entry
         AHI   R11,1
         L     R3,FST_FRST(,R9)
         L     R4,FST_NBLK(,R9)
         AR    R7,R4
         CALL  BMRUN
         LTR   R15,R15
         JNZ   BMCBAD                     ; a block in two files
BMCENT1  AHI   R9,FST_LEN
         CR    R9,R10
         JL    BMCENT
         L     R1,ADT_LBL(,R8)            ; the label's counts
         C     R7,LB_USED(,R1)
         JNE   BMCBAD
         C     R11,LB_FILES(,R1)
         JNE   BMCBAD
         LI    R1,FILEBUF                 ; and the bitmap itself
         L     R2,ADT_BM(,R8)
         L     R4,ADT_BMN(,R8)
         SLL   R4,9
BMCCMP   LR    R3,R4                      ; (CLC compares at most 4K)
         CHI   R3,4096
         JNH   BMCCMP1
         LHI   R3,4096
BMCCMP1  CLC   R1,R2,R3
         JNE   BMCBAD
         AR    R1,R3
         AR    R2,R3
         SR    R4,R3
         JP    BMCCMP
         LHI   R15,0
         J     BMCDONE
BMCBAD   LHI   R15,1
BMCDONE  LI    R1,BMSAVE
         LM    R10,R11,0(R1)
         LEAVE

* BMRUN: mark R4 blocks from block R3 in use in the bitmap at R5: bit
* by bit to a byte boundary, then a whole byte (eight blocks) at a
* step, then bit by bit again.  IPL checks the A and S disks, so this
* is kept short: a one-block file costs 18 steps.  R15 := 1 if one of
* them was marked already (a block in two files), else 0.  Changes
* R0..R4, R6.
BMRUN    LHI   R15,0
         LTR   R4,R4
         BCR   8,R14                      ; an empty file has no blocks
         LR    R1,R3
         SRL   R1,3
         AR    R1,R5                      ; R1: the byte of block R3
         LLC   R0,0(,R1)
         NHI   R3,7
         LHI   R6,X'80'
         SRL   R6,0(R3)                   ; R6: its bit
BRBIT    LR    R2,R0
         NR    R2,R6
         JNZ   BRTWICE
         OR    R0,R6
         AHI   R4,-1
         JZ    BRLAST
         SRA   R6,1                       ; the next block's bit (SRA sets the CC)
         JNZ   BRBIT
         STC   R0,0(,R1)                  ; the byte is done
         AHI   R1,1
BRBYTE   LTR   R4,R4
         BCR   8,R14
         CHI   R4,8
         JL    BRPART
         LLC   R0,0(,R1)                  ; eight blocks at once
         LTR   R0,R0
         JNZ   BRTWICE
         LHI   R0,X'FF'
         STC   R0,0(,R1)
         AHI   R1,1
         AHI   R4,-8
         J     BRBYTE
BRPART   LLC   R0,0(,R1)                  ; fewer than eight left
         LHI   R6,X'80'
         J     BRBIT
BRLAST   STC   R0,0(,R1)
         BR    R14
BRTWICE  LHI   R15,1
         BR    R14

* DSKAPP: append "B(291)", the mode and device of ADT R8, to the
* output line.  DSKAPP0 appends "B(291" only, for messages whose next
* part begins with the ")".  Changes R0..R7.
DSKAPP   ENTER
         CALL  DSKAPP0
         LA    R2,MSGRSFX                 ; ")"
         LHI   R3,1
         CALL  OAPP
         LEAVE
DSKAPP0  ENTER
         LA    R2,ADT_MODE(,R8)
         LHI   R3,1
         CALL  OAPP
         LA    R2,LPAREN
         LHI   R3,1
         CALL  OAPP
         LA    R2,ADT_CUU(,R8)
         LHI   R3,3
         CALL  OAPP
         LEAVE

* DSKMSG: type "<R2><disk R8><R3>" (zero-terminated prefix and suffix),
* e.g. "DMSCPY105S Disk " "B(291)" " is full".  Changes R0..R7.
DSKMSG   ENTER
         LR    R4,R3
         CALL  OCLR
         CALL  OAPPSZ
         CALL  DSKAPP
         LR    R2,R4
         CALL  OAPPSZ
         CALL  OFLUSH
         LEAVE

* ROMSG: type "<R2>B(291) is read/only" for the disk of ADT R8.
ROMSG    LI    R3,MSGRO2
         J     DSKMSG

* NAMSG: type "<R2>X not accessed", X the letter in WANTFM.
NAMSG    ENTER
         CALL  OCLR
         CALL  OAPPSZ
         LA    R2,WANTFM
         LHI   R3,1
         CALL  OAPP
         DKAPPSZ MSGNA2
         CALL  OFLUSH
         LEAVE

* ------------------------------------------------------------------
* QUERY SEARCH: the disks in the order LOOKUP searches them.
* QUERY DISKIO: how BLKIO does disk I/O.  Called by CMDQUERY for any
* QUERY it does not know itself: R15 := -1 if this is not one either.
QDISKX   ENTER
         LA    R1,TOKS+8
         LI    R2,WSEARCH
         LHI   R3,8
         CLC   R1,R2,R3
         JE    QSEARCH
         LI    R2,WDISKIO
         CLC   R1,R2,R3
         JE    QDIO
         LEAVERC -1
QSEARCH  LHI   R8,0
QSNEXT   CALL  NEXTADT
         LTR   R8,R8
         JZ    QSEND
         CALL  OCLR                       ; "ALC191 191 A   R/W"
         L     R2,ADT_LBL(,R8)
         LA    R2,12(,R2)
         LHI   R3,6
         CALL  OAPP
         LA    R2,BLANKS
         LHI   R3,1
         CALL  OAPP
         LA    R2,ADT_CUU(,R8)
         LHI   R3,4
         CALL  OAPP
         LA    R2,ADT_MODE(,R8)
         LHI   R3,1
         CALL  OAPP
         LA    R2,MSGRW
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JZ    QSRW
         LA    R2,MSGRO
QSRW     CALL  OAPPSZ
         CALL  OFLUSH
         J     QSNEXT
QSEND    LEAVERC 0
QDIO     LI    R2,MSGQDIAG
         L     R0,DISKIO
         LTR   R0,R0
         JZ    QDIO1
         LI    R2,MSGQSIO
QDIO1    CALL  TYPESZR
         LEAVERC 0

* SET DISKIO SIO|DIAG: how BLKIO does disk I/O from now on (a lesson
* runs the same command both ways and counts CP's exits).
CMDSET   ENTER
         L     R0,NTOK
         CHI   R0,3
         JL    SETBAD
         LA    R1,TOKS+8
         LI    R2,WDISKIO
         LHI   R3,8
         CLC   R1,R2,R3
         JNE   SETBAD
         LA    R1,TOKS+16
         LI    R2,WSIO
         CLC   R1,R2,R3
         LHI   R0,1
         JE    SETDIO
         LI    R2,WDIAG
         CLC   R1,R2,R3
         LHI   R0,0
         JNE   SETDIOB
SETDIO   ST    R0,DISKIO
         LEAVERC 0
SETBAD   DKTYPE MSGSETOP
         LEAVERC 24
SETDIOB  DKTYPE MSGSETDI
         LEAVERC 24

* ------------------------------------------------------------------
* ERASE fn ft [fm]: free a file's blocks, clear its directory entry,
* and write back the directory, the bitmap and last the label: a
* crash in between leaves a disk that `vmlab disk list` refuses rather
* than one that silently lies.  fm defaults to A.  With a pattern (*
* alone or at the end, as LISTFILE: ERASE * EXEC A, ERASE PROF* * A)
* every matching file on that one disk goes, and one line says how
* many; a pattern needs a mode letter, not *.
CMDERASE ENTER
         L     R0,NTOK
         CHI   R0,3
         JL    ERINC
         LHI   R0,C'A'
         L     R1,NTOK
         CHI   R1,4
         JL    ERFM
         LLC   R0,TOKS+24
ERFM     STC   R0,WANTFM
         LA    R1,TOKS+8                  ; a pattern: any '*' in fn ft
         LHI   R3,16
         LHI   R10,0
ERSCAN   LLC   R0,0(,R1)
         CHI   R0,C'*'
         JNE   ERSCAN1
         LHI   R10,1
ERSCAN1  AHI   R1,1
         AHI   R3,-1
         JNZ   ERSCAN
         LLC   R0,WANTFM
         CHI   R0,C'*'
         JE    ERANY
         CALL  ADTOF
         LTR   R8,R8
         JZ    ERNA
         LLC   R0,ADT_FLAG(,R8)
         NHI   R0,2
         JNZ   ERRO
         LTR   R10,R10
         JNZ   ERPAT
ERONE    LA    R2,TOKS+8
         CALL  LOOKUP
         LTR   R9,R9
         JZ    ERNF
         LLC   R0,ADT_FLAG(,R8)           ; (found on any disk: fm *)
         NHI   R0,2
         JNZ   ERRO
         CALL  CHKEXT
         LTR   R15,R15
         JNZ   ERIOE
         CALL  FREEFILE
         CALL  WRMETA
         LTR   R15,R15
         JNZ   ERIOE
         LEAVERC 0
ERANY    LTR   R10,R10                    ; fm *: one named file only
         JZ    ERONE
         DKTYPE MSGESTAR
         LEAVERC 24
* The pattern: every matching entry of disk R8 is freed in storage,
* then the metadata is written once.
ERPAT    LA    R1,PATFN
         LA    R2,TOKS+8
         LHI   R3,16
         MVC   R1,R2,R3
         L     R9,ADT_DIR(,R8)
         L     R10,ADT_DIRN(,R8)
         SLL   R10,3
         LHI   R11,0                      ; files erased
ERPLOOP  LLC   R0,0(,R9)
         LTR   R0,R0
         JZ    ERPNEXT
         LA    R4,PATFN
         LR    R5,R9
         CALL  MATCH8
         JNE   ERPNEXT
         LA    R4,PATFT
         LA    R5,FST_FT(,R9)
         CALL  MATCH8
         JNE   ERPNEXT
         CALL  CHKEXT
         LTR   R15,R15
         JNZ   ERPNEXT                    ; (ACCESS refuses such entries)
         CALL  FREEFILE
         AHI   R11,1
ERPNEXT  AHI   R9,FST_LEN
         AHI   R10,-1
         JNZ   ERPLOOP
         LTR   R11,R11
         JZ    ERNF
         CALL  WRMETA
         LTR   R15,R15
         JNZ   ERIOE
         CALL  OCLR                       ; "DMSERS731I 3 files erased from A(191)"
         DKAPPSZ MSGE731
         LR    R1,R11
         LHI   R3,1
         LHI   R0,C' '
         CALL  ONUM
         LI    R2,MSGE731F
         CHI   R11,1
         JE    ERP1
         LI    R2,MSGE731S
ERP1     CALL  OAPPSZ
         CALL  DSKAPP
         CALL  OFLUSH
         LEAVERC 0
ERINC    DKTYPE MSGEINC
         LEAVERC 24
ERNA     LI    R2,MSGENA
         CALL  NAMSG
         LEAVERC 36
ERRO     LI    R2,MSGERO
         CALL  ROMSG
         LEAVERC 36
ERNF     LI    R2,MSGENF
         CALL  NFMSG
         LEAVERC 28
ERIOE    TYPESZ MSGEIOE
         LEAVERC 100

* ------------------------------------------------------------------
* This file's data: reached with LI, never through R12.
ARSAVE   DS    3F
BMSAVE   DS    2F                         ; BMCHK's R10, R11
ADTTMP   DS    CL(ADT_LEN)                ; CMDACC's look before it leaps
DKOLD    DS    F
* ACCREPT's messages by ACCESS's code 1..6: a prefix (18 bytes each,
* code 0 unused), the reason, and CMS's return code.
MSGACPFX DC    CL18' '
         DC    C'DMSACC113S Disk ',X'00',X'00'
         DC    C'DMSACC113S Disk ',X'00',X'00'
         DC    C'DMSACC110S Disk ',X'00',X'00'
         DC    C'DMSACC114S Disk ',X'00',X'00'
         DC    C'DMSACC112S Disk ',X'00',X'00'
         DC    C'DMSACC112S Disk ',X'00',X'00'
         DC    C'DMSACC114S Disk ',X'00',X'00'
ARSUFX   DC    A(0,MSGACNA,MSGABAD,MSGACB1,MSGACD1,MSGAIOE,MSGACND,MSGACM1)
ARRC     DC    X'0064656865646465'           ; 100, 101, 104, 101, 100, 100, 101
MSGACNA  DC    C' not attached; CP LINK or DEFINE a disk there first',X'00'
MSGABAD  DC    C' is not a CMS disk (vmlab disk format makes one)',X'00'
MSGACB1  DC    C' does not fit in storage: its tables need ',X'00'
MSGACB2  DC    C' blocks, DISKPOOL has ',X'00'
MSGACB3  DC    C' left; RELEASE a disk first',X'00'
MSGACD1  DC    C' has a damaged directory: entry ',X'00'
MSGACD2  DC    C' is not a file CMS can read; not accessed',X'00'
MSGACM1  DC    C' has an allocation map that disagrees with its directory; not accessed (vmlab disk list on the host gives details)',X'00'
MSGAIOE  DC    C' device error',X'00'
MSGACND  DC    C' is not a disk',X'00'
MSGAC723 DC    C'DMSACC723I ',X'00'
MSGAC724 DC    C'DMSACC724I ',X'00'
MSGAC72B DC    C' replaces ',X'00'
MSGAC72C DC    C' (',X'00'
MSGAC72D DC    C') R/O',X'00'
MSGACINC DC    C'DMSACC054E Incomplete operands: ACCESS cuu mode',X'00'
MSGACDEV DC    C'DMSACC017E Invalid device address: 1 to 3 hex digits, e.g. 191',X'00'
MSGACMOD DC    C'DMSACC048E Invalid mode: one letter A to Z',X'00'
MSGRLINC DC    C'DMSREL054E Incomplete operands: RELEASE mode (or cuu)',X'00'
MSGRLBAD DC    C'DMSREL048E Invalid mode: one letter A to Z, or a device like 191',X'00'
MSGRLNA  DC    C'DMSREL069E Disk ',X'00'
MSGNA2   DC    C' not accessed',X'00'
MSGRO2   DC    C' is read/only',X'00'
WSEARCH  DC    CL8'SEARCH'
WDISKIO  DC    CL8'DISKIO'
WSIO     DC    CL8'SIO'
WDIAG    DC    CL8'DIAG'
MSGQDIAG DC    C'DISKIO = DIAG (DIAGNOSE X''018'': one trap to CP per request)',X'00'
MSGQSIO  DC    C'DISKIO = SIO (channel programs: SIO, then wait for the I/O interruption)',X'00'
MSGSETOP DC    C'DMSSET003E Invalid option; this CMS knows SET DISKIO SIO|DIAG',X'00'
MSGSETDI DC    C'DMSSET026E Invalid parameter for DISKIO: SIO or DIAG',X'00'
MSGEINC  DC    C'DMSERS054E Incomplete fileid specified',X'00'
MSGENF   DC    C'DMSERS002E File ',X'00'
MSGENA   DC    C'DMSERS069E Disk ',X'00'
MSGERO   DC    C'DMSERS037E Disk ',X'00'
MSGESTAR DC    C'DMSERS048E Invalid mode *: a pattern erases on one disk; name it',X'00'
MSGE731  DC    C'DMSERS731I ',X'00'
MSGE731F DC    C' file erased from ',X'00'
MSGE731S DC    C' files erased from ',X'00'
MSGRRO   DC    C'DMSRNM037E Disk ',X'00'
MSGRMODE DC    C'DMSRNM048E Invalid mode: RENAME keeps a file on its disk',X'00'
MSGCDF   DC    C'DMSCPY105S Disk ',X'00'
MSGCDF2  DC    C' directory is full',X'00'
MSGCFUL2 DC    C' is full',X'00'
MSGCNOA  DC    C'DMSCPY069E Disk ',X'00'
MSGCRO   DC    C'DMSCPY037E Disk ',X'00'
MSGFNA   DC    C'DMSFOR113S Disk ',X'00'
MSGFRO   DC    C'DMSFOR037E Disk ',X'00'
MSGFBIG  DC    C' does not fit in storage; RELEASE a disk first',X'00'
         ALIGN 4
