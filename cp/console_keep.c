/*
 * cp/console_keep.c -- what a machine said while nobody watched.
 *
 * When the terminal leaves a user (SESSION, DIAL, DISCONN), or a user
 * was AUTOLOGged and never had it, the machine runs on.  Whatever it
 * types on its console then is kept here -- the last CON_KEEP_LINES
 * lines, and a count of the older ones dropped -- and shown when the
 * terminal is connected to that user again, the way a VM/370 user
 * found a disconnected machine's console in the spool (SPOOL CONSOLE)
 * after a reconnect.  CP's notices to the user (a file arrived in the
 * reader, the machine entered a disabled wait) are kept the same way.
 *
 * How a line gets here: CP sends a disconnected user's lines to
 * vm->dsc (cp/cp.c, vm_out).  Before every stretch of dispatching,
 * con_keep_sweep() gives each logged-on machine that has none a keeper
 * of its own as vm->dsc, and frees the keepers of users gone (logged
 * off or forced): a keeper lives exactly as long as its machine.
 */
#include "cp/console.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct con_keep {
	struct con_keep *next;
	char userid[9];
	char **ring;          /* CON_KEEP_LINES slots, allocated at the first line */
	unsigned first, n;    /* the oldest line kept, how many are kept */
	uint64_t dropped;     /* older lines that no longer fit */
	bool mark;            /* con_keep_sweep: still some machine's */
};

/* One line from a disconnected machine (its vm->dsc). */
static void keep_line(void *ctx, const char *text)
{
	struct con_keep *k = ctx;
	if (!k->ring && !(k->ring = calloc(CON_KEEP_LINES, sizeof *k->ring))) {
		k->dropped++;
		return;
	}
	char *copy = strdup(text);
	if (!copy) {
		k->dropped++;
		return;
	}
	if (k->n == CON_KEEP_LINES) {
		/* Full: the oldest line goes, and is counted. */
		free(k->ring[k->first]);
		k->ring[k->first] = copy;
		k->first = (k->first + 1) % CON_KEEP_LINES;
		k->dropped++;
		return;
	}
	k->ring[(k->first + k->n) % CON_KEEP_LINES] = copy;
	k->n++;
}

static void keep_clear(struct con_keep *k)
{
	for (unsigned i = 0; i < k->n; i++)
		free(k->ring[(k->first + i) % CON_KEEP_LINES]);
	free(k->ring);
	k->ring = NULL;
	k->first = k->n = 0;
	k->dropped = 0;
}

/* The keeper vm->dsc points at, if it is one of ours. */
static struct con_keep *keeper_of(const struct cp_vm *vm)
{
	return vm->dsc.line == keep_line ? vm->dsc.ctx : NULL;
}

void con_keep_sweep(struct con_session *s)
{
	for (struct con_keep *k = s->keeps; k; k = k->next)
		k->mark = false;
	for (int i = 0; i < s->sys->nvms; i++) {
		struct cp_vm *vm = s->sys->vms[i];
		struct con_keep *k = keeper_of(vm);
		if (!k) {
			if (vm->dsc.line)
				continue; /* someone else keeps this one's lines */
			if (!(k = calloc(1, sizeof *k)))
				continue; /* no memory: its lines are lost, as before */
			snprintf(k->userid, sizeof k->userid, "%s", vm->userid);
			k->next = s->keeps;
			s->keeps = k;
			vm->dsc = (struct cp_out){ keep_line, k };
		}
		k->mark = true;
	}
	/* Keepers no machine points at belong to users gone: free them. */
	for (struct con_keep **p = &s->keeps; *p;) {
		struct con_keep *k = *p;
		if (k->mark) {
			p = &k->next;
			continue;
		}
		*p = k->next;
		keep_clear(k);
		free(k);
	}
}

unsigned con_keep_count(const struct cp_vm *vm, uint64_t *dropped)
{
	const struct con_keep *k = keeper_of(vm);
	if (dropped)
		*dropped = k ? k->dropped : 0;
	return k ? k->n : 0;
}

void con_keep_show(struct con_session *s, struct cp_vm *vm)
{
	struct con_keep *k = keeper_of(vm);
	if (!k || (k->n == 0 && k->dropped == 0))
		return;
	uint64_t total = (uint64_t)k->n + k->dropped;
	cp_printf(&s->term, "--- %" PRIu64 " LINE%s FOR %s WHILE DISCONNECTED ---", total,
		  total == 1 ? "" : "S", vm->userid);
	if (k->dropped)
		cp_printf(&s->term, "--- %" PRIu64 " LINES DROPPED (THE LAST %d ARE KEPT) ---",
			  k->dropped, CON_KEEP_LINES);
	for (unsigned i = 0; i < k->n; i++)
		cp_printf(&s->term, "%s", k->ring[(k->first + i) % CON_KEEP_LINES]);
	cp_printf(&s->term, "--- END OF %s'S KEPT LINES ---", vm->userid);
	keep_clear(k);
}

void con_keep_free(struct con_session *s)
{
	while (s->keeps) {
		struct con_keep *k = s->keeps;
		s->keeps = k->next;
		keep_clear(k);
		free(k);
	}
}
