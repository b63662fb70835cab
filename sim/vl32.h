/*
 * sim/vl32.h -- the architected constants of the VL32 machine.
 *
 * Everything a VL32 program can observe that is not an instruction lives
 * here: the PSW layout, the fixed low-storage locations of the interruption
 * scheme, interruption codes, control-register bits, the DAT table formats,
 * and the channel (CCW, CSW) formats.  The assembler predefines the same
 * names for programs (see sim/ASM.md), and sim/ISA.md documents them.
 *
 * VL32 is big-endian; storage addresses are 32 bits, bytes are 8 bits.
 */
#ifndef VL32_H
#define VL32_H

#include <stdint.h>

/*
 * The PSW: two words.  Word 0 holds masks, state bits and the condition
 * code; word 1 is the instruction address.  Bit numbers in comments count
 * from the most significant bit (bit 0), as in the S/370 Principles.
 *
 *   word 0:  0    5 6 7  8   13 14 15  16 18 19 20  23 24     31
 *           |00000|T|I|E|00000|M |W |P |00| CC |F 000|00000000|
 *
 *   T  DAT (translation) on          I  I/O interruptions enabled
 *   E  external interruptions enabled  M  machine checks enabled
 *   W  wait state                    P  problem state (1) / supervisor (0)
 *   CC condition code                F  fixed-point-overflow mask
 *
 * The first byte (bits 0-7) is the "system mask" that SSM, STNSM and
 * STOSM address.  Bits shown as 0 must be zero: LPSW of a PSW with any of
 * them set, or with an instruction address that is not a multiple of 4,
 * is a specification exception.
 */
#define PSW_T          0x04000000u
#define PSW_IO         0x02000000u
#define PSW_EXT        0x01000000u
#define PSW_SYSMASK    0x07000000u /* the settable bits of the system mask */
#define PSW_MCK        0x00040000u
#define PSW_WAIT       0x00020000u
#define PSW_PROBLEM    0x00010000u
#define PSW_CC_SHIFT   12
#define PSW_CC_MASK    0x00003000u
#define PSW_FPO        0x00000800u /* fixed-point-overflow exception enabled */
#define PSW_VALID_BITS (PSW_SYSMASK | PSW_MCK | PSW_WAIT | PSW_PROBLEM | \
                        PSW_CC_MASK | PSW_FPO)

/*
 * Low storage (real addresses 0..0x1FF).  An interruption stores the
 * current PSW as the "old PSW" of its class and loads the class's "new
 * PSW"; the interruption code goes into its word beside them.
 *
 *   0x000  restart new PSW (the IPL PSW)   0x008  restart old PSW
 *   0x018  external old PSW                0x058  external new PSW
 *   0x020  SVC old PSW                     0x060  SVC new PSW
 *   0x028  program old PSW                 0x068  program new PSW
 *   0x030  machine-check old PSW           0x070  machine-check new PSW
 *   0x038  I/O old PSW                     0x078  I/O new PSW
 *   0x040  CSW (channel status word, 8 bytes)
 *   0x048  CAW (channel address word: address of the first CCW)
 *   0x080  external interruption code      0x084  SVC interruption code
 *   0x088  program interruption code       0x08C  translation-exception address
 *   0x090  I/O interruption: device address
 *   0x094  program interruption: instruction word that caused it
 *   0x200  first byte free for programs
 */
#define LC_RESTART_NEW 0x000u
#define LC_RESTART_OLD 0x008u
#define LC_EXT_OLD     0x018u
#define LC_SVC_OLD     0x020u
#define LC_PGM_OLD     0x028u
#define LC_MCK_OLD     0x030u
#define LC_IO_OLD      0x038u
#define LC_CSW         0x040u
#define LC_CAW         0x048u
#define LC_EXT_NEW     0x058u
#define LC_SVC_NEW     0x060u
#define LC_PGM_NEW     0x068u
#define LC_MCK_NEW     0x070u
#define LC_IO_NEW      0x078u
#define LC_EXT_CODE    0x080u
#define LC_SVC_CODE    0x084u
#define LC_PGM_CODE    0x088u
#define LC_TRANS_ADDR  0x08Cu
#define LC_IO_ADDR     0x090u
#define LC_PGM_INSN    0x094u
#define LC_FREE        0x200u

/*
 * Program interruption codes (the S/370 numbering).  "Nullifying"
 * exceptions leave the old PSW pointing AT the instruction so that it can
 * be retried once the cause is fixed (a page brought in); all others leave
 * it pointing at the next instruction.
 */
enum vl32_pgm_code {
	PGM_OPERATION     = 0x01, /* undefined opcode */
	PGM_PRIVILEGED    = 0x02, /* privileged instruction in problem state */
	PGM_PROTECTION    = 0x04, /* store into a page-protected page */
	PGM_ADDRESSING    = 0x05, /* real address beyond the end of storage */
	PGM_SPECIFICATION = 0x06, /* misaligned operand, bad PSW, odd pair... */
	PGM_FIXED_OVERFLOW = 0x08,
	PGM_FIXED_DIVIDE  = 0x09,
	PGM_SEGMENT_TRANS = 0x10, /* nullifying */
	PGM_PAGE_TRANS    = 0x11, /* nullifying */
	PGM_TRANS_SPEC    = 0x12, /* malformed segment- or page-table entry */
};

/* External interruption codes. */
enum vl32_ext_code {
	EXT_INTERRUPT_KEY = 0x0040, /* the operator's attention / interrupt key */
	EXT_CLOCK_COMP    = 0x1004,
	EXT_CPU_TIMER     = 0x1005,
};

/*
 * Control registers.  CR0 holds the external-interruption subclass masks;
 * CR1 anchors translation.  The others are reserved (loadable, no effect).
 *
 *   CR0: bit 20 (0x800) clock comparator, bit 21 (0x400) CPU timer,
 *        bit 25 (0x40) interrupt key.
 *   CR1: bits 0-19 segment-table origin (4 KiB aligned),
 *        bits 22-31 segment-table length: the highest valid segment index.
 */
#define CR0_CKC_MASK    0x00000800u
#define CR0_TIMER_MASK  0x00000400u
#define CR0_KEY_MASK    0x00000040u
#define CR1_STO_MASK    0xFFFFF000u
#define CR1_STL_MASK    0x000003FFu

/*
 * Dynamic address translation.  A 32-bit virtual address splits as
 *
 *    0          9 10         19 20          31
 *   | segment idx | page index  | byte in page |
 *
 * The segment table (1024 words at the CR1 origin) gives, for each
 * segment, the origin of a page table (1024 words); each page-table entry
 * gives a 4 KiB page frame.  Entry formats (all other bits must be zero,
 * else translation-specification exception):
 *
 *   segment-table entry: | page-table origin (20) | 0...0 | I |
 *   page-table entry:    | page-frame address (20)| 0..0 | P | I |
 *
 *   I  invalid (segment- or page-translation exception)
 *   P  page protected: a store is a protection exception
 *
 * The CPU may keep translations in a TLB.  Only PTLB and LCTL (of any
 * control register) purge it; switching DAT off and on does not.  So a
 * table change takes effect for certain after a purge, and before one
 * the old translation or the new may be used.  An invalid entry is never
 * kept: making an entry valid needs no purge.  (CP's shadow tables keep
 * the same rules: trap/shadow.c.)
 */
#define VL32_PAGE_SHIFT 12
#define VL32_PAGE_SIZE  4096u
#define VL32_PAGE_MASK  0xFFFFF000u
#define DAT_SX(va)      ((va) >> 22)
#define DAT_PX(va)      (((va) >> 12) & 0x3FFu)
#define STE_PTO_MASK    0xFFFFF000u
#define STE_INVALID     0x00000001u
#define STE_VALID_BITS  (STE_PTO_MASK | STE_INVALID)
#define PTE_PFRA_MASK   0xFFFFF000u
#define PTE_INVALID     0x00000001u
#define PTE_PROTECT     0x00000002u
#define PTE_VALID_BITS  (PTE_PFRA_MASK | PTE_PROTECT | PTE_INVALID)

/*
 * Channel I/O.  The CAW (0x048) holds the address of the first channel
 * command word (8-aligned).  A CCW is two words:
 *
 *   word 0: | command (8) | flags (8) | count (16) |
 *   word 1: | data address (32)                    |
 */
#define CCW_CMD_WRITE   0x01
#define CCW_CMD_READ    0x02
#define CCW_CMD_CONTROL 0x03 /* no-operation control */
#define CCW_CMD_SENSE   0x04
#define CCW_CMD_TIC     0x08 /* transfer in channel: next CCW at data address */
#define CCW_CMD_LOCATE  0x63 /* disk: data is a 4-byte block number */
#define CCW_CMD_EJECT   0x8B /* printer: skip to a new page */

#define CCW_FLAG_CD     0x80 /* chain data */
#define CCW_FLAG_CC     0x40 /* chain command */
#define CCW_FLAG_SLI    0x20 /* suppress incorrect-length indication */
#define CCW_FLAG_SKIP   0x10 /* read without storing */

/*
 * The CSW (0x040), stored by an I/O interruption, SIO or TIO with CC 1:
 *
 *   word 0: | address of the last CCW used + 8                      |
 *   word 1: | unit status (8) | channel status (8) | residual count (16) |
 */
#define UNIT_ATTENTION  0x80
#define UNIT_SM         0x40 /* status modifier */
#define UNIT_CUE        0x20 /* control unit end */
#define UNIT_BUSY       0x10
#define UNIT_CE         0x08 /* channel end */
#define UNIT_DE         0x04 /* device end */
#define UNIT_CHECK      0x02 /* sense data available */
#define UNIT_EXCEPTION  0x01 /* end of file, end of extent */

#define CHAN_PCI        0x80
#define CHAN_LENGTH     0x40 /* incorrect length */
#define CHAN_PROGRAM    0x20 /* program check: bad CCW, bad address */
#define CHAN_PROTECTION 0x10
#define CHAN_DATA       0x08
#define CHAN_CONTROL    0x04
#define CHAN_CHAINING   0x01

/* Sense byte 0, returned by a SENSE command after a unit check. */
#define SENSE_CMD_REJECT   0x80
#define SENSE_INTERVENTION 0x40
#define SENSE_EQUIPMENT    0x10
#define SENSE_DATA_CHECK   0x08

/* STIDP: doubleword | version (8) | serial (24) | model (16) | 0 (16) | */
#define CPUID_VERSION_BARE 0x00
#define CPUID_VERSION_CP   0xFF /* as VM/370 reported to its guests */
#define CPUID_MODEL        0x0032 /* "VL32" model number */

/* Disk block size of the fixed-block (FBA) disk. */
#define DISK_BLOCK_SIZE 512u

/*
 * Disabled-wait codes used by the architecture suite (tests/arch): a test
 * ends in a disabled wait PSW whose instruction address is 0 for success,
 * or the number of the check that failed.  (Hercules' runtest convention.)
 */
#define ARCH_WAIT_PASS 0x0u

#endif
