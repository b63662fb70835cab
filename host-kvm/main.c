/*
 * host-kvm/main.c -- `vmlab kvm`: the command line of the monitor.
 *
 *   vmlab kvm run GUEST [--mode M] [--arg N]      a flat x86 guest
 *   vmlab kvm boot BZIMAGE [--initrd F] [--append S]   Linux
 *   vmlab kvm check BZIMAGE                       validate a kernel image
 *   vmlab kvm probe                               is /dev/kvm usable?
 *   vmlab kvm guests                              the built-in guests
 *
 * Common options: --mem MIB, --stats, --timeout SECONDS, --no-seccomp.
 * Everything the user names is read and checked before /dev/kvm is
 * opened, so a bad file gives a clear message on any machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cp/commands.h"
#include "host-kvm/kvm.h"

/* The guests in host-kvm/guests/, assembled at build time into
 * build/host-kvm/guests/NAME.bin next to build/vmlab. */
static const struct {
	const char *name;
	enum kvm_mode mode;
	const char *what;
} builtin_guests[] = {
	{ "real", KVM_MODE_REAL, "16-bit real mode: segment:offset, BIOS-era" },
	{ "prot", KVM_MODE_PROT, "32-bit protected mode, flat segments" },
	{ "paged", KVM_MODE_PAGED, "32-bit paging with 4 MiB pages" },
	{ "long", KVM_MODE_LONG, "64-bit long mode, 4-level paging" },
	{ "compute", KVM_MODE_LONG, "workload: arithmetic loop, no exits" },
	{ "console", KVM_MODE_LONG, "workload: a byte to COM1 per iteration" },
	{ "privops", KVM_MODE_LONG, "workload: CPUID, CR and MSR accesses" },
	{ "ptchange", KVM_MODE_LONG, "workload: rewrite a page table entry" },
	{ "triple", KVM_MODE_LONG, "a fault with no handler: shutdown" },
	{ "badio", KVM_MODE_LONG, "hostile port I/O: unclaimed, wide, string" },
};
#define NGUESTS (sizeof builtin_guests / sizeof builtin_guests[0])

#define MAX_IMAGE (1u << 30)
#define DEFAULT_FLAT_MIB 16
#define DEFAULT_LINUX_MIB 256
#define MAX_MIB 3072  /* stay below the 32-bit PCI hole at 3 GiB */

int kvm_read_file(const char *path, uint8_t **buf, size_t *len, size_t max_len)
{
	int r = 0;
	uint8_t *b = NULL;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto out;
	}
	if ((uint64_t)st.st_size > max_len) {
		r = -EFBIG;
		goto out;
	}
	b = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!b) {
		r = -ENOMEM;
		goto out;
	}
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			goto out;
		}
		got += (size_t)n;
	}
	*buf = b;
	*len = got;
	b = NULL;
out:
	free(b);
	close(fd);
	return r;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vmlab kvm run GUEST [--mode real|prot|paged|long] [--arg N]\n"
		"       vmlab kvm boot BZIMAGE [--initrd FILE] [--append CMDLINE]\n"
		"                  [--no-acpi]  (no MADT: PIC in virtual-wire mode)\n"
		"       vmlab kvm check BZIMAGE | probe | guests\n"
		"options: --mem MIB  --stats  --timeout SECONDS  --no-seccomp  --quiet\n"
		"         --seccomp-selftest (make a forbidden system call: tests)\n"
		"GUEST is a flat binary loaded at 0x10000, or a built-in guest's name\n"
		"(vmlab kvm guests).  The guest's console is stdout; in `boot`, stdin\n"
		"is its keyboard.  Exit status: 0 halted or reset, 3 triple fault,\n"
		"4 timeout, 1 error, 2 usage.\n");
}

/* Find a built-in guest: NAME.bin in the guests folder next to the
 * vmlab executable, or in $VMLAB_KVM_GUESTS. */
static int find_guest(const char *name, char *path, size_t len)
{
	const char *dir = getenv("VMLAB_KVM_GUESTS");
	char exe[PATH_MAX];
	if (!dir) {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n <= 0)
			return -ENOENT;
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (!slash)
			return -ENOENT;
		strcpy(slash, "/host-kvm/guests");
		dir = exe;
	}
	if ((size_t)snprintf(path, len, "%s/%s.bin", dir, name) >= len)
		return -ENAMETOOLONG;
	return access(path, R_OK) == 0 ? 0 : -ENOENT;
}

/*
 * For `vmlab contrast` and the console: run a built-in guest in this
 * process, with iterations in rbx, and hand back its counters.  No
 * seccomp here -- the caller goes on after the guest stops.  Guest
 * output goes to out, or nowhere if out is NULL.  Returns the stop
 * reason, or -errno if the guest could not start: -ENOENT for a
 * guest that is not built in, -ENODEV where /dev/kvm is missing.
 */
int kvm_workload_run(const char *name, uint64_t iterations, FILE *out,
		     struct exit_stats *st, struct kvm_kstats *ks)
{
	return kvm_workload_run_timed(name, iterations, out, st, ks, NULL);
}

int kvm_workload_run_timed(const char *name, uint64_t iterations, FILE *out,
			   struct exit_stats *st, struct kvm_kstats *ks,
			   uint64_t *wall_ns)
{
	char path[PATH_MAX];
	uint8_t *img = NULL;
	size_t len = 0;
	size_t i;
	int r;
	for (i = 0; i < NGUESTS; i++)
		if (!strcmp(name, builtin_guests[i].name))
			break;
	if (i == NGUESTS || find_guest(name, path, sizeof path))
		return -ENOENT;
	if ((r = kvm_read_file(path, &img, &len, MAX_IMAGE)))
		return r;
	FILE *sink = out ? out : fopen("/dev/null", "w");
	struct kvm_options o = {
		.mode = builtin_guests[i].mode, .mem_size = DEFAULT_FLAT_MIB << 20,
		.arg = iterations, .no_seccomp = 1, .quiet = 1, .out = sink,
	};
	struct kvm_machine m;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	if (!sink || (r = kvm_machine_create(&m, &o))) {
		r = sink ? r : -errno;
		/* -ENOENT means "no such guest" to our callers; a missing
		 * /dev/kvm is "no KVM device here". */
		if (r == -ENOENT)
			r = -ENODEV;
		goto out;
	}
	if (ioctl(m.vcpu_fd, KVM_GET_SREGS, &sregs) < 0 ||
	    kvm_flat_setup(m.mem, m.mem_size, img, len, o.mode, o.arg, &sregs,
			   &regs) ||
	    kvm_machine_set_regs(&m, &sregs, &regs)) {
		r = -EINVAL;
	} else {
		r = (int)kvm_machine_run(&m, &o);
		kvm_machine_measure(&m);
		if (st)
			*st = m.stats;
		if (ks)
			*ks = m.kstats;
		if (wall_ns)
			*wall_ns = m.wall_ns;
	}
	kvm_machine_destroy(&m);
out:
	if (sink && sink != out)
		fclose(sink);
	free(img);
	return r;
}

int kvm_text_input(void *ctx, uint8_t *buf, int len)
{
	struct kvm_text_input *t = ctx;
	size_t n = t->len - t->off;
	if (n == 0)
		return 0;
	if (n > (size_t)len)
		n = (size_t)len;
	memcpy(buf, t->text + t->off, n);
	t->off += n;
	return (int)n;
}

int kvm_linux_boot(const char *kernel, const char *initrd_path,
		   const char *append, uint64_t mem_mib, struct kvm_options *o,
		   void (*ready)(void *ctx), void *ready_ctx,
		   struct kvm_boot_result *res, char *err, size_t errlen)
{
	uint8_t *img = NULL, *initrd = NULL;
	size_t img_len = 0, initrd_len = 0;
	struct kvm_linux_layout lay;
	struct kvm_machine m;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	char why[200];
	int r;

	memset(res, 0, sizeof *res);
	if (mem_mib == 0 || mem_mib > MAX_MIB) {
		snprintf(err, errlen, "memory %llu MiB: 1 to %d",
			 (unsigned long long)mem_mib, MAX_MIB);
		return -EINVAL;
	}
	o->linux_guest = 1;
	o->no_seccomp = 1;
	o->mem_size = mem_mib << 20;
	if ((r = kvm_read_file(kernel, &img, &img_len, MAX_IMAGE))) {
		snprintf(err, errlen, "%s: %s", kernel, strerror(-r));
		goto out;
	}
	if (initrd_path &&
	    (r = kvm_read_file(initrd_path, &initrd, &initrd_len, MAX_IMAGE))) {
		snprintf(err, errlen, "%s: %s", initrd_path, strerror(-r));
		goto out;
	}
	/* Everything checked before /dev/kvm is opened, as in `kvm boot`. */
	if ((r = kvm_linux_plan(img, img_len, initrd_len, append, o->mem_size,
				&lay, why, sizeof why))) {
		snprintf(err, errlen, "%s: %s", kernel, why);
		goto out;
	}
	if ((r = kvm_probe(why, sizeof why)) < 0) {
		snprintf(err, errlen, "no usable KVM here (%s)", why);
		goto out;
	}
	if ((r = kvm_machine_create(&m, o))) {
		snprintf(err, errlen, "the virtual machine could not be made: %s",
			 strerror(-r));
		goto out;
	}
	if (ioctl(m.vcpu_fd, KVM_GET_SREGS, &sregs) < 0) {
		r = -errno;
		snprintf(err, errlen, "KVM_GET_SREGS: %s", strerror(-r));
	} else if ((r = kvm_linux_setup(m.mem, m.mem_size, img, img_len, initrd,
					initrd_len, append, !o->no_acpi, &lay,
					&sregs, &regs, why, sizeof why))) {
		snprintf(err, errlen, "%s: %s", kernel, why);
	} else if ((r = kvm_machine_set_regs(&m, &sregs, &regs))) {
		snprintf(err, errlen, "the vCPU's registers: %s", strerror(-r));
	} else {
		free(img);
		free(initrd);
		img = initrd = NULL;
		if (ready)
			ready(ready_ctx);
		res->stop = kvm_machine_run(&m, o);
		kvm_machine_measure(&m);
		res->stats = m.stats;
		res->kstats = m.kstats;
		res->wall_ns = m.wall_ns;
		res->overhead_kib = m.rss_kib > m.guest_rss_kib
					    ? m.rss_kib - m.guest_rss_kib : 0;
	}
	kvm_machine_destroy(&m);
out:
	free(img);
	free(initrd);
	return r < 0 ? r : r ? -EINVAL : 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || end == s || *end || x > max || s[0] == '-')
		return -EINVAL;
	*v = x;
	return 0;
}

static int exit_code(enum kvm_stop s)
{
	switch (s) {
	case KVM_STOP_HALT:
	case KVM_STOP_RESET:
	case KVM_STOP_SYSTEM:
		return 0;
	case KVM_STOP_SHUTDOWN:
		return 3;
	case KVM_STOP_TIMEOUT:
	case KVM_STOP_ATTENTION:
		return 4;
	default:
		return 1;
	}
}

/* Open /dev/kvm and ask for the API version: the test scripts use this
 * to choose between native runs, the nested harness, and SKIP. */
int kvm_probe(char *why, size_t len)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(why, len, "/dev/kvm: %s", strerror(e));
		return -e;
	}
	int v = ioctl(fd, KVM_GET_API_VERSION, 0);
	int vm = v == KVM_API_VERSION ? ioctl(fd, KVM_CREATE_VM, 0) : -1;
	if (vm < 0) {
		int e = v == KVM_API_VERSION ? errno : ENOTSUP;
		snprintf(why, len, "/dev/kvm API version %d, KVM_CREATE_VM %s", v,
			 v == KVM_API_VERSION ? strerror(e) : "not tried");
		close(fd);
		return -e;
	}
	close(vm);
	close(fd);
	snprintf(why, len, "/dev/kvm API version %d", v);
	return 0;
}

static int cmd_probe(void)
{
	char why[160];
	int r = kvm_probe(why, sizeof why);
	printf("%s: %s\n", r ? "no" : "yes", why);
	return r ? 1 : 0;
}

static int cmd_check(const char *path)
{
	uint8_t *img = NULL;
	size_t len = 0;
	char err[200];
	struct kvm_bzimage bz;
	int r = kvm_read_file(path, &img, &len, MAX_IMAGE);
	if (r) {
		fprintf(stderr, "vmlab kvm: %s: %s\n", path, strerror(-r));
		return 1;
	}
	r = kvm_bzimage_parse(img, len, &bz, err, sizeof err);
	free(img);
	if (r) {
		fprintf(stderr, "vmlab kvm: %s: %s\n", path, err);
		return 1;
	}
	printf("%s: bzImage, boot protocol %u.%02u, setup %u sectors, kernel "
	       "%zu KiB, init_size %u KiB, %s entry, cmdline up to %u bytes\n",
	       path, bz.version >> 8, bz.version & 0xff, bz.setup_sects,
	       bz.kernel_size / 1024, bz.init_size / 1024,
	       bz.version >= 0x020c && (bz.xloadflags & 1) ? "64-bit" : "32-bit",
	       bz.cmdline_size);
	return 0;
}

int vmlab_kvm_main(int argc, char **argv)
{
	struct kvm_options o = { .mode = KVM_MODE_LONG, .out = stdout };
	const char *cmd = argc > 1 ? argv[1] : NULL;
	const char *file = NULL, *initrd_path = NULL;
	const char *append = "console=ttyS0";
	uint64_t mib = 0;
	int have_mode = 0;

	if (!cmd || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(cmd ? stdout : stderr);
		return cmd ? 0 : 2;
	}
	if (!strcmp(cmd, "probe"))
		return cmd_probe();
	if (!strcmp(cmd, "guests")) {
		for (size_t i = 0; i < NGUESTS; i++)
			printf("  %-9s %-6s %s\n", builtin_guests[i].name,
			       kvm_mode_names[builtin_guests[i].mode],
			       builtin_guests[i].what);
		return 0;
	}
	if (strcmp(cmd, "run") && strcmp(cmd, "boot") && strcmp(cmd, "check")) {
		fprintf(stderr, "vmlab kvm: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t x;
		if (!strcmp(a, "--stats")) {
			o.stats = 1;
		} else if (!strcmp(a, "--no-seccomp")) {
			o.no_seccomp = 1;
		} else if (!strcmp(a, "--no-acpi")) {
			o.no_acpi = 1;
		} else if (!strcmp(a, "--seccomp-selftest")) {
			o.seccomp_selftest = 1;
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = 1;
		} else if (!strcmp(a, "--mode") && v) {
			if (kvm_mode_parse(v, &o.mode)) {
				fprintf(stderr, "vmlab kvm: --mode %s: say real, "
					"prot, paged or long\n", v);
				return 2;
			}
			have_mode = 1;
			i++;
		} else if (!strcmp(a, "--mem") && v) {
			if (parse_u64(v, MAX_MIB, &mib) || mib == 0) {
				fprintf(stderr, "vmlab kvm: --mem %s: a size in MiB, "
					"1 to %d\n", v, MAX_MIB);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--arg") && v) {
			if (parse_u64(v, UINT64_MAX, &o.arg)) {
				fprintf(stderr, "vmlab kvm: --arg %s: a number\n", v);
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--timeout") && v) {
			if (parse_u64(v, 86400, &x)) {
				fprintf(stderr, "vmlab kvm: --timeout %s: seconds\n", v);
				return 2;
			}
			o.timeout = (int)x;
			i++;
		} else if (!strcmp(a, "--initrd") && v) {
			initrd_path = v;
			i++;
		} else if (!strcmp(a, "--append") && v) {
			append = v;
			i++;
		} else if (a[0] != '-' && !file) {
			file = a;
		} else {
			fprintf(stderr, "vmlab kvm: unexpected '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!file) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "check"))
		return cmd_check(file);

	int rc = 1, r;
	uint8_t *img = NULL, *initrd = NULL;
	size_t img_len = 0, initrd_len = 0;
	char path[PATH_MAX], err[256];
	struct kvm_machine m;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int created = 0;
	o.linux_guest = !strcmp(cmd, "boot");

	/* A built-in guest by name, else a file. */
	if (!o.linux_guest && !strchr(file, '/') && access(file, R_OK) != 0) {
		size_t i;
		for (i = 0; i < NGUESTS; i++)
			if (!strcmp(file, builtin_guests[i].name))
				break;
		if (i == NGUESTS || find_guest(file, path, sizeof path)) {
			fprintf(stderr, "vmlab kvm: no guest file or built-in "
				"guest '%s' (see vmlab kvm guests)\n", file);
			return 1;
		}
		if (!have_mode)
			o.mode = builtin_guests[i].mode;
		file = path;
	} else if (!o.linux_guest && !have_mode) {
		fprintf(stderr, "vmlab kvm: %s: say which mode it runs in "
			"(--mode real|prot|paged|long)\n", file);
		return 2;
	}

	r = kvm_read_file(file, &img, &img_len, MAX_IMAGE);
	if (r) {
		fprintf(stderr, "vmlab kvm: %s: %s\n", file, strerror(-r));
		goto out;
	}
	o.mem_size = (mib ? mib : o.linux_guest ? DEFAULT_LINUX_MIB
						 : DEFAULT_FLAT_MIB) << 20;
	if (o.linux_guest) {
		struct kvm_linux_layout lay;
		if (initrd_path &&
		    (r = kvm_read_file(initrd_path, &initrd, &initrd_len,
				       MAX_IMAGE))) {
			fprintf(stderr, "vmlab kvm: %s: %s\n", initrd_path,
				strerror(-r));
			goto out;
		}
		if (kvm_linux_plan(img, img_len, initrd_len, append, o.mem_size,
				   &lay, err, sizeof err)) {
			fprintf(stderr, "vmlab kvm: %s: %s\n", file, err);
			goto out;
		}
	} else if (img_len > o.mem_size - KVM_FLAT_LOAD ||
		   (o.mode == KVM_MODE_REAL && img_len > 0x10000)) {
		fprintf(stderr, "vmlab kvm: %s: %zu bytes do not fit in %s "
			"mode with %llu MiB\n", file, img_len,
			kvm_mode_names[o.mode],
			(unsigned long long)(o.mem_size >> 20));
		goto out;
	}

	if (kvm_machine_create(&m, &o))
		goto out;
	created = 1;
	/* Start from the vCPU's reset state and change what we need. */
	if (ioctl(m.vcpu_fd, KVM_GET_SREGS, &sregs) < 0) {
		perror("vmlab kvm: KVM_GET_SREGS");
		goto out;
	}
	if (o.linux_guest) {
		struct kvm_linux_layout lay;
		r = kvm_linux_setup(m.mem, m.mem_size, img, img_len, initrd,
				    initrd_len, append, !o.no_acpi, &lay, &sregs, &regs, err,
				    sizeof err);
		if (r) {
			fprintf(stderr, "vmlab kvm: %s: %s\n", file, err);
			goto out;
		}
		if (!o.quiet)
			fprintf(stderr, "vmlab kvm: Linux at %#llx (%s entry %#llx), "
				"initrd %llu KiB at %#llx, %zu MiB\n",
				(unsigned long long)lay.kernel_addr,
				lay.entry64 ? "64-bit" : "32-bit",
				(unsigned long long)lay.entry,
				(unsigned long long)lay.initrd_size / 1024,
				(unsigned long long)lay.initrd_addr,
				m.mem_size >> 20);
	} else {
		r = kvm_flat_setup(m.mem, m.mem_size, img, img_len, o.mode, o.arg,
				   &sregs, &regs);
		if (r) {
			fprintf(stderr, "vmlab kvm: %s: %zu bytes do not fit in "
				"%s mode with %zu MiB\n", file, img_len,
				kvm_mode_names[o.mode], m.mem_size >> 20);
			goto out;
		}
	}
	/* The images are in guest memory now: give their copies back, so
	 * they do not count as monitor overhead. */
	free(img);
	free(initrd);
	img = initrd = NULL;
	if (kvm_machine_set_regs(&m, &sregs, &regs))
		goto out;

	enum kvm_stop stop = kvm_machine_run(&m, &o);
	kvm_machine_measure(&m);
	if (!o.quiet || stop != KVM_STOP_HALT)
		fprintf(stderr, "vmlab kvm: guest %s after %.3f s\n",
			kvm_stop_name(stop), (double)m.wall_ns / 1e9);
	if (o.stats) {
		fflush(stdout);
		kvm_machine_print_stats(&m, stdout);
	}
	rc = exit_code(stop);
out:
	if (created)
		kvm_machine_destroy(&m);
	free(img);
	free(initrd);
	return rc;
}
