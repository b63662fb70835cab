/*
 * tests/unit/test_directory.c -- the CP user directory (cp/directory.c).
 *
 * What a directory author meets: a good file loads with every field as
 * written and every default filled in; each kind of mistake gives one line
 * that points at the right line and column and says what was expected;
 * the built-in directory makes its disk images and never clobbers them.
 * The last test feeds thousands of mangled directories to the loader:
 * run it under ASan/UBSan (make test SAN=1) to see that none crashes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp/directory.h"

static char err[512];

/* A fresh state folder under /tmp (removed by rm_tree). */
static void make_tmpdir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/vmlab_test_directory.XXXXXX");
	assert_non_null(mkdtemp(buf));
}

static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	char p[1024];
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", path, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(path);
}

static long file_size(const char *dir, const char *name)
{
	char p[1024];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int parse(const char *text, struct cp_directory *d)
{
	return cp_directory_parse(text, strlen(text), "t.yaml", "/state", d,
				  err, sizeof err);
}

/* ------------------------------------------------------------------ */
/* A good directory                                                    */

static const char example[] =
	"# vmlab user directory\n"
	"system:\n"
	"  name: vmlab2\n"
	"  slice: 30000\n"
	"users:\n"
	"  - id: maint\n"
	"    password: maintpw\n"
	"    storage: 1M\n"
	"    maxstorage: 4M\n"
	"    class: GABCDEF\n"
	"    console: 009\n"
	"    reader: 00C\n"
	"    punch: 00D\n"
	"    printer: 00E\n"
	"    ipl: CMS\n"
	"    mdisks:\n"
	"      - { addr: 190, file: system.disk, start: 0, blocks: 2048, mode: RR }\n"
	"      - { addr: 191, file: /abs/maint191.disk, start: 10, blocks: 1024, mode: w,\n"
	"          readpw: all, writepw: wpw, multipw: Mpw }\n"
	"  - id: Alice\n"
	"    storage: 512K\n"
	"    console: 01F\n"
	"    ipl: 190\n"
	"    links:\n"
	"      - { user: MAINT, addr: 190, as: 190, mode: RR }\n"
	"      - { user: maint, addr: 191, as: 291 }\n"
	"      - { user: MAINT, addr: 190, as: 390 }\n";

static void test_example_loads(void **state)
{
	(void)state;
	struct cp_directory d;
	assert_int_equal(parse(example, &d), 0);
	assert_string_equal(err, "");
	assert_string_equal(d.name, "VMLAB2");
	assert_int_equal(d.slice, 30000);
	assert_int_equal(d.nusers, 2);

	const struct cp_user_def *m = cp_directory_find(&d, "MAINT");
	assert_non_null(m);
	assert_string_equal(m->id, "MAINT");
	assert_true(m->has_password);
	assert_string_equal(m->password, "MAINTPW");
	assert_int_equal(m->storage, 1 << 20);
	assert_int_equal(m->maxstorage, 4 << 20);
	assert_string_equal(m->classes, "ABCDEFG");    /* sorted */
	assert_int_equal(m->console, 0x009);
	assert_int_equal(m->reader, 0x00C);
	assert_true(m->has_ipl);
	assert_false(m->ipl_is_dev);
	assert_string_equal(m->ipl_name, "CMS");
	assert_int_equal(m->nmdisks, 2);
	assert_int_equal(m->mdisks[0].addr, 0x190);
	assert_string_equal(m->mdisks[0].file, "system.disk");
	assert_string_equal(m->mdisks[0].path, "/state/system.disk");
	assert_int_equal(m->mdisks[0].blocks, 2048);
	assert_int_equal(m->mdisks[0].mode, CP_LINK_RR);
	assert_int_equal(m->mdisks[0].line, 17);
	assert_string_equal(m->mdisks[1].path, "/abs/maint191.disk");
	assert_int_equal(m->mdisks[1].start, 10);
	assert_int_equal(m->mdisks[1].mode, CP_LINK_W);
	assert_string_equal(m->mdisks[1].readpw, "ALL");
	assert_string_equal(m->mdisks[1].writepw, "WPW");
	assert_string_equal(m->mdisks[1].multipw, "MPW");
	assert_string_equal(m->mdisks[0].readpw, "");

	const struct cp_user_def *a = cp_directory_find(&d, "alice");
	assert_non_null(a);
	assert_string_equal(a->id, "ALICE");
	assert_false(a->has_password);
	assert_int_equal(a->storage, 512 * 1024);
	assert_int_equal(a->maxstorage, 512 * 1024);  /* default: = storage */
	assert_string_equal(a->classes, "G");         /* default: general user */
	assert_int_equal(a->console, 0x01F);
	assert_int_equal(a->punch, 0x00D);            /* defaults */
	assert_int_equal(a->printer, 0x00E);
	assert_true(a->ipl_is_dev);
	assert_int_equal(a->ipl_dev, 0x190);
	assert_int_equal(a->nlinks, 3);
	assert_string_equal(a->links[1].user, "MAINT");
	assert_int_equal(a->links[1].as, 0x291);
	assert_int_equal(a->links[1].mode, CP_LINK_R); /* default for LINK */
	assert_int_equal(a->links[2].as, 0x390);

	assert_null(cp_directory_find(&d, "BOB"));
	assert_null(cp_directory_find(&d, NULL));
	assert_non_null(cp_user_find_mdisk(m, 0x191));
	assert_null(cp_user_find_mdisk(m, 0x192));
	cp_directory_free(&d);
	cp_directory_free(&d);    /* freeing twice is harmless */
}

static void test_defaults_minimal(void **state)
{
	(void)state;
	struct cp_directory d;
	assert_int_equal(parse("users:\n  - { id: X, storage: 64K, links: ~ }\n"
			       "  - id: Y\n    storage: 64K\n    mdisks:\n    links:\n", &d), 0);
	assert_int_equal(d.users[1].nmdisks, 0);
	assert_int_equal(d.users[1].nlinks, 0);
	assert_string_equal(d.name, "VMLAB");
	assert_int_equal(d.slice, CP_DEFAULT_SLICE);
	assert_int_equal(d.users[0].storage, 64 * 1024);
	assert_false(d.users[0].has_ipl);
	assert_int_equal(d.users[0].nmdisks, 0);
	cp_directory_free(&d);
}

static void test_classes_and_password(void **state)
{
	(void)state;
	struct cp_directory d;
	assert_int_equal(parse(example, &d), 0);
	const struct cp_user_def *m = cp_directory_find(&d, "MAINT");
	const struct cp_user_def *a = cp_directory_find(&d, "ALICE");
	assert_true(cp_user_has_class(m, 'A'));
	assert_true(cp_user_has_class(m, 'g'));
	assert_false(cp_user_has_class(a, 'A'));
	assert_true(cp_user_has_class(a, 'G'));
	assert_false(cp_user_has_class(a, 'H'));
	assert_true(cp_user_check_password(m, "maintpw"));
	assert_true(cp_user_check_password(m, "MAINTPW"));
	assert_false(cp_user_check_password(m, "wrong"));
	assert_false(cp_user_check_password(m, NULL));
	assert_true(cp_user_check_password(a, NULL));  /* no password */
	assert_true(cp_user_check_password(a, "anything"));
	cp_directory_free(&d);
}

static void test_userid_and_modes(void **state)
{
	(void)state;
	assert_true(cp_userid_valid("A"));
	assert_true(cp_userid_valid("$SYS@#12"));
	assert_false(cp_userid_valid(""));
	assert_false(cp_userid_valid("NINECHARS"));
	assert_false(cp_userid_valid("AL ICE"));
	assert_false(cp_userid_valid("ALICE-1"));
	assert_false(cp_userid_valid(NULL));
	enum cp_link_mode m;
	static const char *names[] = { "R", "RR", "W", "WR", "M", "MR", "MW" };
	for (int i = 0; i < 7; i++) {
		assert_true(cp_link_mode_parse(names[i], &m));
		assert_int_equal(m, i);
		assert_string_equal(cp_link_mode_name(m), names[i]);
	}
	assert_true(cp_link_mode_parse("mr", &m));
	assert_int_equal(m, CP_LINK_MR);
	assert_false(cp_link_mode_parse("RW", &m));
	assert_false(cp_link_mode_parse("", &m));
	assert_false(cp_link_mode_parse(NULL, &m));
	assert_string_equal(cp_link_mode_name((enum cp_link_mode)99), "?");
}

/* ------------------------------------------------------------------ */
/* Errors: each points at the right place and says what was expected   */

struct bad {
	const char *yaml;
	const char *where;     /* "t.yaml:L:C:" */
	const char *says;      /* a substring of the message */
};

#define U "users:\n"
#define A "  - id: ALICE\n    storage: 1M\n"   /* lines 2-3 */

static const struct bad bad[] = {
	/* syntax errors: libyaml's problem and position */
	{ "users: [ { id: A\n", "t.yaml:2:1:", "expected well-formed YAML" },
	{ "users:\n  - id: A\n - id: B\n", "t.yaml:3:", "well-formed YAML" },
	{ "users: \"unterminated\n", "t.yaml:", "found unexpected end of stream" },
	{ "\tusers:\n", "t.yaml:1:1:", "well-formed" },
	{ U "  - id: AL\xffICE\n", "t.yaml:2:11:", "invalid leading UTF-8 octet" },
	/* what the file holds is quoted printable, one line, cut short */
	{ U "  - { id: A, storage: 1M, class: \"\\x01\\n\" }\n", "t.yaml:2:34:", "class '?" "?' has '?'" },
	{ U "  - { id: A, storage: 1M, ipl: \"abcdefghijabcdefghijabcdefghijabcdefghi\xe2\x82\xac\" }\n",
	  "t.yaml:2:32:", "ipl 'abcdefghijabcdefghijabcdefghijabcdefghi' is neither" },
	/* shapes */
	{ "", "t.yaml:1:1:", "the directory is empty" },
	{ "# only a comment\n", "t.yaml:1:1:", "empty" },
	{ "- a\n- b\n", "t.yaml:1:1:", "expected a mapping with keys system, users" },
	{ "system: { name: X }\n", "t.yaml:1:1:", "no 'users:'" },
	{ "users: []\n", "t.yaml:1:1:", "users list is empty" },
	{ "users: ALICE\n", "t.yaml:1:8:", "expected a list of users" },
	{ U "  - ALICE\n", "t.yaml:2:5:", "a user is a single value; expected a mapping" },
	{ U A "---\nusers: []\n", "t.yaml:5:1:", "a second YAML document" },
	/* keys */
	{ U A "    pasword: X\n", "t.yaml:4:5:", "unknown key 'pasword' in a user; did you mean 'password'?" },
	{ U A "    storag: 1M\n", "t.yaml:4:5:", "did you mean 'storage'?" },
	{ U A "    colour: red\n", "t.yaml:4:5:", "expected one of: id, password, storage" },
	{ "sytem: {}\nusers: []\n", "t.yaml:1:1:", "did you mean 'system'?" },
	{ "system: { slise: 5 }\n" U A, "t.yaml:1:11:", "did you mean 'slice'?" },
	{ U A "    mdisks: [ { adr: 191, file: f, blocks: 1 } ]\n", "t.yaml:4:17:", "did you mean 'addr'?" },
	{ U A "    links: [ { usr: ALICE, addr: 191 } ]\n", "t.yaml:4:16:", "did you mean 'user'?" },
	{ U A "    storage: 2M\n", "t.yaml:4:5:", "'storage' given twice in a user (first at line 3)" },
	{ U A "    [a]: 1\n", "t.yaml:4:5:", "a key is a list" },
	/* user ids */
	{ U "  - { id: TOOLONGID, storage: 1M }\n", "t.yaml:2:11:", "not a valid user id" },
	{ U "  - { id: AL-ICE, storage: 1M }\n", "t.yaml:2:11:", "not a valid user id" },
	{ U "  - { storage: 1M }\n", "t.yaml:2:5:", "user without 'id'" },
	{ U A "  - id: alice\n    storage: 1M\n", "t.yaml:4:9:", "user ALICE is defined twice (first at line 2)" },
	{ U "  - { id: \"AL\\0X\", storage: 1M }\n", "t.yaml:2:11:", "NUL character" },
	/* storage */
	{ U "  - { id: A }\n", "t.yaml:2:5:", "user A has no 'storage'" },
	{ U "  - { id: A, storage: 1000 }\n", "t.yaml:2:23:", "out of range; expected 64K to 64M" },
	{ U "  - { id: A, storage: 102K }\n", "t.yaml:2:23:", "not a whole number of 4K pages" },
	{ U "  - { id: A, storage: 32K }\n", "t.yaml:2:23:", "out of range" },
	{ U "  - { id: A, storage: 65M }\n", "t.yaml:2:23:", "out of range" },
	{ U "  - { id: A, storage: 99999999999999999999999M }\n", "t.yaml:2:23:", "out of range" },
	{ U "  - { id: A, storage: 1G }\n", "t.yaml:2:23:", "not a size; expected a number with K or M" },
	{ U "  - { id: A, storage: M }\n", "t.yaml:2:23:", "not a size" },
	{ U "  - { id: A, storage: [1M] }\n", "t.yaml:2:23:", "storage is a list; expected a single value" },
	/* An unquoted ': ' makes a value a mapping (cp/yamlwalk.c says so). */
	{ U "  - { id: A, storage: { 1M: x } }\n", "t.yaml:2:23:",
	  "storage is a mapping; expected a single value (a ': ' inside a value" },
	{ U "  - { id: A, storage: 2M, maxstorage: 1M }\n", "t.yaml:2:39:", "maxstorage is below storage" },
	/* classes, password, ipl */
	{ U "  - { id: A, storage: 1M, class: GH }\n", "t.yaml:2:34:", "has 'H'; expected privilege classes A to G" },
	{ U "  - { id: A, storage: 1M, class: GG }\n", "t.yaml:2:34:", "'G' twice" },
	{ U "  - { id: A, storage: 1M, class: \"\" }\n", "t.yaml:2:34:", "empty class" },
	{ U "  - { id: A, storage: 1M, password: NINECHARS }\n", "t.yaml:2:37:", "1 to 8 characters" },
	{ U "  - { id: A, storage: 1M, password: \"a b\" }\n", "t.yaml:2:37:", "blank or control" },
	{ U "  - { id: A, storage: 1M, ipl: 191 }\n", "t.yaml:2:32:", "ipl device 191 is not one of user A's devices" },
	{ U "  - { id: A, storage: 1M, ipl: C-MS }\n", "t.yaml:2:32:", "neither a device address nor a system name" },
	/* device addresses */
	{ U "  - { id: A, storage: 1M, console: G09 }\n", "t.yaml:2:36:", "'G09' is not a device address; expected 1 to 3 hex digits" },
	{ U "  - { id: A, storage: 1M, console: 1000 }\n", "t.yaml:2:36:", "000 to FFF" },
	{ U "  - { id: A, storage: 1M, reader: \"\" }\n", "t.yaml:2:35:", "not a device address" },
	{ U "  - { id: A, storage: 1M, punch: 009 }\n", "t.yaml:2:34:", "device 009 of user A is both the console (default) and this punch" },
	{ U A "    mdisks:\n      - { addr: 191, file: f, blocks: 1 }\n      - { addr: 191, file: g, blocks: 1 }\n",
	  "t.yaml:6:9:", "device 191 of user ALICE is both the minidisk (line 5) and this minidisk" },
	{ U A "    mdisks: [ { addr: 00c, file: f, blocks: 1 } ]\n", "t.yaml:4:15:", "both the reader (default)" },
	{ U A "    console: 191\n    mdisks: [ { addr: 191, file: f, blocks: 1 } ]\n", "t.yaml:5:15:", "both the console (line 4)" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 1 } ]\n    links: [ { user: ALICE, addr: 191 } ]\n",
	  "t.yaml:5:14:", "both the minidisk (line 4) and this link" },
	/* minidisks */
	{ U A "    mdisks: [ { addr: 191, blocks: 1 } ]\n", "t.yaml:4:15:", "minidisk without 'file'" },
	{ U A "    mdisks: [ { file: f, blocks: 1 } ]\n", "t.yaml:4:15:", "minidisk without 'addr'" },
	{ U A "    mdisks: [ { addr: 191, file: f } ]\n", "t.yaml:4:15:", "minidisk without 'blocks'" },
	{ U A "    mdisks: [ { addr: 191, file: \"\", blocks: 1 } ]\n", "t.yaml:4:34:", "empty file name" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 0 } ]\n", "t.yaml:4:45:", "blocks 0 is out of range" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: -5 } ]\n", "t.yaml:4:45:", "not a number" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 10, start: 16777215 } ]\n", "t.yaml:4:15:", "ends at block" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 1, mode: RW } ]\n", "t.yaml:4:54:", "invalid mode 'RW'; expected R, RR, W, WR, M, MR or MW" },
	{ U A "    mdisks: { addr: 191 }\n", "t.yaml:4:13:", "mdisks is a mapping" },
	{ U A "    mdisks: \"\"\n", "t.yaml:4:13:", "mdisks is a single value" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 1, writepw: X } ]\n", "t.yaml:4:15:", "minidisk 191 has a write password but no read password" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 1, readpw: A, multipw: X } ]\n", "t.yaml:4:15:", "no write password; expected writepw too" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 1, readpw: ABCDEFGHI } ]\n", "t.yaml:4:56:", "readpw must have 1 to 8 characters" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 1, readpw: \"a b\" } ]\n", "t.yaml:4:56:", "readpw has a blank" },
	{ U A "    mdisks: [ { addr: 191, file: f, blocks: 1, readpwd: A } ]\n", "t.yaml:4:48:", "did you mean 'readpw'?" },
	/* links */
	{ U A "    links: [ { user: MAIN, addr: 190 } ]\n"
	  "  - id: MAINT\n    storage: 1M\n    mdisks: [ { addr: 190, file: s, blocks: 1 } ]\n",
	  "t.yaml:4:14:", "links to user MAIN, who is not in the directory; did you mean MAINT?" },
	{ U A "    links: [ { user: ZED, addr: 190 } ]\n", "t.yaml:4:14:", "who is not in the directory; expected an existing user id" },
	{ U A "    links: [ { user: BOB, addr: 195 } ]\n"
	  "  - id: BOB\n    storage: 1M\n    mdisks: [ { addr: 191, file: s, blocks: 1 } ]\n",
	  "t.yaml:4:14:", "links to BOB 195, which is not a minidisk of BOB; expected one of 191" },
	{ U A "    links: [ { addr: 190 } ]\n", "t.yaml:4:14:", "link without 'user'" },
	{ U A "    links: [ { user: A, addr: 190, mode: X } ]\n", "t.yaml:4:42:", "invalid mode 'X'" },
	/* system */
	{ "system: { slice: 5 }\n" U A, "t.yaml:1:18:", "slice 5 is out of range" },
	{ "system: { name: \"TOO LONG NAME\" }\n" U A, "t.yaml:1:17:", "system name" },
	{ "system: [1]\n" U A, "t.yaml:1:9:", "system is a list" },
};

static void test_errors(void **state)
{
	(void)state;
	int wrong = 0;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cp_directory d;
		int rc = parse(bad[i].yaml, &d);
		if (rc == 0 || strncmp(err, bad[i].where, strlen(bad[i].where)) ||
		    !strstr(err, bad[i].says)) {
			print_error("case %zu: rc %d\n  yaml: %s\n  got:  %s\n  want: %s ... %s\n",
				    i, rc, bad[i].yaml, err, bad[i].where, bad[i].says);
			wrong++;
		}
		/* A failed load leaves nothing to free. */
		assert_int_equal(d.nusers, 0);
		assert_null(d.users);
		assert_null(strchr(err, '\n'));    /* one line */
		cp_directory_free(&d);
	}
	assert_int_equal(wrong, 0);
}

/* ------------------------------------------------------------------ */
/* Files, the default directory, printing                              */

static void test_load_file(void **state)
{
	(void)state;
	char tmp[128], path[256];
	make_tmpdir(tmp, sizeof tmp);
	snprintf(path, sizeof path, "%s/dir.yaml", tmp);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(example, f);
	fclose(f);

	struct cp_directory d;
	assert_int_equal(cp_directory_load(path, tmp, &d, err, sizeof err), 0);
	assert_string_equal(d.source, path);
	char want[300];
	snprintf(want, sizeof want, "%s/system.disk", tmp);
	assert_string_equal(d.users[0].mdisks[0].path, want);
	cp_directory_free(&d);

	/* Errors name the file. */
	f = fopen(path, "w");
	fputs("users:\n  - { id: A, storage: 1Q }\n", f);
	fclose(f);
	assert_int_equal(cp_directory_load(path, tmp, &d, err, sizeof err), -EINVAL);
	snprintf(want, sizeof want, "%s:2:23: storage '1Q' is not a size", path);
	assert_non_null(strstr(err, want));

	snprintf(path, sizeof path, "%s/none.yaml", tmp);
	assert_int_equal(cp_directory_load(path, tmp, &d, err, sizeof err), -ENOENT);
	assert_non_null(strstr(err, "none.yaml: No such file or directory"));
	rm_tree(tmp);
}

static void test_default_directory(void **state)
{
	(void)state;
	char tmp[128], sd[256];
	make_tmpdir(tmp, sizeof tmp);
	/* A state folder that does not exist yet, two levels deep. */
	snprintf(sd, sizeof sd, "%s/a", tmp);
	char sd2[300];
	snprintf(sd2, sizeof sd2, "%s/b", sd);

	struct cp_directory d;
	assert_int_equal(cp_directory_default(sd2, &d, err, sizeof err), 0);
	assert_string_equal(d.source, "(built-in)");
	assert_int_equal(d.nusers, 5);
	static const char *ids[] = { "OPERATOR", "MAINT", "ALICE", "BOB", "CAROL" };
	static const char *cls[] = { "ABCDEFG", "ABCDEG", "G", "G", "G" };
	for (int i = 0; i < 5; i++) {
		const struct cp_user_def *u = cp_directory_find(&d, ids[i]);
		assert_non_null(u);
		assert_string_equal(u->classes, cls[i]);
		assert_int_equal(u->storage, 1 << 20);
		assert_false(u->has_password);
		const struct cp_mdisk_def *m = cp_user_find_mdisk(u, 0x191);
		assert_non_null(m);
		assert_int_equal(m->blocks, 1024);
		char name[64];
		snprintf(name, sizeof name, "%s.191.disk", ids[i]);
		assert_string_equal(m->file, name);
		assert_int_equal(file_size(sd2, name), 1024 * 512);
		if (i == 1) {
			assert_non_null(cp_user_find_mdisk(u, 0x190));
			assert_int_equal(u->nlinks, 0);
		} else {
			/* Everyone else links MAINT 190 as 190 read-only. */
			assert_int_equal(u->nlinks, 1);
			assert_string_equal(u->links[0].user, "MAINT");
			assert_int_equal(u->links[0].addr, 0x190);
			assert_int_equal(u->links[0].as, 0x190);
			assert_int_equal(u->links[0].mode, CP_LINK_RR);
		}
		if (i == 0) {
			assert_false(u->has_ipl);
		} else {
			assert_true(u->has_ipl);
			assert_string_equal(u->ipl_name, "CMS");
		}
	}
	const struct cp_mdisk_def *sys =
		cp_user_find_mdisk(cp_directory_find(&d, "MAINT"), 0x190);
	assert_int_equal(sys->blocks, 2048);
	assert_string_equal(sys->readpw, "ALL");   /* anyone may read it */
	assert_string_equal(sys->file, "system.disk");
	assert_int_equal(file_size(sd2, "system.disk"), 2048 * 512);

	/* A second start keeps what is on the disks. */
	char p[400];
	snprintf(p, sizeof p, "%s/ALICE.191.disk", sd2);
	int fd = open(p, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "CMS", 3, 512), 3);
	close(fd);
	cp_directory_free(&d);
	assert_int_equal(cp_directory_default(sd2, &d, err, sizeof err), 0);
	char buf[4] = { 0 };
	fd = open(p, O_RDONLY);
	assert_int_equal(pread(fd, buf, 3, 512), 3);
	close(fd);
	assert_string_equal(buf, "CMS");
	cp_directory_free(&d);

	/* No temporary files left behind: exactly six images. */
	DIR *dd = opendir(sd2);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dd)))
		if (e->d_name[0] != '.') {
			assert_non_null(strstr(e->d_name, ".disk"));
			assert_null(strstr(e->d_name, "tmp"));
			n++;
		}
	closedir(dd);
	assert_int_equal(n, 6);
	rm_tree(sd2);
	rm_tree(sd);
	rm_tree(tmp);
}

static void test_make_disks_shared_file(void **state)
{
	(void)state;
	char tmp[128];
	make_tmpdir(tmp, sizeof tmp);
	/* Two minidisks on one image: it must hold the farther one. */
	const char *y =
		"users:\n"
		"  - id: A\n    storage: 1M\n"
		"    mdisks:\n"
		"      - { addr: 191, file: pack.img, start: 0, blocks: 10 }\n"
		"      - { addr: 192, file: pack.img, start: 100, blocks: 20 }\n";
	struct cp_directory d;
	assert_int_equal(cp_directory_parse(y, strlen(y), "p", tmp, &d, err,
					    sizeof err), 0);
	assert_int_equal(cp_directory_make_disks(&d, err, sizeof err), 0);
	assert_int_equal(file_size(tmp, "pack.img"), 120 * 512);
	cp_directory_free(&d);

	/* An image that cannot be made says where and why. */
	y = "users:\n  - id: A\n    storage: 1M\n"
	    "    mdisks: [ { addr: 191, file: no/such/dir/x.img, blocks: 1 } ]\n";
	assert_int_equal(cp_directory_parse(y, strlen(y), "p", tmp, &d, err,
					    sizeof err), 0);
	assert_true(cp_directory_make_disks(&d, err, sizeof err) < 0);
	assert_non_null(strstr(err, "no/such/dir/x.img: cannot create"));
	cp_directory_free(&d);
	rm_tree(tmp);
}

static void test_default_state_dir_unusable(void **state)
{
	(void)state;
	struct cp_directory d;
	/* A state folder under a regular file cannot be made. */
	assert_true(cp_directory_default("/dev/null/state", &d, err, sizeof err) < 0);
	assert_non_null(strstr(err, "state folder /dev/null/state"));
	assert_int_equal(d.nusers, 0);
}

static void test_print_user(void **state)
{
	(void)state;
	struct cp_directory d;
	assert_int_equal(parse(example, &d), 0);
	char buf[1024];
	size_t n = cp_directory_format_user(cp_directory_find(&d, "MAINT"), buf,
					    sizeof buf);
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf,
		"USER MAINT    ******** 1M 4M ABCDEFG\n"
		" IPL CMS\n"
		" CONSOLE 009 3215\n"
		" SPOOL 00C 2540 READER\n"
		" SPOOL 00D 2540 PUNCH\n"
		" SPOOL 00E 1403 PRINTER\n"
		" MDISK 190 FB-512 0 2048 system.disk RR\n"
		" MDISK 191 FB-512 10 1024 /abs/maint191.disk W ALL ******** ********\n");
	assert_null(strstr(buf, "MAINTPW"));    /* never the password */

	cp_directory_format_user(cp_directory_find(&d, "ALICE"), buf, sizeof buf);
	assert_non_null(strstr(buf, "USER ALICE    NOPASS 512K 512K G\n IPL 190\n"));
	assert_non_null(strstr(buf, " LINK MAINT    191 291 R\n"));

	/* Too small a buffer: truncated, terminated, full length returned. */
	char small[10];
	size_t want = cp_directory_format_user(cp_directory_find(&d, "ALICE"), NULL, 0);
	assert_int_equal(cp_directory_format_user(cp_directory_find(&d, "ALICE"),
						  small, sizeof small), want);
	assert_string_equal(small, "USER ALIC");

	FILE *f = tmpfile();
	cp_directory_print_user(f, cp_directory_find(&d, "ALICE"));
	assert_int_equal(ftell(f), (long)want);
	fclose(f);
	cp_directory_free(&d);
}

/* `vmlab directory`, its output thrown away: exit statuses. */
static int run_quiet(int argc, char **argv)
{
	fflush(stdout);
	fflush(stderr);
	int o = dup(1), e = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	dup2(null, 2);
	int rc = vmlab_directory_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(o, 1);
	dup2(e, 2);
	close(o);
	close(e);
	close(null);
	return rc;
}

static void test_directory_subcommand(void **state)
{
	(void)state;
	char tmp[128], good[256], badf[256];
	make_tmpdir(tmp, sizeof tmp);
	snprintf(good, sizeof good, "%s/good.yaml", tmp);
	snprintf(badf, sizeof badf, "%s/bad.yaml", tmp);
	FILE *f = fopen(good, "w");
	fputs(example, f);
	fclose(f);
	f = fopen(badf, "w");
	fputs("users: [ { id: A, storage: 1 } ]\n", f);
	fclose(f);

	char *a1[] = { "directory", good, NULL };
	assert_int_equal(run_quiet(2, a1), 0);
	char *a2[] = { "directory", good, "alice", NULL };
	assert_int_equal(run_quiet(3, a2), 0);
	char *a3[] = { "directory", good, "NOBODY", NULL };
	assert_int_equal(run_quiet(3, a3), 1);
	char *a4[] = { "directory", badf, NULL };
	assert_int_equal(run_quiet(2, a4), 1);
	char *a5[] = { "directory", "--default", NULL };
	assert_int_equal(run_quiet(2, a5), 0);
	char *a6[] = { "directory", NULL };
	/* no FILE: the built-in directory, checked and printed */
	assert_int_equal(run_quiet(1, a6), 0);
	unlink(good);
	unlink(badf);
	rm_tree(tmp);
}

/* ------------------------------------------------------------------ */
/* Robustness: mangled directories never crash the loader              */

static uint32_t rng = 12345;   /* fixed seed: the same run every time */
static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void test_fuzz(void **state)
{
	(void)state;
	/* Bytes that mean something to YAML or to our checks. */
	static const char poison[] = ":-[]{},#&*!|>'\"%@`? \n\t\\0123456789abcdefMK";
	const char *seeds[] = { example, cp_directory_default_yaml };
	char buf[8192];
	int ok = 0, failed = 0;

	for (int iter = 0; iter < 4000; iter++) {
		const char *s = seeds[iter % 2];
		size_t len = strlen(s);
		if (len >= sizeof buf - 64)
			len = sizeof buf - 64;
		memcpy(buf, s, len);
		int edits = 1 + (int)(next_rand() % 8);
		for (int e = 0; e < edits && len > 1; e++) {
			size_t at = next_rand() % len;
			switch (next_rand() % 6) {
			case 0:   /* replace a byte, sometimes with a wild one */
				buf[at] = next_rand() % 4 ? poison[next_rand() % (sizeof poison - 1)]
							  : (char)next_rand();
				break;
			case 1:   /* insert one */
				if (len < sizeof buf - 2) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = poison[next_rand() % (sizeof poison - 1)];
					len++;
				}
				break;
			case 2:   /* delete some */
			{
				size_t n = 1 + next_rand() % 16;
				if (n > len - at)
					n = len - at;
				memmove(buf + at, buf + at + n, len - at - n);
				len -= n;
				break;
			}
			case 3:   /* truncate */
				len = at;
				break;
			case 4:   /* duplicate a stretch (repeated users, keys) */
			{
				size_t n = 1 + next_rand() % 200;
				if (n > len - at)
					n = len - at;
				if (len + n < sizeof buf) {
					memmove(buf + at + n, buf + at, len - at);
					len += n;
				}
				break;
			}
			case 5:   /* an anchor and aliases */
			{
				const char *ins = next_rand() % 2 ? "&x " : "*x ";
				size_t n = 3;
				if (len + n < sizeof buf) {
					memmove(buf + at + n, buf + at, len - at);
					memcpy(buf + at, ins, n);
					len += n;
				}
				break;
			}
			}
		}
		struct cp_directory d;
		err[0] = 'X';
		int rc = cp_directory_parse(buf, len, "fuzz", "/s", &d, err, sizeof err);
		if (rc == 0) {
			ok++;
			/* Whatever loaded is consistent. */
			for (int i = 0; i < d.nusers; i++) {
				assert_true(cp_userid_valid(d.users[i].id));
				assert_true(d.users[i].storage % 4096 == 0);
				assert_true(d.users[i].maxstorage >= d.users[i].storage);
				char pb[2048];
				cp_directory_format_user(&d.users[i], pb, sizeof pb);
			}
		} else {
			failed++;
			assert_true(rc < 0);
			assert_true(strncmp(err, "fuzz:", 5) == 0);
			for (const char *p = err; *p; p++)
				assert_true((unsigned char)*p >= 0x20);
		}
		cp_directory_free(&d);
	}
	/* Both outcomes happen: the mutations are neither all fatal nor
	 * all harmless. */
	assert_true(ok > 50);
	assert_true(failed > 1000);
}

/* Deep nesting and alias bombs: bounded work and no crash. */
static void test_hostile_shapes(void **state)
{
	(void)state;
	static char buf[1 << 16];
	struct cp_directory d;

	size_t n = 0;
	n += (size_t)snprintf(buf, sizeof buf, "users: ");
	for (int i = 0; i < 5000; i++)
		buf[n++] = '[';
	buf[n] = '\0';
	assert_true(parse(buf, &d) < 0);

	const char *bomb =
		"a: &a [x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"users: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
	assert_true(parse(bomb, &d) < 0);
	assert_non_null(strstr(err, "t.yaml:1:1: unknown key 'a'"));

	const char *self = "users: &u [ { id: A, storage: 1M, links: *u } ]\n";
	assert_true(parse(self, &d) < 0);

	const char *aliased_users =
		"x: &u { id: A, storage: 1M }\n";
	assert_true(parse(aliased_users, &d) < 0);
	const char *dup =
		"users:\n  - &u { id: A, storage: 1M }\n  - *u\n";
	assert_true(parse(dup, &d) < 0);
	assert_non_null(strstr(err, "defined twice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_loads),
		cmocka_unit_test(test_defaults_minimal),
		cmocka_unit_test(test_classes_and_password),
		cmocka_unit_test(test_userid_and_modes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_default_directory),
		cmocka_unit_test(test_make_disks_shared_file),
		cmocka_unit_test(test_default_state_dir_unusable),
		cmocka_unit_test(test_print_user),
		cmocka_unit_test(test_directory_subcommand),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_hostile_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
