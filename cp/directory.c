/*
 * cp/directory.c -- reading the CP user directory (YAML) and the built-in
 * default one.
 *
 * How a directory travels into CP:
 *
 *   text --libyaml--> node tree --walk--> struct cp_directory --> LOGON, LINK
 *                     (marks: line, col)   (checked, upper case)
 *
 * libyaml turns the text into a tree of scalars, sequences and mappings,
 * each node carrying the line and column where it starts.  We then walk
 * the tree along the shape we expect (a mapping with `system` and
 * `users`, each user a mapping, ...) and check every value as it goes
 * past.  Because the walk only ever descends into the shapes the schema
 * allows, its depth is fixed: no input -- however deep, however many
 * aliases -- can make it recurse without bound.
 *
 * Every complaint is one line, "FILE:LINE:COL: what is wrong; what was
 * expected", pointing at the node that is wrong: the person who wrote the
 * file should be able to fix it without reading this code.  Only the first
 * error is reported: after one mistake the later ones are often echoes.
 *
 * Checks that need the whole entry (duplicate device addresses, the IPL
 * device) run when a user's mapping is finished; checks that need the
 * whole directory (a LINK to a user or minidisk that does not exist) run
 * at the end.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "cp/directory.h"
#include "cms/mdisk.h"
#include "cms/sysfiles.h"
#include "cp/yamlwalk.h"
#include "sim/hostfile.h"

/* A directory file larger than this is refused before parsing: a class
 * of a few hundred users fits in a few hundred KiB. */
#define DIR_MAX_BYTES (4u << 20)
/* Extents end below this block (8 GiB of 512-byte blocks): teaching
 * minidisks are small, and the image files stay creatable. */
#define DIR_MAX_BLOCK (1ull << 24)
#define DIR_MAX_USERS 10000
#define DIR_MAX_DEVS_PER_USER 256

const char cp_directory_default_yaml[] =
	"# vmlab built-in user directory.\n"
	"#\n"
	"# Everyone links MAINT's system disk 190 read-only and has a private\n"
	"# 191.  MAINT owns 190 in mode MR: it may update the system disk as\n"
	"# long as no one else writes it; its read password ALL lets anyone\n"
	"# link it read-only.  Copy this file to start your own\n"
	"# (vmlab --directory FILE).\n"
	"system:\n"
	"  name: VMLAB\n"
	"  slice: 20000\n"
	"users:\n"
	"  - id: OPERATOR\n"
	"    storage: 1M\n"
	"    class: ABCDEFG\n"
	"    mdisks:\n"
	"      - { addr: 191, file: OPERATOR.191.disk, start: 0, blocks: 1024, mode: W }\n"
	"    links:\n"
	"      - { user: MAINT, addr: 190, as: 190, mode: RR }\n"
	"  - id: MAINT\n"
	"    storage: 1M\n"
	"    class: ABCDEG\n"
	"    ipl: CMS\n"
	"    mdisks:\n"
	"      - { addr: 190, file: system.disk, start: 0, blocks: 2048, mode: MR,\n"
	"          readpw: ALL }\n"
	"      - { addr: 191, file: MAINT.191.disk, start: 0, blocks: 1024, mode: W }\n"
	"  - id: ALICE\n"
	"    storage: 1M\n"
	"    class: G\n"
	"    ipl: CMS\n"
	"    mdisks:\n"
	"      - { addr: 191, file: ALICE.191.disk, start: 0, blocks: 1024, mode: W }\n"
	"    links:\n"
	"      - { user: MAINT, addr: 190, as: 190, mode: RR }\n"
	"  - id: BOB\n"
	"    storage: 1M\n"
	"    class: G\n"
	"    ipl: CMS\n"
	"    mdisks:\n"
	"      - { addr: 191, file: BOB.191.disk, start: 0, blocks: 1024, mode: W }\n"
	"    links:\n"
	"      - { user: MAINT, addr: 190, as: 190, mode: RR }\n"
	"  - id: CAROL\n"
	"    storage: 1M\n"
	"    class: G\n"
	"    ipl: CMS\n"
	"    mdisks:\n"
	"      - { addr: 191, file: CAROL.191.disk, start: 0, blocks: 1024, mode: W }\n"
	"    links:\n"
	"      - { user: MAINT, addr: 190, as: 190, mode: RR }\n";

/* ------------------------------------------------------------------ */
/* Link modes                                                          */

static const char *const mode_names[CP_LINK_MODE_COUNT] = {
	[CP_LINK_R] = "R",   [CP_LINK_RR] = "RR", [CP_LINK_W] = "W",
	[CP_LINK_WR] = "WR", [CP_LINK_M] = "M",   [CP_LINK_MR] = "MR",
	[CP_LINK_MW] = "MW",
};

const char *cp_link_mode_name(enum cp_link_mode m)
{
	return (unsigned)m < CP_LINK_MODE_COUNT ? mode_names[m] : "?";
}

bool cp_link_mode_parse(const char *s, enum cp_link_mode *out)
{
	if (!s)
		return false;
	for (int i = 0; i < CP_LINK_MODE_COUNT; i++)
		if (!strcasecmp(s, mode_names[i])) {
			*out = (enum cp_link_mode)i;
			return true;
		}
	return false;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static bool userid_char(int c)
{
	return isascii(c) && (isalnum(c) || c == '@' || c == '#' || c == '$');
}

bool cp_userid_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > CP_USERID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!userid_char((unsigned char)s[i]))
			return false;
	return true;
}

static void upcase(char *dst, const char *src, size_t max)
{
	size_t i = 0;
	for (; src[i] && i < max; i++)
		dst[i] = (char)toupper((unsigned char)src[i]);
	dst[i] = '\0';
}

/* "1-3 hex digits" -> address; false for anything else. */
static bool parse_hex_addr(const char *s, uint16_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 3)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (!isxdigit(c))
			return false;
		v = v * 16 + (unsigned)(isdigit(c) ? c - '0' : toupper(c) - 'A' + 10);
	}
	*out = (uint16_t)v;
	return true;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p) {
		fprintf(stderr, "vmlab: out of memory\n");
		abort();
	}
	return p;
}

/* Grow an array of n elements of size sz to hold one more. */
static void *grow(void *p, int n, size_t sz)
{
	if ((n & (n - 1)) == 0) {          /* 0, 1, 2, 4, ...: double */
		size_t cap = n ? (size_t)n * 2 : 1;
		p = realloc(p, cap * sz);
		if (!p) {
			fprintf(stderr, "vmlab: out of memory\n");
			abort();
		}
	}
	return p;
}

static char *join_path(const char *dir, const char *file)
{
	if (file[0] == '/' || !dir || !dir[0])
		return xstrdup(file);
	size_t n = strlen(dir) + strlen(file) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", file);
	return p;
}

/* ------------------------------------------------------------------ */
/* The walk over the node tree                                         */

struct walk {
	struct cp_yaml y;        /* file name, document, the first error */
	const char *state_dir;
	struct cp_directory *dir;
};

#define fail(w, nd, ...) cp_yaml_fail(&(w)->y, (nd), __VA_ARGS__)
#define show(w, s) cp_yaml_show(&(w)->y, (s))
#define scalar(w, n, what) cp_yaml_scalar(&(w)->y, (n), (what))

/* Device addresses of the user being read, for the duplicate check. */
struct devuse {
	uint16_t addr;
	const char *what;        /* "console", "minidisk", "link", ... */
	int line, col;           /* 0: a default, not written anywhere */
};

/* Walk a mapping whose keys must come from known[] (cp/yamlwalk.h says
 * what is an error): fn(w, key index, key node, value node, ctx) per pair. */
typedef void pair_fn(struct walk *w, int key, yaml_node_t *key_node,
		     yaml_node_t *val, void *ctx);

static void walk_mapping(struct walk *w, yaml_node_t *map, const char *what,
			 const char *const *known, pair_fn *fn, void *ctx)
{
	struct cp_yaml_map m;
	int key;
	yaml_node_t *k, *v;
	cp_yaml_map_begin(&w->y, &m, map, what, known, 0);
	while (cp_yaml_map_next(&w->y, &m, &key, &k, &v))
		fn(w, key, k, v, ctx);
}

/* A decimal number in [lo, hi]. */
static bool get_number(struct walk *w, yaml_node_t *n, const char *what,
		       uint64_t lo, uint64_t hi, uint64_t *out)
{
	const char *s = scalar(w, n, what);
	if (!s)
		return false;
	uint64_t v = 0;
	if (!*s)
		goto bad;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		if (v > (UINT64_MAX - 9) / 10) {
			v = UINT64_MAX;
			break;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v < lo || v > hi) {
		fail(w, n, "%s %s is out of range; expected %llu to %llu", what,
		     show(w, s), (unsigned long long)lo, (unsigned long long)hi);
		return false;
	}
	*out = v;
	return true;
bad:
	fail(w, n, "%s '%s' is not a number; expected decimal digits", what,
	     show(w, s));
	return false;
}

static bool get_addr(struct walk *w, yaml_node_t *n, const char *what,
		     uint16_t *out)
{
	const char *s = scalar(w, n, what);
	if (!s)
		return false;
	if (!parse_hex_addr(s, out)) {
		fail(w, n, "%s '%s' is not a device address; expected 1 to 3 "
		     "hex digits, 000 to FFF (e.g. 191)", what, show(w, s));
		return false;
	}
	return true;
}

static bool get_mode(struct walk *w, yaml_node_t *n, enum cp_link_mode *out)
{
	const char *s = scalar(w, n, "mode");
	if (!s)
		return false;
	if (!cp_link_mode_parse(s, out)) {
		fail(w, n, "invalid mode '%s'; expected R, RR, W, WR, M, MR or MW",
		     show(w, s));
		return false;
	}
	return true;
}

static bool get_userid(struct walk *w, yaml_node_t *n, const char *what,
		       char out[CP_USERID_MAX + 1])
{
	const char *s = scalar(w, n, what);
	if (!s)
		return false;
	if (!cp_userid_valid(s)) {
		fail(w, n, "%s '%s' is not a valid user id; expected 1 to 8 "
		     "letters, digits, @, # or $", what, show(w, s));
		return false;
	}
	upcase(out, s, CP_USERID_MAX);
	return true;
}

/*
 * A storage size: a number with K or M (or neither: bytes).  It must be a
 * whole number of 4 KiB pages, because CP gives a guest whole pages and
 * the shadow tables map whole pages.
 */
static bool get_storage(struct walk *w, yaml_node_t *n, const char *what,
			uint32_t *out)
{
	const char *s = scalar(w, n, what);
	if (!s)
		return false;
	uint64_t v = 0;
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		goto bad;
	while (isdigit((unsigned char)*p)) {
		if (v > 1u << 30)
			v = 1ull << 40;   /* far out of range; stop growing */
		else
			v = v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (*p == 'K' || *p == 'k')
		v *= 1024, p++;
	else if (*p == 'M' || *p == 'm')
		v *= 1024 * 1024, p++;
	if (*p)
		goto bad;
	if (v < CP_STORAGE_MIN || v > CP_STORAGE_MAX) {
		fail(w, n, "%s %s is out of range; expected 64K to 64M", what,
		     show(w, s));
		return false;
	}
	if (v % CP_PAGE_SIZE) {
		fail(w, n, "%s %s is not a whole number of 4K pages; expected "
		     "a multiple of 4K (e.g. 1M, 512K)", what, show(w, s));
		return false;
	}
	*out = (uint32_t)v;
	return true;
bad:
	fail(w, n, "%s '%s' is not a size; expected a number with K or M "
	     "(e.g. 1M, 512K)", what, show(w, s));
	return false;
}

/* ---- system: ----------------------------------------------------- */

static const char *const system_keys[] = { "name", "slice", NULL };

static void system_pair(struct walk *w, int key, yaml_node_t *k,
			yaml_node_t *v, void *ctx)
{
	const char *s;
	uint64_t n;

	switch (key) {
	case 0:
		if (!(s = scalar(w, v, "system name")))
			return;
		if (!cp_userid_valid(s)) {
			fail(w, v, "system name '%s' is not valid; expected 1 to 8 "
			     "letters, digits, @, # or $", show(w, s));
			return;
		}
		upcase(w->dir->name, s, CP_SYSNAME_MAX);
		return;
	case 1:
		if (get_number(w, v, "slice", 100, 1000000000, &n))
			w->dir->slice = n;
		return;
	}
}

/* ---- mdisks: and links: ------------------------------------------ */

static const char *const mdisk_keys[] = { "addr", "file", "start", "blocks",
					  "mode", "readpw", "writepw", "multipw",
					  NULL };
enum { MD_ADDR, MD_FILE, MD_START, MD_BLOCKS, MD_MODE, MD_READPW, MD_WRITEPW,
       MD_MULTIPW, MD_NKEYS };

struct mdisk_ctx {
	struct cp_mdisk_def *m;
	bool have[MD_NKEYS];
};

/* A password: 1 to 8 printable characters, no blanks; upper case. */
static void get_password(struct walk *w, yaml_node_t *v, const char *what,
			 char out[CP_PASSWORD_MAX + 1])
{
	const char *s = scalar(w, v, what);
	if (!s)
		return;
	if (!*s || strlen(s) > CP_PASSWORD_MAX) {
		fail(w, v, "%s must have 1 to 8 characters; leave it out for none",
		     what);
		return;
	}
	for (const char *p = s; *p; p++)
		if (!isgraph((unsigned char)*p)) {
			fail(w, v, "%s has a blank or control character; expected "
			     "printable characters", what);
			return;
		}
	upcase(out, s, CP_PASSWORD_MAX);
}

static void mdisk_pair(struct walk *w, int key, yaml_node_t *k,
		       yaml_node_t *v, void *ctx)
{
	struct mdisk_ctx *c = ctx;
	struct cp_mdisk_def *m = c->m;
	const char *s;
	uint64_t n;

	c->have[key] = true;
	switch (key) {
	case MD_ADDR:
		get_addr(w, v, "minidisk address", &m->addr);
		return;
	case MD_FILE:
		if (!(s = scalar(w, v, "file")))
			return;
		if (!*s) {
			fail(w, v, "empty file name; expected the name of a disk image");
			return;
		}
		m->file = xstrdup(s);
		m->path = join_path(w->state_dir, s);
		return;
	case MD_START:
		if (get_number(w, v, "start", 0, DIR_MAX_BLOCK - 1, &n))
			m->start = n;
		return;
	case MD_BLOCKS:
		if (get_number(w, v, "blocks", 1, DIR_MAX_BLOCK, &n))
			m->blocks = (uint32_t)n;
		return;
	case MD_MODE:
		get_mode(w, v, &m->mode);
		return;
	case MD_READPW:
		get_password(w, v, "readpw", m->readpw);
		return;
	case MD_WRITEPW:
		get_password(w, v, "writepw", m->writepw);
		return;
	case MD_MULTIPW:
		get_password(w, v, "multipw", m->multipw);
		return;
	}
}

static const char *const link_keys[] = { "user", "addr", "as", "mode", NULL };
enum { LK_USER, LK_ADDR, LK_AS, LK_MODE };

struct link_ctx {
	struct cp_link_def *l;
	bool have[4];
};

static void link_pair(struct walk *w, int key, yaml_node_t *k,
		      yaml_node_t *v, void *ctx)
{
	struct link_ctx *c = ctx;
	c->have[key] = true;
	switch (key) {
	case LK_USER:
		get_userid(w, v, "link user", c->l->user);
		return;
	case LK_ADDR:
		get_addr(w, v, "link address", &c->l->addr);
		return;
	case LK_AS:
		get_addr(w, v, "link 'as' address", &c->l->as);
		return;
	case LK_MODE:
		get_mode(w, v, &c->l->mode);
		return;
	}
}

/* ---- users: ------------------------------------------------------ */

static const char *const user_keys[] = {
	"id", "password", "storage", "maxstorage", "class", "console",
	"reader", "punch", "printer", "ipl", "mdisks", "links", NULL
};
enum { U_ID, U_PASSWORD, U_STORAGE, U_MAXSTORAGE, U_CLASS, U_CONSOLE,
       U_READER, U_PUNCH, U_PRINTER, U_IPL, U_MDISKS, U_LINKS, U_NKEYS };

struct user_ctx {
	struct cp_user_def *u;
	yaml_node_t *key[U_NKEYS];    /* where each key was given */
	yaml_node_t *val[U_NKEYS];
	const char *ipl;              /* the ipl value, checked at the end */
};

/* `mdisks:` with nothing after it (or ~, null) is YAML's null: read it
 * as an empty list, which is surely what was meant. */
static bool is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

static void read_mdisks(struct walk *w, struct cp_user_def *u, yaml_node_t *seq)
{
	if (is_null(seq))
		return;
	struct cp_yaml_seq items;
	cp_yaml_seq_begin(&w->y, &items, seq, "mdisks", " of { addr, file, start, blocks, mode }");
	for (yaml_node_t *n; (n = cp_yaml_seq_next(&w->y, &items)) != NULL; ) {
		if (u->nmdisks >= DIR_MAX_DEVS_PER_USER) {
			fail(w, n, "too many minidisks; expected at most %d a user",
			     DIR_MAX_DEVS_PER_USER);
			return;
		}
		u->mdisks = grow(u->mdisks, u->nmdisks, sizeof *u->mdisks);
		struct cp_mdisk_def *m = &u->mdisks[u->nmdisks++];
		*m = (struct cp_mdisk_def){ .mode = CP_LINK_W, .line = CP_YAML_LINE(n),
					    .col = CP_YAML_COL(n) };
		struct mdisk_ctx c = { .m = m };
		walk_mapping(w, n, "a minidisk", mdisk_keys, mdisk_pair, &c);
		if (w->y.failed)
			return;
		/* addr, file and blocks have no sensible default: a
		 * minidisk is exactly "this many blocks of that file". */
		static const int need[] = { MD_ADDR, MD_FILE, MD_BLOCKS };
		for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
			if (!c.have[need[i]]) {
				fail(w, n, "minidisk without '%s'; expected "
				     "{ addr, file, start, blocks, mode } with "
				     "addr, file and blocks given",
				     mdisk_keys[need[i]]);
				return;
			}
		/* VM/370's rule: each password needs the weaker ones, so
		 * whoever may write may also read. */
		if ((m->writepw[0] || m->multipw[0]) && !m->readpw[0]) {
			fail(w, n, "minidisk %03X has a %s password but no read "
			     "password; expected readpw too", m->addr,
			     m->writepw[0] ? "write" : "multiple-write");
			return;
		}
		if (m->multipw[0] && !m->writepw[0]) {
			fail(w, n, "minidisk %03X has a multiple-write password but "
			     "no write password; expected writepw too", m->addr);
			return;
		}
		if (m->start + m->blocks > DIR_MAX_BLOCK) {
			fail(w, n, "minidisk %03X ends at block %llu; expected "
			     "extents to end by block %llu", m->addr,
			     (unsigned long long)(m->start + m->blocks),
			     (unsigned long long)DIR_MAX_BLOCK);
			return;
		}
	}
}

static void read_links(struct walk *w, struct cp_user_def *u, yaml_node_t *seq)
{
	if (is_null(seq))
		return;
	struct cp_yaml_seq items;
	cp_yaml_seq_begin(&w->y, &items, seq, "links", " of { user, addr, as, mode }");
	for (yaml_node_t *n; (n = cp_yaml_seq_next(&w->y, &items)) != NULL; ) {
		if (u->nlinks >= DIR_MAX_DEVS_PER_USER) {
			fail(w, n, "too many links; expected at most %d a user",
			     DIR_MAX_DEVS_PER_USER);
			return;
		}
		u->links = grow(u->links, u->nlinks, sizeof *u->links);
		struct cp_link_def *l = &u->links[u->nlinks++];
		/* R is VM/370's default mode for a link to another user. */
		*l = (struct cp_link_def){ .mode = CP_LINK_R, .line = CP_YAML_LINE(n),
					   .col = CP_YAML_COL(n) };
		struct link_ctx c = { .l = l };
		walk_mapping(w, n, "a link", link_keys, link_pair, &c);
		if (w->y.failed)
			return;
		if (!c.have[LK_USER] || !c.have[LK_ADDR]) {
			fail(w, n, "link without '%s'; expected { user, addr, as, "
			     "mode } with user and addr given",
			     c.have[LK_USER] ? "addr" : "user");
			return;
		}
		if (!c.have[LK_AS])
			l->as = l->addr;
	}
}

static void user_pair(struct walk *w, int key, yaml_node_t *k,
		      yaml_node_t *v, void *ctx)
{
	struct user_ctx *c = ctx;
	struct cp_user_def *u = c->u;
	const char *s;

	c->key[key] = k;
	c->val[key] = v;
	switch (key) {
	case U_ID:
		get_userid(w, v, "user id", u->id);
		return;
	case U_PASSWORD:
		if (!(s = scalar(w, v, "password")))
			return;
		if (!*s || strlen(s) > CP_PASSWORD_MAX) {
			fail(w, v, "password must have 1 to 8 characters; leave "
			     "'password' out for none");
			return;
		}
		for (const char *p = s; *p; p++)
			if (!isgraph((unsigned char)*p)) {
				fail(w, v, "password has a blank or control "
				     "character; expected printable characters");
				return;
			}
		u->has_password = true;
		upcase(u->password, s, CP_PASSWORD_MAX);
		return;
	case U_STORAGE:
		get_storage(w, v, "storage", &u->storage);
		return;
	case U_MAXSTORAGE:
		get_storage(w, v, "maxstorage", &u->maxstorage);
		return;
	case U_CLASS:
		if (!(s = scalar(w, v, "class")))
			return;
		if (!*s) {
			fail(w, v, "empty class; expected privilege classes A to G "
			     "(e.g. G, or ABCDEFG)");
			return;
		}
		u->classes[0] = '\0';
		for (const char *p = s; *p; p++) {
			char cl = (char)toupper((unsigned char)*p);
			if (cl < 'A' || cl > 'G') {
				fail(w, v, "class '%s' has '%c'; expected privilege "
				     "classes A to G (A operator, B resources, C "
				     "programmer, D spool, E analyst, G general)",
				     show(w, s), isprint((unsigned char)*p) ? *p : '?');
				return;
			}
			if (strchr(u->classes, cl)) {
				fail(w, v, "class '%s' has '%c' twice; expected each "
				     "class once", show(w, s), cl);
				return;
			}
			size_t n = strlen(u->classes);
			u->classes[n] = cl;
			u->classes[n + 1] = '\0';
		}
		return;
	case U_CONSOLE:
		get_addr(w, v, "console address", &u->console);
		return;
	case U_READER:
		get_addr(w, v, "reader address", &u->reader);
		return;
	case U_PUNCH:
		get_addr(w, v, "punch address", &u->punch);
		return;
	case U_PRINTER:
		get_addr(w, v, "printer address", &u->printer);
		return;
	case U_IPL:
		c->ipl = scalar(w, v, "ipl");
		return;
	case U_MDISKS:
		read_mdisks(w, u, v);
		return;
	case U_LINKS:
		read_links(w, u, v);
		return;
	}
}

/* Sort classes A..G so that "GA" and "AG" print alike. */
static void sort_classes(char *s)
{
	char out[8];
	size_t n = 0;
	for (char c = 'A'; c <= 'G'; c++)
		if (strchr(s, c))
			out[n++] = c;
	out[n] = '\0';
	memcpy(s, out, n + 1);
}

/*
 * Checks over a whole user entry: every device address used once, the
 * storage limits in order, the IPL target known.
 */
static void finish_user(struct walk *w, yaml_node_t *map, struct user_ctx *c)
{
	struct cp_user_def *u = c->u;
	struct devuse use[4 + 2 * DIR_MAX_DEVS_PER_USER];
	int nuse = 0;

	if (!c->val[U_ID]) {
		fail(w, map, "user without 'id'; expected 'id: NAME' (1 to 8 "
		     "letters, digits, @, # or $)");
		return;
	}
	if (!c->val[U_STORAGE]) {
		fail(w, map, "user %s has no 'storage'; expected e.g. 'storage: 1M'",
		     u->id);
		return;
	}
	if (!c->val[U_MAXSTORAGE])
		u->maxstorage = u->storage;
	else if (u->maxstorage < u->storage) {
		fail(w, c->val[U_MAXSTORAGE], "maxstorage is below storage for "
		     "user %s; expected at least the storage size", u->id);
		return;
	}
	if (!c->val[U_CLASS])
		strcpy(u->classes, "G");   /* VM/370's default: general user */
	sort_classes(u->classes);

	/* Unit-record devices and the console first, then minidisks, then
	 * links: the message then blames the later of two definitions. */
	static const struct { int key; const char *what; size_t off; } ur[] = {
		{ U_CONSOLE, "console", offsetof(struct cp_user_def, console) },
		{ U_READER, "reader", offsetof(struct cp_user_def, reader) },
		{ U_PUNCH, "punch", offsetof(struct cp_user_def, punch) },
		{ U_PRINTER, "printer", offsetof(struct cp_user_def, printer) },
	};
	for (size_t i = 0; i < 4; i++) {
		yaml_node_t *v = c->val[ur[i].key];
		use[nuse++] = (struct devuse){
			*(uint16_t *)((char *)u + ur[i].off), ur[i].what,
			v ? CP_YAML_LINE(v) : 0, v ? CP_YAML_COL(v) : 0 };
	}
	for (int i = 0; i < u->nmdisks; i++)
		use[nuse++] = (struct devuse){ u->mdisks[i].addr, "minidisk",
					       u->mdisks[i].line, u->mdisks[i].col };
	for (int i = 0; i < u->nlinks; i++)
		use[nuse++] = (struct devuse){ u->links[i].as, "link",
					       u->links[i].line, u->links[i].col };
	for (int i = 1; i < nuse; i++)
		for (int j = 0; j < i; j++) {
			if (use[i].addr != use[j].addr)
				continue;
			int line = use[i].line ? use[i].line : CP_YAML_LINE(map);
			int col = use[i].line ? use[i].col : CP_YAML_COL(map);
			char first[64];
			if (use[j].line)
				snprintf(first, sizeof first, "line %d", use[j].line);
			else
				snprintf(first, sizeof first, "default");
			cp_yaml_fail_at(&w->y, line, col, "device %03X of user %s is both the %s "
				"(%s) and this %s; expected each device address "
				"once in a user", use[i].addr, u->id, use[j].what,
				first, use[i].what);
			return;
		}

	if (c->ipl) {
		uint16_t a;
		u->has_ipl = true;
		if (parse_hex_addr(c->ipl, &a)) {
			u->ipl_is_dev = true;
			u->ipl_dev = a;
			for (int i = 0; i < nuse; i++)
				if (use[i].addr == a)
					return;
			fail(w, c->val[U_IPL], "ipl device %03X is not one of user "
			     "%s's devices; expected a device address of this "
			     "user or a named system (e.g. CMS)", a, u->id);
		} else if (cp_userid_valid(c->ipl)) {
			upcase(u->ipl_name, c->ipl, CP_SYSNAME_MAX);
		} else {
			fail(w, c->val[U_IPL], "ipl '%s' is neither a device "
			     "address nor a system name; expected e.g. CMS or 190",
			     show(w, c->ipl));
		}
	}
}

static void read_users(struct walk *w, yaml_node_t *seq)
{
	struct cp_directory *d = w->dir;

	struct cp_yaml_seq items;
	cp_yaml_seq_begin(&w->y, &items, seq, "users", " of users (- id: ...)");
	for (yaml_node_t *n; (n = cp_yaml_seq_next(&w->y, &items)) != NULL; ) {
		if (d->nusers >= DIR_MAX_USERS) {
			fail(w, n, "too many users; expected at most %d", DIR_MAX_USERS);
			return;
		}
		d->users = grow(d->users, d->nusers, sizeof *d->users);
		struct cp_user_def *u = &d->users[d->nusers++];
		*u = (struct cp_user_def){
			.console = 0x009, .reader = 0x00C, .punch = 0x00D,
			.printer = 0x00E, .line = CP_YAML_LINE(n), .col = CP_YAML_COL(n),
		};
		struct user_ctx c = { .u = u };
		walk_mapping(w, n, "a user", user_keys, user_pair, &c);
		if (w->y.failed)
			return;
		finish_user(w, n, &c);
		if (w->y.failed)
			return;
		for (int i = 0; i < d->nusers - 1; i++)
			if (!strcmp(d->users[i].id, u->id)) {
				fail(w, c.val[U_ID], "user %s is defined twice (first "
				     "at line %d); expected each user id once",
				     u->id, d->users[i].line);
				return;
			}
	}
}

/* After all users: every LINK names a user and a minidisk that exist. */
static void check_links(struct walk *w)
{
	struct cp_directory *d = w->dir;
	for (int i = 0; i < d->nusers && !w->y.failed; i++) {
		struct cp_user_def *u = &d->users[i];
		for (int j = 0; j < u->nlinks; j++) {
			struct cp_link_def *l = &u->links[j];
			const struct cp_user_def *o = cp_directory_find(d, l->user);
			if (!o) {
				const char *ids[64];
				int n = 0;
				for (int k = 0; k < d->nusers && n < 63; k++)
					ids[n++] = d->users[k].id;
				ids[n] = NULL;
				const char *near = n < 63 ? cp_closest(l->user, ids) : NULL;
				cp_yaml_fail_at(&w->y, l->line, l->col, "user %s links to user %s, "
					"who is not in the directory; %s%s%s", u->id,
					l->user, near ? "did you mean " : "expected an "
					"existing user id", near ? near : "",
					near ? "?" : "");
				return;
			}
			if (!cp_user_find_mdisk(o, l->addr)) {
				char have[128] = "";
				size_t pos = 0;
				for (int k = 0; k < o->nmdisks && k < 16; k++)
					pos += (size_t)snprintf(have + pos, sizeof have - pos,
								"%s%03X", k ? ", " : "",
								o->mdisks[k].addr);
				cp_yaml_fail_at(&w->y, l->line, l->col, "user %s links to %s %03X, "
					"which is not a minidisk of %s; expected %s%s",
					u->id, o->id, l->addr, o->id,
					o->nmdisks ? "one of " : "none: that user has no "
					"minidisks", have);
				return;
			}
		}
	}
}

static const char *const top_keys[] = { "system", "users", NULL };

static void top_pair(struct walk *w, int key, yaml_node_t *k,
		     yaml_node_t *v, void *ctx)
{
	bool *have_users = ctx;
	if (key == 0) {
		walk_mapping(w, v, "system", system_keys, system_pair, NULL);
	} else {
		*have_users = true;
		read_users(w, v);
	}
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

int cp_directory_parse(const char *text, size_t len, const char *name,
		       const char *state_dir, struct cp_directory *dir,
		       char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct walk w = {
		.y = { .name = name ? name : "(directory)", .doc = &doc,
		       .err = err, .errlen = errlen },
		.state_dir = state_dir, .dir = dir,
	};
	int rc = 0;

	memset(dir, 0, sizeof *dir);
	if (errlen)
		err[0] = '\0';
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: cannot start the YAML parser", w.y.name);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		/* A syntax error: libyaml says what and where (0-based). */
		/* The reader (bad UTF-8, control characters) knows only the
		 * byte offset: count lines and columns to it ourselves. */
		if (parser.error == YAML_READER_ERROR) {
			size_t line = 1, col = 1;
			for (size_t i = 0; i < parser.problem_offset && i < len; i++) {
				if (text[i] == '\n')
					line++, col = 1;
				else if (((unsigned char)text[i] & 0xC0) != 0x80)
					col++;
			}
			parser.problem_mark.line = line - 1;
			parser.problem_mark.column = col - 1;
		}
		char ctx[160] = "";
		if (parser.context)
			snprintf(ctx, sizeof ctx, " %s (begun at %d:%d)",
				 parser.context, (int)parser.context_mark.line + 1,
				 (int)parser.context_mark.column + 1);
		snprintf(err, errlen, "%s:%d:%d: %s%s; expected well-formed YAML",
			 w.y.name, (int)parser.problem_mark.line + 1,
			 (int)parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "malformed YAML", ctx);
		yaml_parser_delete(&parser);
		return -EINVAL;
	}

	dir->source = xstrdup(w.y.name);
	dir->state_dir = xstrdup(state_dir ? state_dir : "");
	strcpy(dir->name, CP_DEFAULT_SYSNAME);
	dir->slice = CP_DEFAULT_SLICE;

	yaml_node_t *root = yaml_document_get_root_node(&doc);
	bool have_users = false;
	if (!root) {
		cp_yaml_fail_at(&w.y, 1, 1, "the directory is empty; expected a mapping with "
			"'users:' (and optionally 'system:')");
	} else {
		walk_mapping(&w, root, "the directory", top_keys, top_pair,
			     &have_users);
		if (!w.y.failed && !have_users)
			fail(&w, root, "no 'users:' in the directory; expected a "
			     "list of users");
		if (!w.y.failed && dir->nusers == 0)
			fail(&w, root, "the users list is empty; expected at least "
			     "one user");
		if (!w.y.failed)
			check_links(&w);
	}
	yaml_document_delete(&doc);

	/* One directory a file: a second document is likely a mistake
	 * (two files pasted together). */
	if (!w.y.failed) {
		yaml_document_t more;
		if (!yaml_parser_load(&parser, &more)) {
			snprintf(err, errlen, "%s:%d:%d: %s; expected well-formed YAML",
				 w.y.name, (int)parser.problem_mark.line + 1,
				 (int)parser.problem_mark.column + 1,
				 parser.problem ? parser.problem : "malformed YAML");
			w.y.failed = true;
		} else {
			yaml_node_t *r2 = yaml_document_get_root_node(&more);
			if (r2)
				fail(&w, r2, "a second YAML document; expected one "
				     "directory a file");
			yaml_document_delete(&more);
		}
	}
	yaml_parser_delete(&parser);
	if (w.y.failed) {
		cp_directory_free(dir);
		rc = -EINVAL;
	}
	return rc;
}

int cp_directory_load(const char *path, const char *state_dir,
		      struct cp_directory *dir, char *err, size_t errlen)
{
	memset(dir, 0, sizeof *dir);
	char *buf;
	size_t len;
	int rc = sim_file_read(path, DIR_MAX_BYTES, &buf, &len, NULL, 0);
	if (rc == -EFBIG) {
		snprintf(err, errlen, "%s: larger than %u bytes; expected a "
			 "directory of reasonable size", path, DIR_MAX_BYTES);
		return rc;
	}
	if (rc) {
		snprintf(err, errlen, "%s: %s; expected a readable directory file",
			 path, strerror(-rc));
		return rc;
	}
	rc = cp_directory_parse(buf, len, path, state_dir, dir, err, errlen);
	free(buf);
	return rc;
}

void cp_directory_free(struct cp_directory *dir)
{
	if (!dir)
		return;
	for (int i = 0; i < dir->nusers; i++) {
		struct cp_user_def *u = &dir->users[i];
		for (int j = 0; j < u->nmdisks; j++) {
			free(u->mdisks[j].file);
			free(u->mdisks[j].path);
		}
		free(u->mdisks);
		free(u->links);
	}
	free(dir->users);
	free(dir->source);
	free(dir->state_dir);
	memset(dir, 0, sizeof *dir);
}

/* ------------------------------------------------------------------ */
/* Image files and the default directory                               */

/* Make one image of size bytes at path, all zeros, appearing whole or
 * not at all (sim/hostfile.h).  SIM_FILE_CREATE never replaces a file:
 * one someone else has made meanwhile is theirs, and it stays. */
static int make_image(const char *path, uint64_t size, char *err, size_t errlen)
{
	struct sim_file t;
	char why[300];
	int rc = sim_file_begin(&t, path, why, sizeof why);
	/* ftruncate extends with zeros (a sparse file: an unused minidisk
	 * costs no host disk space). */
	if (rc == 0 && ftruncate(fileno(t.f), (off_t)size) < 0) {
		rc = -errno;
		snprintf(why, sizeof why, "%s: cannot write: %s", path, strerror(-rc));
		sim_file_abort(&t);
	} else if (rc == 0) {
		rc = sim_file_commit(&t, SIM_FILE_CREATE, why, sizeof why);
		if (rc == -EEXIST)
			rc = 0;
	}
	if (rc)
		snprintf(err, errlen, "disk image %s", why);
	return rc;
}

int cp_directory_make_disks(const struct cp_directory *dir, char *err,
			    size_t errlen)
{
	for (int i = 0; i < dir->nusers; i++) {
		const struct cp_user_def *u = &dir->users[i];
		for (int j = 0; j < u->nmdisks; j++) {
			const struct cp_mdisk_def *m = &u->mdisks[j];
			struct stat st;
			if (stat(m->path, &st) == 0)
				continue;
			/* The image must hold every extent placed on it. */
			uint64_t end = 0;
			for (int a = 0; a < dir->nusers; a++)
				for (int b = 0; b < dir->users[a].nmdisks; b++) {
					const struct cp_mdisk_def *o =
						&dir->users[a].mdisks[b];
					if (!strcmp(o->path, m->path) &&
					    o->start + o->blocks > end)
						end = o->start + o->blocks;
				}
			int rc = make_image(m->path, end * 512u, err, errlen);
			if (rc)
				return rc;
			/* A new image that holds just this minidisk is formatted
			 * as a CMS disk, so that a newcomer's first IPL CMS finds
			 * an empty A-disk rather than an unformatted one (an
			 * administrator's existing images are never touched).
			 * The label is VM/370-like: owner's initials, address. */
			if (m->start == 0 && end == m->blocks) {
				char label[8];
				snprintf(label, sizeof label, "%.3s%03X", u->id, m->addr);
				rc = cms_disk_format(m->path, label, err, errlen);
				if (rc)
					return rc;
				/* A 190 is a system disk (CMS accesses it as S):
				 * it gets the HELP files and the samples
				 * (cms/sysfiles.h).  One too small for them stays
				 * empty (`vmlab disk sysfiles IMAGE` says why): a
				 * directory that worked before still does.  An
				 * existing one keeps what it has; `vmlab disk
				 * sysfiles` refreshes it. */
				char why[256];
				if (m->addr == 0x190)
					(void)cms_sysdisk_fill(m->path, why, sizeof why);
			}
		}
	}
	return 0;
}

static int make_dirs(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	if (strlen(path) >= sizeof buf) {
		snprintf(err, errlen, "state folder %s: name too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(buf, path);
	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
				int e = errno;
				snprintf(err, errlen, "state folder %s: cannot create "
					 "%s: %s", path, buf, strerror(e));
				return -e;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	return 0;
}

int cp_directory_default(const char *state_dir, struct cp_directory *dir,
			 char *err, size_t errlen)
{
	memset(dir, 0, sizeof *dir);
	if (state_dir && state_dir[0]) {
		int rc = make_dirs(state_dir, err, errlen);
		if (rc)
			return rc;
	}
	int rc = cp_directory_parse(cp_directory_default_yaml,
				    strlen(cp_directory_default_yaml),
				    "(built-in)", state_dir, dir, err, errlen);
	if (rc)
		return rc;    /* a broken built-in text: a unit test catches it */
	rc = cp_directory_make_disks(dir, err, errlen);
	if (rc)
		cp_directory_free(dir);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Lookup                                                              */

const struct cp_user_def *cp_directory_find(const struct cp_directory *dir,
					    const char *userid)
{
	if (!dir || !userid)
		return NULL;
	for (int i = 0; i < dir->nusers; i++)
		if (!strcasecmp(dir->users[i].id, userid))
			return &dir->users[i];
	return NULL;
}

const struct cp_mdisk_def *cp_user_find_mdisk(const struct cp_user_def *u,
					      uint16_t addr)
{
	for (int i = 0; u && i < u->nmdisks; i++)
		if (u->mdisks[i].addr == addr)
			return &u->mdisks[i];
	return NULL;
}

bool cp_user_has_class(const struct cp_user_def *u, char c)
{
	c = (char)toupper((unsigned char)c);
	return u && c >= 'A' && c <= 'G' && strchr(u->classes, c) != NULL;
}

bool cp_user_check_password(const struct cp_user_def *u, const char *pw)
{
	if (!u)
		return false;
	if (!u->has_password)
		return true;
	return pw && !strcasecmp(u->password, pw);
}

/* ------------------------------------------------------------------ */
/* Printing an entry                                                   */

struct out {
	char *buf;
	size_t len, pos;
};

static void outf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->pos < o->len ? o->buf + o->pos : NULL,
			  o->pos < o->len ? o->len - o->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

static void fmt_storage(char *b, size_t n, uint32_t bytes)
{
	if (bytes % (1024 * 1024) == 0)
		snprintf(b, n, "%uM", bytes / (1024 * 1024));
	else
		snprintf(b, n, "%uK", bytes / 1024);
}

size_t cp_directory_format_user(const struct cp_user_def *u, char *buf,
				size_t len)
{
	struct out o = { buf, len, 0 };
	char s1[16], s2[16];

	if (len)
		buf[0] = '\0';
	fmt_storage(s1, sizeof s1, u->storage);
	fmt_storage(s2, sizeof s2, u->maxstorage);
	/* The password stays secret even from the console. */
	outf(&o, "USER %-8s %s %s %s %s\n", u->id,
	     u->has_password ? "********" : "NOPASS", s1, s2, u->classes);
	if (u->has_ipl) {
		if (u->ipl_is_dev)
			outf(&o, " IPL %03X\n", u->ipl_dev);
		else
			outf(&o, " IPL %s\n", u->ipl_name);
	}
	outf(&o, " CONSOLE %03X 3215\n", u->console);
	outf(&o, " SPOOL %03X 2540 READER\n", u->reader);
	outf(&o, " SPOOL %03X 2540 PUNCH\n", u->punch);
	outf(&o, " SPOOL %03X 1403 PRINTER\n", u->printer);
	for (int i = 0; i < u->nlinks; i++)
		outf(&o, " LINK %-8s %03X %03X %s\n", u->links[i].user,
		     u->links[i].addr, u->links[i].as,
		     cp_link_mode_name(u->links[i].mode));
	for (int i = 0; i < u->nmdisks; i++) {
		const struct cp_mdisk_def *m = &u->mdisks[i];
		outf(&o, " MDISK %03X FB-512 %llu %u %s %s", m->addr,
		     (unsigned long long)m->start, m->blocks, m->file,
		     cp_link_mode_name(m->mode));
		/* Like VM/370's statement, the passwords follow the mode;
		 * only ALL is shown, the others stay secret. */
		const char *pws[] = { m->readpw, m->writepw, m->multipw };
		for (int k = 0; k < 3 && pws[k][0]; k++)
			outf(&o, " %s", strcmp(pws[k], "ALL") ? "********" : "ALL");
		outf(&o, "\n");
	}
	return o.pos;
}

void cp_directory_print_user(FILE *f, const struct cp_user_def *u)
{
	size_t n = cp_directory_format_user(u, NULL, 0);
	char *b = malloc(n + 1);
	if (!b)
		abort();
	cp_directory_format_user(u, b, n + 1);
	fputs(b, f);
	free(b);
}

/* ------------------------------------------------------------------ */
/* vmlab directory: check a directory file before giving it to CP      */

/*
 *   vmlab directory FILE [USER...]   check FILE; print the entries as
 *                                    VM/370 directory statements
 *   vmlab directory                  the same for the built-in directory
 *   vmlab directory --default        print the built-in directory (YAML)
 *
 * Exit status 0 when the file is good, 1 with the one-line message when
 * not (or a USER is not in it), 2 for a usage error.  Nothing is created
 * or opened but the file itself.
 */
int vmlab_directory_main(int argc, char **argv)
{
	char err[512];
	struct cp_directory d;

	if (argc == 2 && !strcmp(argv[1], "--default")) {
		fputs(cp_directory_default_yaml, stdout);
		return 0;
	}
	if (argc >= 2 && argv[1][0] == '-') {
		bool help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
		fprintf(help ? stdout : stderr, "usage: vmlab directory [FILE [USER...]]  (no FILE: the built-in one)\n"
				"       vmlab directory --default              (the built-in one as YAML)\n");
		return help ? 0 : 2;
	}
	/* No FILE: the built-in directory, parsed but no disk made. */
	if ((argc < 2 ? cp_directory_parse(cp_directory_default_yaml,
					   strlen(cp_directory_default_yaml), "(built-in)",
					   NULL, &d, err, sizeof err)
		      : cp_directory_load(argv[1], NULL, &d, err, sizeof err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	int rc = 0, nmd = 0;
	for (int i = 0; i < d.nusers; i++)
		nmd += d.users[i].nmdisks;
	if (argc <= 2) {
		printf("* %s: system %s, slice %llu cycles, %d users, %d minidisks\n",
		       d.source, d.name, (unsigned long long)d.slice, d.nusers, nmd);
		for (int i = 0; i < d.nusers; i++)
			cp_directory_print_user(stdout, &d.users[i]);
	}
	for (int a = 2; a < argc; a++) {
		const struct cp_user_def *u = cp_directory_find(&d, argv[a]);
		if (!u) {
			fprintf(stderr, "%s: user %s is not in the directory\n",
				argv[1], argv[a]);
			rc = 1;
			continue;
		}
		cp_directory_print_user(stdout, u);
	}
	cp_directory_free(&d);
	return rc;
}
