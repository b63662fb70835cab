# host-kvm/guests/real.S -- a 16-bit real-mode guest.
#
# The mode every x86 still starts in: 16-bit registers, addresses are
# segment * 16 + offset, no protection at all.  The monitor loads us at
# 0x10000 and starts us at CS:IP = 1000:0000 with DS = SS = 0x1000.
# We check that CR0.PE is clear (MSW is readable even from real mode),
# print, and halt: with no interrupt controller, HLT ends the run.
	.code16
	.text
	.globl	_start
_start:
	smsw	%ax			# the low 16 bits of CR0
	testw	$1, %ax			# PE: protection enabled?
	jnz	fail
	movw	%cs, %ax
	cmpw	$0x1000, %ax
	jne	fail
	movw	$ok, %si
	jmp	print
fail:	movw	$bad, %si
print:	movw	$0xe9, %dx
1:	lodsb				# DS:SI -> AL
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	hlt
	jmp	2b

ok:	.asciz	"real mode: ok (CS=0x1000, CR0.PE=0)\n"
bad:	.asciz	"real mode: FAIL\n"
