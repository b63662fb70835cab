/*
 * sim/hostfile.c -- writing a host file whole or not at all (see
 * sim/hostfile.h for why, and why here).
 *
 * The steps, and what each one guards against:
 *
 *   mkstemp  .NAME.tmpXXXXXX in PATH's own folder: rename() only moves a
 *            name within one file system, and a unique name keeps two
 *            writers (two vmlab processes) off each other's bytes;
 *   write    the contents, through a FILE;
 *   fsync    the bytes reach the disk before the name points at them, or
 *            a crash could leave the new name on an empty file;
 *   rename   (or link, for a file that must not already exist) -- the one
 *            atomic step: readers see the old file or the new, whole;
 *   fsync    of the folder, when asked: the rename itself is then on disk.
 *
 * A writer killed before the rename leaves only its hidden temporary
 * file; sim_file_is_tmp() lets a folder's owner (the spool) sweep those.
 */
#define _GNU_SOURCE   /* renameat2, RENAME_NOREPLACE */
#include "sim/hostfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int say(char *err, size_t errlen, int rc, const char *path, const char *what,
	       const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s: %s", path, what, why ? why : strerror(-rc));
	return rc;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

static void release(struct sim_file *t)
{
	free(t->path);
	free(t->tmp);
	t->path = t->tmp = NULL;
	t->f = NULL;
}

int sim_file_begin(struct sim_file *t, const char *path, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) + 1 : 0;   /* with its '/' */
	size_t n = strlen(path) + 16;
	t->tmp = malloc(n);
	if (!t->tmp)
		abort();
	snprintf(t->tmp, n, "%.*s.%s.tmpXXXXXX", dirlen, path, path + dirlen);
	int fd = mkstemp(t->tmp);
	if (fd < 0) {
		int rc = -errno;
		release(t);
		return say(err, errlen, rc, path, "cannot create", NULL);
	}
	t->f = fdopen(fd, "w");
	if (!t->f) {
		int rc = -errno;
		close(fd);
		unlink(t->tmp);
		release(t);
		return say(err, errlen, rc, path, "cannot create", NULL);
	}
	t->path = xstrdup(path);
	return 0;
}

void sim_file_abort(struct sim_file *t)
{
	if (t->f) {
		fclose(t->f);
		unlink(t->tmp);
	}
	release(t);
}

/* Put tmp in place at path only if path does not exist.  link() refuses
 * an existing name atomically; where hard links are not allowed (some
 * FUSE and network file systems), renameat2 with RENAME_NOREPLACE does
 * the same.  0, -EEXIST, or -errno. */
static int put_new(const char *tmp, const char *path, int *moved)
{
	if (link(tmp, path) == 0)
		return 0;
	if (errno == EEXIST)
		return -EEXIST;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0) {
		*moved = 1;
		return 0;
	}
	return -errno;
}

int sim_file_commit(struct sim_file *t, unsigned flags, char *err, size_t errlen)
{
	int rc = 0, moved = 0;
	int fd = fileno(t->f);
	if (fflush(t->f) != 0)
		rc = -errno;
	else if (ferror(t->f))
		rc = -EIO;
	/* mkstemp made the file 0600: a minidisk or a spool file is no
	 * secret from its owner's other tools. */
	else if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		rc = -errno;
	if (fclose(t->f) != 0 && rc == 0)
		rc = -errno;
	t->f = NULL;
	if (rc) {
		say(err, errlen, rc, t->path, "cannot write", NULL);
	} else if (flags & SIM_FILE_CREATE) {
		rc = put_new(t->tmp, t->path, &moved);
		if (rc)
			say(err, errlen, rc, t->path, "cannot create",
			    rc == -EEXIST ? "the file exists" : NULL);
	} else if (rename(t->tmp, t->path) < 0) {
		rc = -errno;
		say(err, errlen, rc, t->path, "cannot replace", NULL);
	} else {
		moved = 1;
	}
	if (!moved)
		unlink(t->tmp);   /* failed, or linked: the temporary name goes */
	if (rc == 0 && (flags & SIM_FILE_SYNC_DIR)) {
		char *dir = xstrdup(t->path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = 0;   /* "/x" -> "/" */
		sim_fsync_dir(slash ? dir : ".");
		free(dir);
	}
	release(t);
	return rc;
}

int sim_file_write(const char *path, const void *data, size_t len, unsigned flags,
		   char *err, size_t errlen)
{
	struct sim_file t;
	int rc = sim_file_begin(&t, path, err, errlen);
	if (rc)
		return rc;
	errno = 0;
	if (len && fwrite(data, 1, len, t.f) != len) {
		rc = errno ? -errno : -EIO;
		sim_file_abort(&t);
		return say(err, errlen, rc, path, "cannot write", NULL);
	}
	return sim_file_commit(&t, flags, err, errlen);
}

int sim_file_read(const char *path, size_t max, char **data, size_t *len, char *err,
		  size_t errlen)
{
	*data = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int rc = -errno;
		return say(err, errlen, rc, path, "cannot open", NULL);
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		abort();
	int rc = 0;
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				abort();
		}
		/* Never ask for more than one byte past max: that byte is
		 * enough to know the file is too large. */
		size_t want = cap - n;
		if (max != SIZE_MAX && max - n < want)
			want = max - n + 1;
		ssize_t r = read(fd, buf + n, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			say(err, errlen, rc, path, "cannot read", NULL);
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			rc = -EFBIG;
			if (err && errlen)
				snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
			break;
		}
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return 0;
}

void sim_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

bool sim_file_is_tmp(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' && n > 5 && strstr(name + 1, ".tmp") != NULL;
}
