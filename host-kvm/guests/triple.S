# host-kvm/guests/triple.S -- a fault nobody handles.
#
# There is no IDT (the limit left by reset covers a table of zeros at
# address 0, all "not present").  UD2 raises #UD; delivering it faults,
# that becomes a double fault, delivering that faults too: a triple
# fault.  The processor shuts down, KVM reports KVM_EXIT_SHUTDOWN, and
# vmlab stops the guest with a message -- the monitor itself is fine.
	.code64
	.text
	.globl	_start
_start:
	leaq	msg(%rip), %rsi
	movw	$0xe9, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	ud2
msg:	.asciz	"triple: about to fault\n"
