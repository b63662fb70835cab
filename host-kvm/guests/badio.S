# host-kvm/guests/badio.S -- port I/O a careless or hostile guest does.
#
# Reads of ports nobody claims (all ones, at every width), string I/O
# with REP counts into and out of unclaimed ports, 32-bit accesses to
# byte-wide registers.  The monitor must answer each without trusting
# the width, count or port, and keep running.
	.code64
	.text
	.globl	_start
_start:
	xorl	%r13d, %r13d		# failures
	movw	$0x300, %dx		# no device here
	inb	%dx, %al
	cmpb	$0xff, %al
	je	1f
	incl	%r13d
1:	inw	%dx, %ax
	cmpw	$0xffff, %ax
	je	1f
	incl	%r13d
1:	inl	%dx, %eax
	cmpl	$0xffffffff, %eax
	je	1f
	incl	%r13d
1:	movl	$0x12345678, %eax
	outl	%eax, %dx		# into the void
	# REP INSB of 300 bytes from the unclaimed port: all 0xff.
	leaq	buf(%rip), %rdi
	movl	$300, %ecx
	rep insb
	leaq	buf(%rip), %rsi
	movl	$300, %ecx
2:	lodsb
	cmpb	$0xff, %al
	je	3f
	incl	%r13d
3:	loop	2b
	# REP OUTSB of 4000 bytes to nowhere.
	leaq	0x10000, %rsi
	movl	$4000, %ecx
	rep outsb
	# REP OUTSB of a string to the debug port: it prints.
	leaq	hello(%rip), %rsi
	movl	$hello_len, %ecx
	movw	$0xe9, %dx
	rep outsb
	# A 32-bit write to the debug port prints its low byte only.
	movl	$0x4142430a, %eax	# '\n' in the low byte
	outl	%eax, %dx
	# A 32-bit read of the UART's last register.
	movw	$0x3ff, %dx
	inl	%dx, %eax
	# The verdict.
	leaq	ok(%rip), %rsi
	testl	%r13d, %r13d
	jz	4f
	leaq	bad(%rip), %rsi
4:	call	puts
	hlt

	.include "lib64.inc"
hello:	.ascii	"badio: string output"
	.set	hello_len, . - hello
ok:	.asciz	"badio: ok\n"
bad:	.asciz	"badio: FAIL\n"
	.balign	8
buf:	.fill	320, 1, 0
