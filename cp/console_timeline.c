/*
 * cp/console_timeline.c -- INDICATE TIMELINE: a picture of the dispatcher.
 *
 * cp_dispatch() (cp.c) records every slice it gives a virtual machine in
 * a ring (struct cp_dispatch_rec: who, from when to when in simulated
 * cycles, why the slice ended, how many exits and I/O instructions it
 * had).  This file draws the last n of them, one row per user, time
 * running left to right:
 *
 *     ALICE    |===#I>...........====#W.............|
 *     BOB      |      ====#>====>           ===>    |
 *
 * so a student sees round robin happen: slices taking turns, a guest
 * that traps often (#), one that starts I/O (I) and then waits (.) for
 * its interruption while the other runs.  The same picture is written as
 * SVG for a report or a slide.  Time is simulated, so the picture of a
 * script is the same on every machine.
 */
#include "cp/console.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/hostfile.h"

#define TL_COLS 60
#define TL_ROWS 32

/* The marks, least to most telling: a cell shows the most telling of
 * everything that happened in its stretch of time. */
static const char marks[] = " .=>#ICWAX";

static int rank(char m)
{
	const char *p = strchr(marks, m);
	return p ? (int)(p - marks) : 0;
}

static void put(char *row, int col, char m)
{
	if (col >= 0 && col < TL_COLS && rank(m) > rank(row[col]))
		row[col] = m;
}

static char end_mark(uint8_t why)
{
	switch (why) {
	case TRAP_SLICE_END: return '>';
	case TRAP_WAIT: return 'W';
	case TRAP_DISABLED_WAIT: return 'X';
	case TRAP_ADDRESS_STOP: return 'A';
	case TRAP_CP_CALL: return 'C';
	}
	return '?';
}

static const char *end_words(uint8_t why)
{
	switch (why) {
	case TRAP_SLICE_END: return "slice ended";
	case TRAP_WAIT: return "enabled wait";
	case TRAP_DISABLED_WAIT: return "disabled wait";
	case TRAP_ADDRESS_STOP: return "address stop";
	case TRAP_CP_CALL: return "CP call";
	}
	return "?";
}

/* The window: the last n records, oldest first. */
struct window {
	const struct cp_dispatch_rec *rec[CP_TIMELINE];
	unsigned n;
	uint64_t t0, t1;            /* simulated time covered */
	char users[TL_ROWS][9];
	int nusers;
};

static int user_row(struct window *w, const char *id)
{
	for (int i = 0; i < w->nusers; i++)
		if (!strcmp(w->users[i], id))
			return i;
	if (w->nusers == TL_ROWS)
		return -1;
	snprintf(w->users[w->nusers], sizeof w->users[0], "%s", id);
	return w->nusers++;
}

static void window_of(const struct cp_system *sys, unsigned n, struct window *w)
{
	memset(w, 0, sizeof *w);
	unsigned have = sys->ntimeline < CP_TIMELINE ? sys->ntimeline : CP_TIMELINE;
	if (n > have)
		n = have;
	for (unsigned i = 0; i < n; i++) {
		unsigned k = (sys->ntimeline - n + i) % CP_TIMELINE;
		w->rec[i] = &sys->timeline[k];
	}
	w->n = n;
	if (!n)
		return;
	w->t0 = w->rec[0]->start;
	w->t1 = w->rec[0]->end;
	for (unsigned i = 0; i < n; i++) {
		if (w->rec[i]->start < w->t0)
			w->t0 = w->rec[i]->start;
		if (w->rec[i]->end > w->t1)
			w->t1 = w->rec[i]->end;
		user_row(w, w->rec[i]->userid);
	}
	if (w->t1 <= w->t0)
		w->t1 = w->t0 + 1;
}

/* A user whose slice i ended in a wait waits until its next slice (or
 * the end of the window): when that is, for the text and SVG drawings. */
static uint64_t wait_until(const struct window *w, unsigned i)
{
	for (unsigned j = i + 1; j < w->n; j++)
		if (!strcmp(w->rec[j]->userid, w->rec[i]->userid))
			return w->rec[j]->start;
	return w->t1;
}

static int col_of(const struct window *w, uint64_t t)
{
	if (t <= w->t0)
		return 0;
	unsigned __int128 x = (unsigned __int128)(t - w->t0) * TL_COLS / (w->t1 - w->t0);
	return x >= TL_COLS ? TL_COLS - 1 : (int)x;
}

int cp_console_timeline(struct cp_system *sys, unsigned n, const struct cp_out *out)
{
	struct window w;
	window_of(sys, n, &w);
	if (!w.n) {
		cp_printf(out, "TIMELINE: NO DISPATCHES YET (IPL A SYSTEM, THEN LOOK AGAIN)");
		return 0;
	}
	char rows[TL_ROWS][TL_COLS + 1];
	uint64_t slices[TL_ROWS] = { 0 }, exits[TL_ROWS] = { 0 }, io[TL_ROWS] = { 0 };
	for (int r = 0; r < w.nusers; r++) {
		memset(rows[r], ' ', TL_COLS);
		rows[r][TL_COLS] = 0;
	}
	for (unsigned i = 0; i < w.n; i++) {
		const struct cp_dispatch_rec *d = w.rec[i];
		int r = user_row(&w, d->userid);
		if (r < 0)
			continue;
		int c0 = col_of(&w, d->start);
		int c1 = col_of(&w, d->end > d->start ? d->end - 1 : d->start);
		for (int c = c0; c <= c1; c++)
			put(rows[r], c, d->exits ? '#' : '=');
		if (d->io)
			put(rows[r], c0, 'I');
		put(rows[r], c1, end_mark(d->why));
		if (d->why == TRAP_WAIT) {
			uint64_t until = wait_until(&w, i);
			for (int c = c1 + 1; c <= col_of(&w, until) && c < TL_COLS; c++)
				put(rows[r], c, '.');
		}
		slices[r]++;
		exits[r] += d->exits;
		io[r] += d->io;
	}
	cp_printf(out, "TIMELINE: LAST %u OF %u DISPATCHES, CYCLES %" PRIu64 " TO %" PRIu64
		       ", ONE COLUMN = %" PRIu64 " CYCLES",
		  w.n, sys->ntimeline, w.t0, w.t1, (w.t1 - w.t0 + TL_COLS - 1) / TL_COLS);
	for (int r = 0; r < w.nusers; r++)
		cp_printf(out, "%-8s |%s| %4" PRIu64 " SLICES %7" PRIu64 " EXITS %5" PRIu64 " I/O",
			  w.users[r], rows[r], slices[r], exits[r], io[r]);
	char axis[TL_COLS + 1];
	memset(axis, '-', TL_COLS);
	axis[TL_COLS] = 0;
	cp_printf(out, "         +%s+", axis);
	cp_printf(out, "          %-*" PRIu64 "%*" PRIu64, TL_COLS / 2, w.t0, TL_COLS / 2, w.t1);
	cp_printf(out, "= RUNS  # RUNS, TRAPS TO CP  I STARTS I/O  > SLICE ENDS  "
		       "W WAITS (ENABLED)  . WAITING");
	cp_printf(out, "X DISABLED WAIT  A ADSTOP  C CP CALL   (A CELL SHOWS THE RIGHTMOST "
		       "MARK OF THIS LIST)");
	return 0;
}

/* ------------------------------------------------------------------ */
/* SVG                                                                  */

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Where an SVG may be written: a plain file name ending in .svg, in the
 * state folder.  A command can also come from a guest (DIAGNOSE 8), and
 * a guest must not be able to write anywhere else on the host. */
static int svg_path(const struct cp_system *sys, const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	if (n < 5 || n > 64 || strcmp(name + n - 4, ".svg") || strchr(name, '/') || name[0] == '.')
		return -1;
	for (const char *p = name; *p; p++)
		if (!(*p == '-' || *p == '_' || *p == '.' || (*p >= '0' && *p <= '9') ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return -1;
	if (snprintf(buf, len, "%s/%s", sys->state_dir, name) >= (int)len)
		return -1;
	return 0;
}

int cp_console_timeline_svg(struct cp_system *sys, unsigned n, const char *name,
			    const struct cp_out *out)
{
	char path[1024];
	if (svg_path(sys, name, path, sizeof path)) {
		cp_printf(out, "HCPIND027E FILE %s INVALID: A NAME LIKE timeline.svg (LETTERS, DIGITS, "
			       "- _ .), WRITTEN IN THE STATE FOLDER", name);
		return 27;
	}
	struct window w;
	window_of(sys, n, &w);
	struct sim_file t;   /* written whole or not at all: sim/hostfile.h */
	int rc = sim_file_begin(&t, path, NULL, 0);
	if (rc) {
		cp_printf(out, "HCPIND028E CANNOT WRITE %s: %s", path, strerror(-rc));
		return 28;
	}
	FILE *f = t.f;
	const int left = 90, width = 760, rowh = 28, top = 40;
	int height = top + rowh * (w.nusers ? w.nusers : 1) + 70;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "font-family=\"monospace\" font-size=\"12\">\n",
		left + width + 20, height);
	fprintf(f, "<title>vmlab dispatcher timeline</title>\n"
		   "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"10\" y=\"20\">Last %u of %u dispatches, cycles %" PRIu64
		   " to %" PRIu64 " (simulated)</text>\n", w.n, sys->ntimeline, w.t0, w.t1);
	double scale = (double)width / (double)(w.t1 > w.t0 ? w.t1 - w.t0 : 1);
	for (int r = 0; r < w.nusers; r++) {
		int y = top + r * rowh;
		fprintf(f, "<text x=\"10\" y=\"%d\">", y + 17);
		xml_text(f, w.users[r]);
		fprintf(f, "</text>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n",
			left, y + rowh - 2, left + width, y + rowh - 2);
	}
	for (unsigned i = 0; i < w.n; i++) {
		const struct cp_dispatch_rec *d = w.rec[i];
		int r = user_row(&w, d->userid);
		if (r < 0)
			continue;
		int y = top + r * rowh;
		double x = left + (double)(d->start - w.t0) * scale;
		double wd = (double)(d->end - d->start) * scale;
		if (wd < 1)
			wd = 1;
		if (d->why == TRAP_WAIT) {
			uint64_t until = wait_until(&w, i);
			fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
				   "stroke-dasharray=\"3,3\"/>\n", x + wd, y + 12,
				left + (double)(until - w.t0) * scale, y + 12);
		}
		fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\">"
			   "<title>", x, y + 3, wd, d->exits ? "#e8a33d" : "#4c9f70");
		xml_text(f, d->userid);
		fprintf(f, ": cycles %" PRIu64 "-%" PRIu64 ", %" PRIu32 " exits, %" PRIu32
			   " I/O, %s</title></rect>\n", d->start, d->end, d->exits, d->io,
			end_words(d->why));
		if (d->io)
			fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"3\" height=\"24\" fill=\"#3465a4\"/>\n",
				x, y);
		if (d->why == TRAP_DISABLED_WAIT || d->why == TRAP_ADDRESS_STOP)
			fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"4\" height=\"24\" fill=\"#cc0000\"/>\n",
				x + wd - 2, y);
	}
	int ly = top + rowh * (w.nusers ? w.nusers : 1) + 20;
	fprintf(f, "<text x=\"%d\" y=\"%d\">%" PRIu64 "</text>\n", left, ly, w.t0);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%" PRIu64 "</text>\n",
		left + width, ly, w.t1);
	fprintf(f, "<rect x=\"10\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#4c9f70\"/>"
		   "<text x=\"26\" y=\"%d\">runs</text>\n", ly + 18, ly + 28);
	fprintf(f, "<rect x=\"80\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#e8a33d\"/>"
		   "<text x=\"96\" y=\"%d\">runs, traps to CP</text>\n", ly + 18, ly + 28);
	fprintf(f, "<rect x=\"240\" y=\"%d\" width=\"4\" height=\"12\" fill=\"#3465a4\"/>"
		   "<text x=\"250\" y=\"%d\">starts I/O</text>\n", ly + 18, ly + 28);
	fprintf(f, "<line x1=\"340\" y1=\"%d\" x2=\"360\" y2=\"%d\" stroke=\"#999\" "
		   "stroke-dasharray=\"3,3\"/><text x=\"366\" y=\"%d\">waits</text>\n",
		ly + 24, ly + 24, ly + 28);
	fprintf(f, "<rect x=\"420\" y=\"%d\" width=\"4\" height=\"12\" fill=\"#cc0000\"/>"
		   "<text x=\"430\" y=\"%d\">stops (disabled wait, ADSTOP)</text>\n", ly + 18, ly + 28);
	fprintf(f, "</svg>\n");
	if ((rc = sim_file_commit(&t, SIM_FILE_REPLACE, NULL, 0)) != 0) {
		cp_printf(out, "HCPIND028E CANNOT WRITE %s: %s", path, strerror(-rc));
		return 28;
	}
	cp_printf(out, "TIMELINE WRITTEN TO %s", path);
	return 0;
}
