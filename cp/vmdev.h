/*
 * cp/vmdev.h -- a user's minidisks as seen from the user's virtual
 * machine: attached at LOGON from the directory, linked and detached by
 * command, listed by QUERY DASD and QUERY LINKS.  The sharing rules live
 * in cp/minidisk.c; this is the glue to the guest's devices.
 */
#ifndef CP_VMDEV_H
#define CP_VMDEV_H

#include <stdint.h>

#include "cp/out.h"

struct cp_vm;

/* LOGON: the user's own minidisks, then the directory's links.  A disk
 * that cannot be attached is reported and skipped (the user still logs
 * on, as on VM/370); -1 only for a failure that leaves no machine. */
int cp_vm_attach_disks(struct cp_vm *vm, const struct cp_out *out);
/* LOGOFF: release every link. */
void cp_vm_release_disks(struct cp_vm *vm);
/* DETACH vaddr (a minidisk or any other virtual device). */
int cp_vm_detach(struct cp_vm *vm, uint16_t vaddr, const struct cp_out *out);
/* LINK userid vaddr AS vaddr mode [password] (password may be NULL). */
int cp_vm_link(struct cp_vm *vm, const char *owner, uint16_t theirs,
		      uint16_t mine, const char *mode, const char *password,
		      const struct cp_out *out);
/* QUERY DASD / QUERY LINKS. */
int cp_vm_query_dasd(struct cp_vm *vm, const char *what, const struct cp_out *out);

#endif
