/*
 * tests/unit/test_hostfile.c -- writing a host file whole or not at all
 * (sim/hostfile.c), the one helper behind minidisk images, the spool,
 * the directory's disks, lesson progress and console output files, and
 * its reading half, sim_file_read.
 */
#include <errno.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sim/hostfile.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/vmlab-hostfile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[sizeof dir + 256 + 2];
	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' || strlen(e->d_name) > 2) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	return rmdir(dir);
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* Names in dir other than . and ..: the test checks no temporary file
 * is left behind. */
static int entries(void)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void test_replace_and_create(void **state)
{
	char path[128], buf[64], err[256];
	snprintf(path, sizeof path, "%s/f", dir);
	assert_int_equal(sim_file_write(path, "one\n", 4, SIM_FILE_CREATE, err, sizeof err), 0);
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "one\n");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	/* CREATE never replaces; the old contents stay. */
	assert_int_equal(sim_file_write(path, "two\n", 4, SIM_FILE_CREATE, err, sizeof err),
			 -EEXIST);
	assert_non_null(strstr(err, "/f: cannot create: the file exists"));
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "one\n");

	assert_int_equal(sim_file_write(path, "three\n", 6, SIM_FILE_REPLACE | SIM_FILE_SYNC_DIR,
					err, sizeof err), 0);
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "three\n");
	assert_int_equal(entries(), 1);
}

static void test_stream_and_abort(void **state)
{
	char path[128], buf[64];
	snprintf(path, sizeof path, "%s/g", dir);
	struct sim_file t;
	assert_int_equal(sim_file_begin(&t, path, NULL, 0), 0);
	fprintf(t.f, "%d %s\n", 42, "x");
	/* Until the commit, the name does not exist; the temporary does. */
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(entries(), 1);
	assert_int_equal(sim_file_commit(&t, 0, NULL, 0), 0);
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "42 x\n");

	assert_int_equal(sim_file_begin(&t, path, NULL, 0), 0);
	fprintf(t.f, "half");
	sim_file_abort(&t);
	slurp(path, buf, sizeof buf);
	assert_string_equal(buf, "42 x\n");
	assert_int_equal(entries(), 1);
}

static void test_errors_and_tmp_names(void **state)
{
	char path[128], err[256];
	snprintf(path, sizeof path, "%s/no/such/folder", dir);
	assert_int_equal(sim_file_write(path, "x", 1, 0, err, sizeof err), -ENOENT);
	assert_non_null(strstr(err, "/no/such/folder: cannot create: "));

	/* What a writer killed before its rename leaves, old and new. */
	assert_true(sim_file_is_tmp(".0002.spf.tmp"));
	assert_true(sim_file_is_tmp(".STATE.tmpAb12Cd"));
	assert_false(sim_file_is_tmp("0002.spf"));
	assert_false(sim_file_is_tmp(".tmp"));
	assert_false(sim_file_is_tmp("x.tmp"));
}

static void test_read(void **state)
{
	char path[128], err[256], *data;
	size_t len;
	snprintf(path, sizeof path, "%s/r", dir);
	assert_int_equal(sim_file_write(path, "abc\0def", 7, 0, NULL, 0), 0);
	/* The bytes, NUL inside and all, and a NUL after them. */
	assert_int_equal(sim_file_read(path, 7, &data, &len, err, sizeof err), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(data, "abc\0def", 8);
	free(data);
	/* One byte over the limit is refused. */
	assert_int_equal(sim_file_read(path, 6, &data, &len, err, sizeof err), -EFBIG);
	assert_null(data);
	assert_non_null(strstr(err, "/r: larger than 6 bytes"));

	/* Larger than the first buffer: the growth path. */
	static char big[20000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	assert_int_equal(sim_file_write(path, big, sizeof big, 0, NULL, 0), 0);
	assert_int_equal(sim_file_read(path, SIZE_MAX, &data, &len, NULL, 0), 0);
	assert_int_equal(len, sizeof big);
	assert_memory_equal(data, big, sizeof big);
	assert_int_equal(data[len], 0);
	free(data);

	/* An empty file is an empty string; a missing one an error; a
	 * folder cannot be read. */
	assert_int_equal(sim_file_write(path, "", 0, 0, NULL, 0), 0);
	assert_int_equal(sim_file_read(path, 10, &data, &len, NULL, 0), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
	snprintf(path, sizeof path, "%s/none", dir);
	assert_int_equal(sim_file_read(path, 10, &data, &len, err, sizeof err), -ENOENT);
	assert_non_null(strstr(err, "/none: cannot open: "));
	assert_int_equal(sim_file_read(dir, 10, &data, &len, err, sizeof err), -EISDIR);
	assert_non_null(strstr(err, ": cannot read: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_and_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_and_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_and_tmp_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
