/*
 * tests/unit/cp_fixture.h -- the CP every CP-level test starts from: a
 * fresh state folder under /tmp, the built-in default directory, its
 * minidisk images made.  Included by the test files (after <cmocka.h>
 * and "cp/cp.h"); each keeps its own fixture struct around it.
 */
#ifndef TESTS_CP_FIXTURE_H
#define TESTS_CP_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

/* state (len bytes) gets /tmp/vmlab-test-NAME-XXXXXX, made; sys a CP in it. */
static inline void fixture_cp_start(struct cp_system *sys, char *state, size_t len,
				    const char *name)
{
	snprintf(state, len, "/tmp/vmlab-test-%s-XXXXXX", name);
	assert_non_null(mkdtemp(state));
	struct cp_directory dir;
	char err[512];
	assert_int_equal(cp_directory_default(state, &dir, err, sizeof err), 0);
	assert_int_equal(cp_directory_make_disks(&dir, err, sizeof err), 0);
	assert_int_equal(cp_init(sys, &dir, state), 0);
}

/* The state folder and everything in it, gone. */
static inline void fixture_rm_state(const char *state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", state);
	assert_int_equal(system(cmd), 0);
}

#endif
