# host-kvm/guests/prot.S -- a 32-bit protected-mode guest.
#
# Flat 4 GiB segments from the monitor's GDT (code 0x10, data 0x18),
# paging off.  We check CR0 (PE set, PG clear) and the code segment, and
# reload DS from the GDT to show the descriptor table is really there.
	.code32
	.text
	.globl	_start
_start:
	movl	%cr0, %eax
	testl	$1, %eax		# PE
	jz	fail
	testl	$0x80000000, %eax	# PG must be off
	jnz	fail
	movw	%cs, %ax
	cmpw	$0x10, %ax
	jne	fail
	movw	$0x18, %ax		# a segment load reads the GDT
	movw	%ax, %ds
	movl	$ok, %esi
	jmp	print
fail:	movl	$bad, %esi
print:	movw	$0xe9, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	hlt
	jmp	2b

ok:	.asciz	"protected mode: ok (CR0.PE=1, PG=0, CS=0x10)\n"
bad:	.asciz	"protected mode: FAIL\n"
