# host-kvm/guests/ptchange.S -- workload: page-table changes.
#
# Per iteration (%rbx, default 10000): point the 2 MiB page at virtual
# 1 GiB alternately at physical 2 MiB and 4 MiB, INVLPG it, and read
# through it to check the new mapping took.  Under CP each page-table
# store and each purge means rebuilding shadow tables in the monitor;
# with nested paging (EPT/NPT) the processor walks the guest's tables
# itself and none of this leaves the guest.  Needs 6 MiB of memory.
	.code64
	.text
	.globl	_start
	.set	WINDOW, 0x40000000	# virtual 1 GiB
_start:
	testq	%rbx, %rbx
	jnz	1f
	movq	$10000, %rbx
1:	movq	%rbx, %r12
	# Two physical pages, each marked with its own address.
	movq	$0x200000, %rax
	movq	%rax, (%rax)
	movq	$0x400000, %rax
	movq	%rax, (%rax)
	# Walk CR3 -> PML4[0] -> PDPT[1]: the directory covering 1..2 GiB.
	movq	%cr3, %rdi
	andq	$~0xfff, %rdi
	movq	(%rdi), %rdi		# PML4[0]
	andq	$~0xfff, %rdi
	movq	8(%rdi), %rdi		# PDPT[1]
	andq	$~0xfff, %rdi		# %rdi = the page directory; entry 0
	xorl	%r13d, %r13d		# mismatches
loop:	movq	%rbx, %rax
	andq	$1, %rax
	incq	%rax
	shlq	$21, %rax		# 2 MiB or 4 MiB
	movq	%rax, %rdx
	orq	$0x83, %rdx		# present, writable, large page
	movq	%rdx, (%rdi)
	invlpg	WINDOW
	cmpq	WINDOW, %rax		# the page's mark = its address?
	je	2f
	incq	%r13
2:	decq	%rbx
	jnz	loop
	leaq	msg(%rip), %rsi
	call	puts
	movq	%r12, %rax
	call	puthex
	leaq	msg2(%rip), %rsi
	call	puts
	movq	%r13, %rax
	call	puthex
	leaq	nl(%rip), %rsi
	call	puts
	hlt

	.include "lib64.inc"
msg:	.asciz	"ptchange: iterations 0x"
msg2:	.asciz	" mismatches 0x"
nl:	.asciz	"\n"
