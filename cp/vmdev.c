/*
 * cp/vmdev.c -- a user's minidisks from the virtual machine's side (see
 * vmdev.h); the sharing rules are cp/minidisk.c's.
 */
#include "vmdev.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cp/cp.h"

int cp_vm_attach_disks(struct cp_vm *vm, const struct cp_out *out)
{
	char msg[2048] = "";
	cp_mdisk_logon(&vm->sys->mdisks, vm->def, &vm->g->io, msg, sizeof msg);
	if (msg[0])
		cp_printf(out, "%s", msg); /* refused links: reported, not fatal */
	return 0;
}

void cp_vm_release_disks(struct cp_vm *vm)
{
	cp_mdisk_detach_user(&vm->sys->mdisks, vm->userid);
}

int cp_vm_detach(struct cp_vm *vm, uint16_t vaddr, const struct cp_out *out)
{
	char msg[256] = "";
	int rc = cp_mdisk_detach(&vm->sys->mdisks, vm->userid, &vm->g->io, vaddr, msg, sizeof msg);
	if (rc == 0) {
		cp_printf(out, "%s", msg);
		return 0;
	}
	/* Not a minidisk: any other virtual device at that address. */
	struct sim_dev *d = sim_io_find(&vm->g->io, vaddr);
	if (!d) {
		cp_printf(out, "HCPDTA040E DEVICE %03X DOES NOT EXIST", vaddr);
		return 40;
	}
	if (vaddr == vm->console_addr) {
		cp_printf(out, "HCPDTA041E DEVICE %03X IS YOUR CONSOLE; NOT DETACHED", vaddr);
		return 41;
	}
	const char *kind = d->type->name;
	sim_io_detach(&vm->g->io, vaddr);
	cp_printf(out, "%s %03X DETACHED", kind, vaddr);
	return 0;
}

int cp_vm_link(struct cp_vm *vm, const char *owner, uint16_t theirs, uint16_t mine,
	       const char *mode, const char *password, const struct cp_out *out)
{
	char msg[256] = "";
	bool ro = false;
	/*
	 * VM/370 protected minidisks with read, write and multiple-write
	 * passwords in the directory (readpw, writepw, multipw; ALL lets
	 * everyone).  The right password admits the link; a wrong one is
	 * refused.  Where the directory defines no password for that access,
	 * vmlab's rule is by class: anyone may link another user's minidisk
	 * read-only, but writing into someone else's needs class B (system
	 * resources) -- students cannot change each other's disks.
	 */
	bool admitted = false;
	const struct cp_user_def *ou = cp_directory_find(&vm->sys->dir, owner);
	const struct cp_mdisk_def *md = ou ? cp_user_find_mdisk(ou, theirs) : NULL;
	enum cp_link_mode lm;
	if (md && mode && cp_link_mode_parse(mode, &lm)) {
		switch (cp_mdisk_check_password(md, ou->id, vm->userid, lm, password, msg,
						sizeof msg)) {
		case CP_MDISK_PW_OK:
			admitted = true;
			break;
		case CP_MDISK_PW_WRONG:
			cp_printf(out, "%s", msg);
			return 111;
		case CP_MDISK_PW_NONE:
			break;
		}
		msg[0] = 0;
	}
	bool write_mode = mode && (mode[0] == 'W' || mode[0] == 'w' || mode[0] == 'M' ||
				   mode[0] == 'm');
	if (!admitted && write_mode && strcasecmp(owner, vm->userid) &&
	    !(vm->classes & CP_CLASS_B)) {
		cp_printf(out, "HCPLNK113E %s %03X NOT LINKED; WRITE ACCESS TO ANOTHER USER'S "
			       "DISK NEEDS CLASS B (LINK IT R OR RR)", owner, theirs);
		return 113;
	}
	int rc = cp_mdisk_link(&vm->sys->mdisks, owner, theirs, vm->userid, &vm->g->io, mine,
			       mode, &ro, msg, sizeof msg);
	if (msg[0])
		cp_printf(out, "%s", msg);
	if (rc)
		return rc < 0 ? -rc : rc;
	cp_printf(out, "DASD %03X LINKED %s", mine, ro ? "R/O" : "R/W");
	return 0;
}

int cp_vm_query_dasd(struct cp_vm *vm, const char *what, const struct cp_out *out)
{
	if (what[0] == 'L' || what[0] == 'l') {
		/* QUERY LINKS: who else holds each of my own minidisks. */
		for (int i = 0; i < vm->def->nmdisks; i++) {
			char buf[512];
			cp_mdisk_query_links(&vm->sys->mdisks, vm->userid, vm->def->mdisks[i].addr,
					     buf, sizeof buf);
			cp_printf(out, "%03X %s", vm->def->mdisks[i].addr, buf);
		}
		if (vm->def->nmdisks == 0)
			cp_printf(out, "NO MINIDISKS OF YOUR OWN");
		return 0;
	}
	struct sim_iosys *io = &vm->g->io;
	int n = 0;
	for (int i = 0; i < io->ndev; i++) {
		struct sim_dev *d = &io->dev[i];
		if (d->type->cls != DEV_DISK)
			continue;
		const struct cp_mdisk_extent *ext = NULL;
		const struct cp_mdisk_holder *h =
			cp_mdisk_find_link(&vm->sys->mdisks, vm->userid, d->addr, &ext);
		if (h && ext)
			cp_printf(out, "DASD %03X %s %03X %-4s %6u BLK %s", d->addr, ext->owner,
				  ext->addr, cp_link_mode_name(h->mode), d->disk.blocks,
				  h->write ? "R/W" : "R/O");
		else
			cp_printf(out, "DASD %03X %6u BLK %s", d->addr, d->disk.blocks,
				  d->disk.readonly ? "R/O" : "R/W");
		n++;
	}
	if (!n)
		cp_printf(out, "NO DASD ATTACHED");
	return 0;
}
