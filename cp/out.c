/*
 * cp/out.c -- response lines (see out.h).
 */
#include "out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cp_vprintf(const struct cp_out *o, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	if (!o || !o->line)
		return;
	/* One call per line: a response with embedded newlines is several. */
	char *p = buf;
	for (;;) {
		char *nl = strchr(p, '\n');
		if (!nl) {
			if (*p)
				o->line(o->ctx, p);
			break;
		}
		*nl = 0;
		o->line(o->ctx, p);
		p = nl + 1;
	}
}

void cp_printf(const struct cp_out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cp_vprintf(o, fmt, ap);
	va_end(ap);
}

static void outbuf_line(void *ctx, const char *text)
{
	struct cp_outbuf *b = ctx;
	size_t n = strlen(text);
	if (b->limit && b->len + n + 1 > b->limit) {
		b->truncated = 1;
		return;
	}
	if (b->len + n + 2 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 256) + n;
		char *t = realloc(b->text, cap);
		if (!t) {
			b->truncated = 1;
			return;
		}
		b->text = t;
		b->cap = cap;
	}
	memcpy(b->text + b->len, text, n);
	b->len += n;
	b->text[b->len++] = '\n';
	b->text[b->len] = 0;
}

struct cp_out cp_outbuf_out(struct cp_outbuf *b)
{
	return (struct cp_out){ outbuf_line, b };
}

void cp_outbuf_free(struct cp_outbuf *b)
{
	free(b->text);
	memset(b, 0, sizeof *b);
}

static void stdout_line(void *ctx, const char *text)
{
	(void)ctx;
	puts(text);
}

struct cp_out cp_stdout_out(void)
{
	return (struct cp_out){ stdout_line, NULL };
}
