/*
 * cp/out.h -- where CP's responses go.
 *
 * CP never writes to stdout itself: every response line goes through a
 * struct cp_out, so the same command interpreter serves a terminal, a
 * script, a test (which collects the lines), a guest's DIAGNOSE 8 buffer,
 * and later the lesson engine.  Keep it that way: the interpreter must
 * stay independent of the terminal.
 */
#ifndef CP_OUT_H
#define CP_OUT_H

#include <stdarg.h>
#include <stddef.h>

struct cp_out {
	void (*line)(void *ctx, const char *text); /* one line, no newline */
	void *ctx;
};

/* Write one formatted line (a trailing newline, if any, is dropped;
 * embedded newlines split it into several lines). */
void cp_printf(const struct cp_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cp_vprintf(const struct cp_out *o, const char *fmt, va_list ap);

/* An output that appends lines to a growing buffer (tests, DIAGNOSE 8). */
struct cp_outbuf {
	char *text;      /* NUL-terminated, lines separated by '\n' */
	size_t len, cap;
	size_t limit;    /* stop collecting beyond this many bytes (0: none) */
	int truncated;
};
struct cp_out cp_outbuf_out(struct cp_outbuf *b);
void cp_outbuf_free(struct cp_outbuf *b);

/* An output to a stdio stream (the plain line interface). */
struct cp_out cp_stdout_out(void);

#endif
