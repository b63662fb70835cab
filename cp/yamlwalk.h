/*
 * cp/yamlwalk.h -- walking a libyaml document along a schema, with
 * messages a person can act on.
 *
 * Every YAML file vmlab reads -- the CP user directory (cp/directory.c),
 * lessons (lessons/lesson_load.c), and whatever loader comes next -- is
 * read the same way: libyaml builds a node tree whose nodes carry the
 * line and column where they start; the loader walks that tree along the
 * shape it expects and checks each value as it goes past.  This module is
 * the part they share:
 *
 *   - the first error, as one line "FILE:LINE:COL: what is wrong; what
 *     was expected" (later errors are usually echoes of the first);
 *   - scalars, refused when they are something else or hold a NUL;
 *   - text from the file quoted safely in a message;
 *   - mappings with a fixed set of keys: unknown keys (with a "did you
 *     mean" when one is close), keys given twice, required keys missing;
 *   - lists, item by item.
 *
 * It lives in cp/ because cp/ is the lowest folder with a YAML reader;
 * lessons/ sits above cp/ and may include it.
 *
 * A loader embeds struct cp_yaml in its own walk state and gives its own
 * messages; see the directory and lesson loaders for the pattern.
 */
#ifndef CP_YAMLWALK_H
#define CP_YAMLWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct cp_yaml {
	const char *name;        /* file name for messages */
	yaml_document_t *doc;
	char *err;               /* the first error goes here */
	size_t errlen;
	bool failed;             /* an error is recorded: stop walking */
	char showbuf[64];        /* cp_yaml_show's text */
};

/* Where a node starts, 1-based as editors count. */
#define CP_YAML_LINE(nd) ((int)(nd)->start_mark.line + 1)
#define CP_YAML_COL(nd) ((int)(nd)->start_mark.column + 1)

/* Record "NAME:LINE:COL: message" unless an error is recorded already. */
void cp_yaml_fail_at(struct cp_yaml *y, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cp_yaml_fail(struct cp_yaml *y, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Node number i of the document (NULL if there is none). */
yaml_node_t *cp_yaml_node(struct cp_yaml *y, int i);

/* "a single value", "a list", "a mapping": what a node is, in words. */
const char *cp_yaml_kind(const yaml_node_t *n);

/* Text from the file as a message quotes it: at most 40 bytes, cut at a
 * character boundary, control characters as '?'.  Valid until the next
 * call with the same y. */
const char *cp_yaml_show(struct cp_yaml *y, const char *s);

/* The text of a scalar node, or NULL (error recorded) for any other
 * node or text with a NUL inside.  what names the value in messages. */
const char *cp_yaml_scalar(struct cp_yaml *y, yaml_node_t *n, const char *what);

/* known[] (NULL-terminated) as "a, b, c" into buf. */
void cp_yaml_key_list(char *buf, size_t len, const char *const *known);

/* The pairs of a mapping whose keys come from known[] (NULL-terminated,
 * at most CP_YAML_MAX_KEYS); required has a bit per index of known[]
 * that must be present.  Use as
 *
 *   struct cp_yaml_map m;
 *   cp_yaml_map_begin(y, &m, node, "a user", keys, 0);
 *   while (cp_yaml_map_next(y, &m, &key, &k, &v))
 *           ... key is the index in keys[], k and v the nodes ...
 *
 * Not a mapping, an unknown key, a key given twice or a missing required
 * key is an error, and ends the loop (so does any error recorded by the
 * loop's body). */
#define CP_YAML_MAX_KEYS 16
struct cp_yaml_map {
	yaml_node_t *map;
	yaml_node_pair_t *next;
	bool open;               /* a mapping, not yet at its end */
	const char *what;
	const char *const *known;
	unsigned required;
	yaml_node_t *seen[CP_YAML_MAX_KEYS];
};
void cp_yaml_map_begin(struct cp_yaml *y, struct cp_yaml_map *m, yaml_node_t *map,
		       const char *what, const char *const *known, unsigned required);
bool cp_yaml_map_next(struct cp_yaml *y, struct cp_yaml_map *m, int *key,
		      yaml_node_t **k, yaml_node_t **v);

/* The items of a list node, in order:
 *
 *   struct cp_yaml_seq s;
 *   cp_yaml_seq_begin(y, &s, node, "mdisks", " of { addr, file, ... }");
 *   for (yaml_node_t *n; (n = cp_yaml_seq_next(y, &s)) != NULL; )
 *           ...
 *
 * begin returns the number of items; a node that is not a list is an
 * error ("mdisks is a mapping; expected a list of { addr, file, ... }")
 * and has none.  next ends the loop at the end or at any error. */
struct cp_yaml_seq {
	yaml_node_item_t *next, *top;
};
int cp_yaml_seq_begin(struct cp_yaml *y, struct cp_yaml_seq *s, yaml_node_t *n,
		      const char *what, const char *shape);
yaml_node_t *cp_yaml_seq_next(struct cp_yaml *y, struct cp_yaml_seq *s);

/* Edit distance (Levenshtein, case-insensitive) between two short words;
 * 99 for words longer than 40 characters. */
int cp_edit_distance(const char *a, const char *b);

/* The word of list (NULL-terminated) nearest to w, if near enough to be
 * a plausible typo -- at most 2 edits, and fewer than half its letters --
 * for "did you mean"; NULL if none is. */
const char *cp_closest(const char *w, const char *const *list);

#endif
