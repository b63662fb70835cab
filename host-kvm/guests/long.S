# host-kvm/guests/long.S -- a 64-bit long-mode guest.
#
# Long mode needs paging (PAE, four levels) and EFER.LME; the processor
# sets EFER.LMA when both are on.  We read EFER with RDMSR (KVM answers
# it in the kernel: no exit to vmlab), do some 64-bit arithmetic, and
# print through the 8250 UART like a polling driver, then halt.
	.code64
	.text
	.globl	_start
_start:
	movl	$0xc0000080, %ecx	# IA32_EFER
	rdmsr
	testl	$0x400, %eax		# LMA: long mode active
	jz	fail
	movabsq	$0x123456789, %rax	# needs 64 bits
	shlq	$8, %rax
	movabsq	$0x12345678900, %rdx
	cmpq	%rdx, %rax
	jne	fail
	leaq	ok(%rip), %rsi
	call	uart_puts
	hlt
fail:	leaq	bad(%rip), %rsi
	call	puts
	hlt

	.include "lib64.inc"
ok:	.asciz	"long mode: ok (EFER.LMA=1, 64-bit arithmetic, via COM1)\n"
bad:	.asciz	"long mode: FAIL\n"
