/*
 * cp/yamlwalk.c -- the parts every YAML loader shares (see
 * cp/yamlwalk.h): the first error with its file:line:col, scalars,
 * quoting, mappings with known keys, lists, and "did you mean".
 */
#include "cp/yamlwalk.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vfail_at(struct cp_yaml *y, int line, int col, const char *fmt, va_list ap)
{
	if (y->failed)
		return;
	y->failed = true;
	int n = snprintf(y->err, y->errlen, "%s:%d:%d: ", y->name, line, col);
	if (n < 0 || (size_t)n >= y->errlen)
		return;
	vsnprintf(y->err + n, y->errlen - (size_t)n, fmt, ap);
}

void cp_yaml_fail_at(struct cp_yaml *y, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail_at(y, line, col, fmt, ap);
	va_end(ap);
}

void cp_yaml_fail(struct cp_yaml *y, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail_at(y, CP_YAML_LINE(n), CP_YAML_COL(n), fmt, ap);
	va_end(ap);
}

yaml_node_t *cp_yaml_node(struct cp_yaml *y, int i)
{
	return yaml_document_get_node(y->doc, i);
}

const char *cp_yaml_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a single value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

const char *cp_yaml_show(struct cp_yaml *y, const char *s)
{
	size_t n = 0;
	for (; s[n] && n < 40; n++) {
		unsigned char c = (unsigned char)s[n];
		y->showbuf[n] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (s[n]) {   /* cut short: do not leave half a UTF-8 character */
		size_t start = n;
		while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
			start--;
		if (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0xC0) {
			unsigned lead = (unsigned char)s[start - 1];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
			if (n - (start - 1) < need)
				n = start - 1;
		}
	}
	y->showbuf[n] = '\0';
	return y->showbuf;
}

/*
 * libyaml keeps a NUL after every scalar, but a double-quoted "\0" can
 * put one inside: refuse that, or every string function would see a
 * shorter value than was written.
 */
const char *cp_yaml_scalar(struct cp_yaml *y, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		/* The classic: `- emulated: virtual PSW` is a mapping to YAML. */
		cp_yaml_fail(y, n, "%s is %s; expected a single value%s", what, cp_yaml_kind(n),
			     n->type == YAML_MAPPING_NODE ?
			     " (a ': ' inside a value makes it key: value; put the value in quotes)" :
			     "");
		return NULL;
	}
	const char *s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length) {
		cp_yaml_fail(y, n, "%s contains a NUL character; expected plain text", what);
		return NULL;
	}
	return s;
}

void cp_yaml_key_list(char *buf, size_t len, const char *const *known)
{
	size_t pos = 0;
	buf[0] = '\0';
	for (int i = 0; known[i] && pos < len; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "", known[i]);
}

void cp_yaml_map_begin(struct cp_yaml *y, struct cp_yaml_map *m, yaml_node_t *map,
		       const char *what, const char *const *known, unsigned required)
{
	memset(m, 0, sizeof *m);
	m->map = map;
	m->what = what;
	m->known = known;
	m->required = required;
	int nknown = 0;
	while (known[nknown])
		nknown++;
	assert(nknown <= CP_YAML_MAX_KEYS && "cp_yaml_map_begin: too many keys");
	if (map->type != YAML_MAPPING_NODE) {
		char list[300];
		cp_yaml_key_list(list, sizeof list, known);
		cp_yaml_fail(y, map, "%s is %s; expected a mapping with keys %s", what,
			     cp_yaml_kind(map), list);
		return;
	}
	m->next = map->data.mapping.pairs.start;
	m->open = true;
}

bool cp_yaml_map_next(struct cp_yaml *y, struct cp_yaml_map *m, int *key,
		      yaml_node_t **k, yaml_node_t **v)
{
	while (!y->failed && m->open && m->next < m->map->data.mapping.pairs.top) {
		yaml_node_pair_t *p = m->next++;
		*k = cp_yaml_node(y, p->key);
		*v = cp_yaml_node(y, p->value);
		if (!*k || !*v)
			continue;
		const char *ks = cp_yaml_scalar(y, *k, "a key");
		if (!ks)
			return false;
		int idx = -1;
		for (int i = 0; m->known[i]; i++)
			if (!strcmp(ks, m->known[i]))
				idx = i;
		if (idx < 0) {
			const char *near = cp_closest(ks, m->known);
			char list[300];
			cp_yaml_key_list(list, sizeof list, m->known);
			if (near)
				cp_yaml_fail(y, *k, "unknown key '%s' in %s; did you mean '%s'?",
					     cp_yaml_show(y, ks), m->what, near);
			else
				cp_yaml_fail(y, *k, "unknown key '%s' in %s; expected one of: %s",
					     cp_yaml_show(y, ks), m->what, list);
			return false;
		}
		if (m->seen[idx]) {
			cp_yaml_fail(y, *k, "'%s' given twice in %s (first at line %d); "
				     "expected each key once", ks, m->what,
				     CP_YAML_LINE(m->seen[idx]));
			return false;
		}
		m->seen[idx] = *k;
		*key = idx;
		return true;
	}
	/* The end (or an error): are the required keys all there? */
	for (int i = 0; m->open && m->known[i] && !y->failed; i++)
		if ((m->required & (1u << i)) && !m->seen[i])
			cp_yaml_fail(y, m->map, "%s has no '%s' (required)", m->what, m->known[i]);
	m->open = false;
	return false;
}

int cp_yaml_seq_begin(struct cp_yaml *y, struct cp_yaml_seq *s, yaml_node_t *n,
		      const char *what, const char *shape)
{
	s->next = s->top = NULL;
	if (n->type != YAML_SEQUENCE_NODE) {
		cp_yaml_fail(y, n, "%s is %s; expected a list%s", what, cp_yaml_kind(n), shape);
		return 0;
	}
	s->next = n->data.sequence.items.start;
	s->top = n->data.sequence.items.top;
	return (int)(s->top - s->next);
}

yaml_node_t *cp_yaml_seq_next(struct cp_yaml *y, struct cp_yaml_seq *s)
{
	while (!y->failed && s->next < s->top) {
		yaml_node_t *n = cp_yaml_node(y, *s->next++);
		if (n)
			return n;
	}
	return NULL;
}

int cp_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	int row[41];   /* one row of the table at a time */
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			int best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *cp_closest(const char *w, const char *const *list)
{
	const char *best = NULL;
	int bd = 99;
	for (int i = 0; list[i]; i++) {
		int d = cp_edit_distance(w, list[i]);
		if (d < bd) {
			bd = d;
			best = list[i];
		}
	}
	size_t n = strlen(w);
	if (best && bd <= 2 && (size_t)bd * 2 < (n > strlen(best) ? n : strlen(best)))
		return best;
	return NULL;
}
