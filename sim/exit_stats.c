/*
 * sim/exit_stats.c -- counting exits by kind and detail (see exit_stats.h).
 */
#include "exit_stats.h"

#include <inttypes.h>
#include <string.h>

const char *const exit_kind_names[EXK_COUNT] = {
	[EXK_PRIVILEGED] = "privileged",
	[EXK_PROGRAM] = "program",
	[EXK_SVC] = "svc",
	[EXK_IO_INSN] = "io-insn",
	[EXK_MMIO] = "mmio",
	[EXK_HYPERCALL] = "hypercall",
	[EXK_EXTERNAL] = "external",
	[EXK_IO_INT] = "io-interrupt",
	[EXK_WAIT] = "wait",
	[EXK_TRANSLATION] = "translation",
	[EXK_BUDGET] = "budget",
	[EXK_SHUTDOWN] = "shutdown",
	[EXK_OTHER] = "other",
};

void exit_stats_reset(struct exit_stats *s)
{
	memset(s, 0, sizeof *s);
}

/* Open addressing over a small fixed table: exits are rare next to
 * instructions, so a probe or two here costs nothing that shows. */
static struct exit_detail *find_slot(struct exit_stats *s, uint32_t kind,
				     uint32_t key, int create)
{
	uint32_t h = (kind * 0x9E3779B1u) ^ (key * 0x85EBCA6Bu);
	for (unsigned i = 0; i < EXIT_DETAIL_SLOTS; i++) {
		struct exit_detail *d = &s->detail[(h + i) % EXIT_DETAIL_SLOTS];
		if (d->kind == kind + 1 && d->key == key)
			return d;
		if (d->kind == 0) {
			if (!create)
				return NULL;
			d->kind = kind + 1;
			d->key = key;
			return d;
		}
	}
	return NULL;
}

void exit_stats_add(struct exit_stats *s, enum exit_kind kind, uint32_t key)
{
	if ((unsigned)kind >= EXK_COUNT)
		kind = EXK_OTHER;
	s->count[kind]++;
	struct exit_detail *d = find_slot(s, kind, key, 1);
	if (d)
		d->count++;
	else
		s->detail_overflow++;
}

uint64_t exit_stats_total(const struct exit_stats *s)
{
	uint64_t t = 0;
	for (int k = 0; k < EXK_COUNT; k++)
		t += s->count[k];
	return t;
}

uint64_t exit_stats_detail(const struct exit_stats *s, enum exit_kind kind,
			   uint32_t key)
{
	struct exit_detail *d =
		find_slot((struct exit_stats *)s, (uint32_t)kind, key, 0);
	return d ? d->count : 0;
}

void exit_stats_merge(struct exit_stats *dst, const struct exit_stats *src)
{
	dst->instructions += src->instructions;
	dst->cycles += src->cycles;
	for (int k = 0; k < EXK_COUNT; k++)
		dst->count[k] += src->count[k];
	dst->detail_overflow += src->detail_overflow;
	for (int i = 0; i < EXIT_DETAIL_SLOTS; i++) {
		const struct exit_detail *d = &src->detail[i];
		if (!d->kind)
			continue;
		struct exit_detail *t = find_slot(dst, d->kind - 1, d->key, 1);
		if (t)
			t->count += d->count;
		else
			dst->detail_overflow += d->count;
	}
}

void exit_stats_print(FILE *f, const struct exit_stats *s,
		      const char *(*name_key)(enum exit_kind, uint32_t))
{
	uint64_t total = exit_stats_total(s);
	fprintf(f, "%-14s %12s %10s\n", "exit kind", "count",
		s->instructions ? "per 1000 i" : "");
	for (int k = 0; k < EXK_COUNT; k++) {
		if (!s->count[k])
			continue;
		if (s->instructions)
			fprintf(f, "%-14s %12" PRIu64 " %10.3f\n",
				exit_kind_names[k], s->count[k],
				1000.0 * (double)s->count[k] /
					(double)s->instructions);
		else
			fprintf(f, "%-14s %12" PRIu64 "\n", exit_kind_names[k],
				s->count[k]);
		if (!name_key)
			continue;
		for (int i = 0; i < EXIT_DETAIL_SLOTS; i++) {
			const struct exit_detail *d = &s->detail[i];
			if (d->kind == (uint32_t)k + 1) {
				const char *n = name_key((enum exit_kind)k, d->key);
				fprintf(f, "  %-12s %12" PRIu64 "\n", n ? n : "?",
					d->count);
			}
		}
	}
	fprintf(f, "%-14s %12" PRIu64 "\n", "total", total);
	if (s->instructions)
		fprintf(f, "%-14s %12" PRIu64 "\n", "instructions",
			s->instructions);
}
