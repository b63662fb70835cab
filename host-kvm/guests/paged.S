# host-kvm/guests/paged.S -- a 32-bit guest with paging on.
#
# The monitor built one page directory of 4 MiB pages mapping virtual =
# physical.  To see translation at work we add a mapping of our own:
# virtual 1 GiB -> physical 0, flush that TLB entry, and read our own
# code through the new address.  No exit happens for any of this: with
# nested paging (EPT/NPT) the guest owns its page tables outright.
	.code32
	.text
	.globl	_start
_start:
	movl	%cr0, %eax
	testl	$0x80000000, %eax	# PG
	jz	fail
	movl	%cr4, %eax
	testl	$0x10, %eax		# PSE: 4 MiB pages
	jz	fail
	movl	%cr3, %ebx		# the page directory
	movl	$0x83, 1024(%ebx)	# entry 256 = 1 GiB: phys 0, 4 MiB, RW, P
	invlpg	0x40000000
	movl	magic, %eax
	cmpl	0x40000000 + magic, %eax	# the same bytes, seen twice
	jne	fail
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

magic:	.long	0x5a17c0de
ok:	.asciz	"paged mode: ok (CR0.PG=1, 4 MiB pages, alias at 1 GiB reads the same)\n"
bad:	.asciz	"paged mode: FAIL\n"
