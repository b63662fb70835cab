/*
 * tests/kvm/ptyrun.c -- run a program on a pseudo-terminal and type at it.
 *
 * The nested harness has no terminal and busybox has no `script` or
 * `expect`, but the console behaves differently on a terminal: KVM BOOT
 * gives the guest the keys raw and Ctrl-C is the attention key.  This
 * is the smallest `expect` that can test that:
 *
 *   ptyrun [-t SECONDS] STEP... -- PROGRAM ARG...
 *
 * STEP is wait:TEXT (read the program's output until TEXT appears, past
 * the last match), send:TEXT (type TEXT; "\r" ends a line as Enter does),
 * or intr (type Ctrl-C).  Everything the program prints is copied to
 * stdout.  After the last step the terminal is hung up and the program
 * must end.  Exit status: the program's, or 124 if a step timed out
 * (with a line saying which), 125 on a usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char seen[1 << 20];
static size_t nseen, mark;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Read what is there within ms milliseconds; -1 at end of output. */
static int pump(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, ms);
	if (r <= 0)
		return 0;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n <= 0)
		return -1;  /* EIO: the program closed the terminal */
	fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
	if (nseen + (size_t)n > sizeof seen) {
		/* Keep the last half: a match spans at most that. */
		size_t keep = sizeof seen / 2;
		memmove(seen, seen + nseen - keep, keep);
		mark = mark > nseen - keep ? mark - (nseen - keep) : 0;
		nseen = keep;
	}
	memcpy(seen + nseen, buf, (size_t)n);
	nseen += (size_t)n;
	return 1;
}

int main(int argc, char **argv)
{
	double limit = 120;
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "-t")) {
		limit = atof(argv[i + 1]);
		i += 2;
	}
	int first_step = i;
	while (i < argc && strcmp(argv[i], "--"))
		i++;
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: ptyrun [-t SECONDS] wait:TEXT|send:TEXT|intr... -- PROGRAM ARG...\n");
		return 125;
	}
	int last_step = i;
	int fd;
	struct winsize ws = { .ws_row = 24, .ws_col = 200 };
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("ptyrun: forkpty");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[last_step + 1], argv + last_step + 1);
		perror("ptyrun: exec");
		_exit(127);
	}
	int rc = 0;
	for (int s = first_step; s < last_step && !rc; s++) {
		const char *step = argv[s];
		if (!strncmp(step, "wait:", 5)) {
			const char *text = step + 5;
			double end = now() + limit;
			for (;;) {
				seen[nseen] = 0;
				char *hit = memmem(seen + mark, nseen - mark, text, strlen(text));
				if (hit) {
					mark = (size_t)(hit - seen) + strlen(text);
					break;
				}
				if (now() > end || pump(fd, 200) < 0) {
					printf("\nptyrun: no '%s' within %.0f s\n", text, limit);
					rc = 124;
					break;
				}
			}
		} else if (!strncmp(step, "send:", 5)) {
			/* "\r" in the argument, as two characters, is Enter. */
			for (const char *p = step + 5; *p; p++) {
				char c = *p;
				if (c == '\\' && p[1] == 'r') {
					c = '\r';
					p++;
				}
				if (write(fd, &c, 1) != 1) {
					rc = 125;
					break;
				}
				pump(fd, 5);  /* a typist, not a paste */
			}
		} else if (!strcmp(step, "intr")) {
			if (write(fd, "\003", 1) != 1)
				rc = 125;
		} else {
			fprintf(stderr, "ptyrun: unknown step '%s'\n", step);
			rc = 125;
		}
	}
	/* Hang up: a console ends on SIGHUP; give it a few seconds. */
	double end = now() + 5;
	while (now() < end && pump(fd, 100) >= 0)
		;
	close(fd);
	int status = 0;
	for (end = now() + 5; waitpid(pid, &status, WNOHANG) == 0; usleep(50000))
		if (now() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
	if (rc)
		return rc;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
