/*
 * sim/hostfile.h -- writing a host file whole or not at all.
 *
 * Minidisk images, the spool, the user directory's disks, lesson progress
 * and console output files are all written the same way: into a temporary
 * file in the same folder, flushed to disk (fsync), then renamed over the
 * old name.  rename() within one file system is atomic, so a reader -- or
 * vmlab restarted after a kill or a power cut -- sees the whole old file
 * or the whole new one, never half of either.
 *
 * Why in sim/: every layer that writes such files needs it -- cp/, the
 * host-side CMS minidisk tool (cms/mdisk.c, which cp/ itself uses) and
 * lessons/ -- and sim/ is the one folder all of them may include without
 * a cycle (sim/ talks to nothing above it; this file uses only libc).
 *
 *   struct sim_file t;
 *   if (sim_file_begin(&t, path, err, errlen) == 0) {
 *           fprintf(t.f, ...);                      // write the contents
 *           rc = sim_file_commit(&t, 0, err, errlen);   // or sim_file_abort
 *   }
 *
 * or, for contents already in memory, sim_file_write().  Errors are 0 or
 * -errno; err (may be NULL) gets one line naming the file:
 * "PATH: cannot create|write|replace: why".  sim_file_read() is the
 * reading half: a whole file into memory, with a size limit.
 */
#ifndef SIM_HOSTFILE_H
#define SIM_HOSTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* How sim_file_commit puts the new file in place (flags, or'ed). */
enum sim_file_flags {
	SIM_FILE_REPLACE = 0,        /* rename over whatever is there */
	SIM_FILE_CREATE = 1 << 0,    /* never replace: -EEXIST if the name exists */
	SIM_FILE_SYNC_DIR = 1 << 1,  /* fsync the folder too: the new name itself
				      * survives a crash, not only the bytes */
};

/* A file being written: write to f, then commit or abort exactly once. */
struct sim_file {
	FILE *f;
	char *path;              /* where it goes */
	char *tmp;               /* where it is written: PATH's folder/.NAME.tmpXXXXXX */
};

int sim_file_begin(struct sim_file *t, const char *path, char *err, size_t errlen);
int sim_file_commit(struct sim_file *t, unsigned flags, char *err, size_t errlen);
void sim_file_abort(struct sim_file *t);

/* begin, write len bytes of data, commit. */
int sim_file_write(const char *path, const void *data, size_t len, unsigned flags,
		   char *err, size_t errlen);

/* Read the whole file at path into *data (malloc'd, with a NUL after the
 * last byte so that text can be used as a string; *len does not count
 * it).  A file of more than max bytes is refused with -EFBIG without
 * reading much past max (SIZE_MAX: no limit).  0 or -errno; err gets
 * "PATH: cannot open|cannot read: why" or "PATH: larger than MAX bytes".
 * Reading, too, lives here: the loaders of every layer do it alike. */
int sim_file_read(const char *path, size_t max, char **data, size_t *len, char *err,
		  size_t errlen);

/* fsync a folder, so that names just created or renamed in it are on
 * disk.  Best effort: a folder that cannot be opened is left alone. */
void sim_fsync_dir(const char *dir);

/* true for a name sim_file_begin uses for its temporary files (".X.tmp",
 * ".X.tmpXXXXXX"): what a writer killed half-way leaves behind. */
bool sim_file_is_tmp(const char *name);

#endif
