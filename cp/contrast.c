/*
 * cp/contrast.c -- `vmlab contrast WORKLOAD`: one workload, two models of
 * virtualization, side by side.
 *
 *   VL32 under CP   software trap-and-emulate: the guest runs in problem
 *                   state; every sensitive instruction traps to CP, which
 *                   emulates it (trap/);
 *   x86 under KVM   hardware assist (VT-x/AMD-V): the guest runs in a
 *                   hardware guest mode; some events exit, most of them
 *                   to the kernel's KVM, a few to the monitor in user
 *                   space (host-kvm/).
 *
 * The four workloads do the same kind of work on both machines, N
 * iterations each: a compute loop, console output, privileged control
 * operations, and page-table changes.  The table shows which events leave
 * the guest under each model, how often, and who handles them -- and a
 * sentence says why.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cp/commands.h"
#include "host-kvm/kvm.h"
#include "sim/asm.h"
#include "sim/run.h"
#include "trap/trap.h"

struct workload {
	const char *name;
	const char *what;
	const char *vl32;   /* VL32 source; the iteration count is the symbol N */
	const char *why;
};

/* Every VL32 workload starts from the same frame: PSWs, a loop of N. */
#define VL32_HEAD                                               \
	"         ORG   0\n"                                     \
	"         PSW   0,START\n"                               \
	"         ORG   LC_IO_NEW\n"                             \
	"         PSW   0,IOH\n"                                 \
	"         ORG   0x400\n"
#define VL32_TAIL                                               \
	"DONE     LPSW  DONEPSW\n"                               \
	"IOH      BR    R12\n"                                   \
	"         DS    0D\n"                                    \
	"DONEPSW  PSW   PSW_WAIT,0\n"                            \
	"WAITPSW  PSW   PSW_IO+PSW_WAIT,0\n"

static const struct workload workloads[] = {
	{ "compute", "an arithmetic loop",
	  VL32_HEAD
	  "START    LI    R1,N\n"
	  "LOOP     AHI   R2,3\n"
	  "         XR    R3,R2\n"
	  "         SLL   R3,1\n"
	  "         AR    R4,R3\n"
	  "         BRCT  R1,LOOP\n"
	  "         J     DONE\n"
	  VL32_TAIL,
	  "Nothing sensitive happens: under both models the guest runs at full speed\n"
	  "and never leaves its virtual machine (the few exits are start and finish)." },
	{ "console", "one line (VL32) / one byte (x86) of console output per iteration",
	  VL32_HEAD
	  "START    LI    R1,N\n"
	  "LOOP     LA    R12,NEXT\n"
	  "         LA    R2,CCW\n"
	  "         ST    R2,LC_CAW\n"
	  "         SIO   X'009'\n"
	  "         LPSW  WAITPSW\n"
	  "NEXT     BRCT  R1,LOOP\n"
	  "         J     DONE\n"
	  VL32_TAIL
	  "CCW      DC    X'01',X'20',H'1',A(TEXT)\n"
	  "TEXT     DC    C'.'\n",
	  "VL32: SIO is privileged, so each line is a trap (CP runs the channel program\n"
	  "on the virtual console), then an I/O interruption CP reflects, and the LPSW\n"
	  "that waits for it traps too.  x86: each OUT to the UART's port exits all the\n"
	  "way to vmlab in user space, where the device model lives." },
	{ "privops", "privileged control operations",
	  VL32_HEAD
	  "START    LI    R1,N\n"
	  "LOOP     SSM   ZERO\n"
	  "         STOSM MASK,0\n"
	  "         STCTL 0,0,CR\n"
	  "         LCTL  0,0,CR\n"
	  "         STPT  TIMER\n"
	  "         STIDP CPUID\n"
	  "         BRCT  R1,LOOP\n"
	  "         J     DONE\n"
	  VL32_TAIL
	  "CPUID    DS    D\n"
	  "TIMER    DS    D\n"
	  "CR       DS    F\n"
	  "ZERO     DC    X'00'\n"
	  "MASK     DS    X\n",
	  "VL32: every one is privileged and traps to CP, which emulates it on the\n"
	  "virtual CPU (trap-and-emulate, Popek and Goldberg 1974).  x86 with VT-x/AMD-V:\n"
	  "CPUID and the intercepted control-register and MSR accesses exit, but to the\n"
	  "kernel's KVM, not to the monitor; CLI/STI and CR3 reloads do not exit at all." },
	{ "ptchange", "a page-table change (and TLB purge) per iteration",
	  VL32_HEAD
	  "START    LI    R1,N\n"
	  "         LI    R2,SEGT\n"
	  "         LI    R3,PAGT\n"
	  "         ST    R3,0(,R2)          ; segment 0 -> page table\n"
	  "         LHI   R4,0\n"
	  "         LHI   R5,256\n"
	  "FILL     LR    R6,R4\n"
	  "         SLL   R6,12\n"
	  "         ST    R6,0(,R3)          ; identity map the first 1M\n"
	  "         AHI   R3,4\n"
	  "         AHI   R4,1\n"
	  "         BRCT  R5,FILL\n"
	  "         LCTL  1,1,CR1\n"
	  "         STOSM MASK,PSW_T>>24     ; DAT on\n"
	  "         LI    R9,PAGT+4*0x80     ; page 0x80's entry\n"
	  "LOOP     L     R6,0(,R9)          ; remap page 0x80 to the other frame\n"
	  "         XHI   R6,0x1000\n"
	  "         ST    R6,0(,R9)\n"
	  "         PTLB\n"
	  "         L     R7,0(,R8)          ; touch it through the new mapping\n"
	  "         BRCT  R1,LOOP\n"
	  "         J     DONE\n"
	  VL32_TAIL
	  "CR1      DC    A(SEGT)\n"
	  "MASK     DS    X\n"
	  "         ORG   0x10000\n"
	  "SEGT     DS    1024F\n"
	  "PAGT     DS    1024F\n",
	  "VL32: the guest's page-table store is an ordinary instruction, but the PTLB\n"
	  "the architecture requires after it traps, CP throws its shadow tables away,\n"
	  "and the next touch of the page is a shadow fault CP must fill.  x86 with\n"
	  "nested paging (EPT/NPT): the hardware walks the guest's own tables; no exit." },
};
#define NWORKLOADS (int)(sizeof workloads / sizeof workloads[0])

/* Run the VL32 side: the workload as the only guest under trap-and-emulate. */
static int run_vl32(const struct workload *w, uint64_t n, struct trap_vm *vm, char *msg,
		    size_t msglen)
{
	size_t cap = strlen(w->vl32) + 128;
	char *src = malloc(cap);
	if (!src)
		return -1;
	snprintf(src, cap, "N        EQU   %" PRIu64 "\n%s         END   START\n", n, w->vl32);
	struct sim_image img;
	struct asm_options opt = { .errors = stderr, .max_errors = 5 };
	int rc = asm_string(w->name, src, &opt, &img);
	free(src);
	if (rc) {
		snprintf(msg, msglen, "the VL32 workload does not assemble (a bug)");
		return -1;
	}
	char err[256];
	FILE *sink = fopen("/dev/null", "w");
	struct run_devices devs = { .console_out = sink };
	rc = -1;
	if (trap_vm_init(vm, MACHINE_DEFAULT_STORAGE) == 0) {
		if (run_attach_devices(&vm->io, &devs, stderr) == 0 &&
		    sim_image_place(&img, &vm->mem, err, sizeof err) == 0) {
			vm->cpu.gpr[8] = 0x80000; /* ptchange: the page it remaps */
			trap_vm_start(vm, img.entry);
			rc = trap_run_alone(vm, 100000000, msg, msglen);
		}
	}
	if (sink)
		fclose(sink);
	sim_image_free(&img);
	return rc;
}

static void row(const char *what, const char *left, const char *right)
{
	printf("  %-30s %20s %24s\n", what, left, right);
}

static void row_u(const char *what, uint64_t left, const char *right)
{
	char l[32];
	snprintf(l, sizeof l, "%" PRIu64, left);
	row(what, l, right);
}

static int contrast_one(const struct workload *w, uint64_t n)
{
	struct trap_vm *vm = calloc(1, sizeof *vm);
	char msg[256] = "";
	if (!vm)
		return 1;
	int vrc = run_vl32(w, n, vm, msg, sizeof msg);

	struct exit_stats kst;
	struct kvm_kstats kks;
	memset(&kst, 0, sizeof kst);
	memset(&kks, 0, sizeof kks);
	int krc = kvm_workload_run(w->name, n, NULL, &kst, &kks);
	bool kvm_ok = krc >= 0;

	printf("workload %s: %s, %" PRIu64 " iterations\n\n", w->name, w->what, n);
	row("", "VL32 under CP", "x86 under KVM");
	row("", "(trap-and-emulate)", "(hardware assist)");
	char r[64];
	if (vrc != 0) {
		printf("  VL32 side failed: %s\n", msg);
	}
	uint64_t vexits = exit_stats_total(&vm->stats);
	uint64_t kuser = exit_stats_total(&kst);
	uint64_t kall = kvm_kstats_get(&kks, "exits");
	snprintf(r, sizeof r, "%s", kvm_ok ? "not counted" : "-");
	row_u("guest instructions", vm->cpu.instructions, r);
	if (kvm_ok)
		snprintf(r, sizeof r, "%" PRIu64, kall ? kall : kuser);
	row_u("exits, all", vexits, kvm_ok ? r : "-");
	if (kvm_ok)
		snprintf(r, sizeof r, "%" PRIu64, kuser);
	row_u("  handled by the monitor", vexits, kvm_ok ? r : "-");
	if (kvm_ok)
		snprintf(r, sizeof r, "%" PRIu64, kall > kuser ? kall - kuser : 0);
	row("  handled in the kernel", "0", kvm_ok ? r : "-");
	char l[32];
	snprintf(l, sizeof l, "%.2f", (double)vexits / (double)n);
	if (kvm_ok)
		snprintf(r, sizeof r, "%.2f", (double)(kall ? kall : kuser) / (double)n);
	row("exits per iteration", l, kvm_ok ? r : "-");
	snprintf(l, sizeof l, "%.2f", vm->cpu.instructions ?
		 1000.0 * (double)vexits / (double)vm->cpu.instructions : 0.0);
	row("exits per 1000 instructions", l, kvm_ok ? "(no instruction count)" : "-");
	printf("  by kind (VL32):");
	for (int k = 0; k < EXK_COUNT; k++)
		if (vm->stats.count[k])
			printf(" %s %" PRIu64, exit_kind_names[k], vm->stats.count[k]);
	printf("\n");
	if (kvm_ok) {
		printf("  by kind (x86, to the monitor):");
		for (int k = 0; k < EXK_COUNT; k++)
			if (kst.count[k])
				printf(" %s %" PRIu64, exit_kind_names[k], kst.count[k]);
		printf("\n  in the kernel (x86):");
		static const char *const shown[] = { "io_exits", "irq_exits", "halt_exits",
						     "insn_emulation", "irq_window_exits",
						     "pf_taken" };
		for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
			uint64_t v = kvm_kstats_get(&kks, shown[i]);
			if (v)
				printf(" %s %" PRIu64, shown[i], v);
		}
		printf("\n");
	} else {
		printf("  x86 side not run: %s\n",
		       krc == -ENOENT ? "the x86 workload guest is not built (make)"
				      : "no usable /dev/kvm here -- run it inside the nested "
					"harness (tests/kvm, `make test-kvm`)");
	}
	if (kvm_ok && access("/sys/module/kvm_pvm", F_OK) == 0)
		printf("  note: this machine's KVM is kvm_pvm, which has no VT-x/AMD-V and emulates\n"
		       "  guest code in the kernel (insn_emulation): its kernel counts are not what\n"
		       "  real hardware assist gives.  The nested harness (tests/kvm) runs real\n"
		       "  AMD-V (emulated by QEMU).\n");
	printf("\nwhy: %s\n\n", w->why);
	trap_vm_destroy(vm);
	free(vm);
	return vrc != 0;
}

int vmlab_contrast_main(int argc, char **argv)
{
	uint64_t n = 1000;
	const char *which = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iterations") && i + 1 < argc) {
			char *end;
			n = strtoull(argv[++i], &end, 10);
			if (*end || n == 0 || n > 10000000) {
				fprintf(stderr, "vmlab contrast: --iterations: 1 to 10000000\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--help") || argv[i][0] == '-') {
			printf("usage: vmlab contrast [--iterations N] [WORKLOAD|all]\n"
			       "Run one workload as a VL32 guest under CP (trap-and-emulate) and as an x86\n"
			       "guest under KVM (hardware assist), and show side by side which events\n"
			       "leave the guest, how often, and who handles them.  Workloads:");
			for (int w = 0; w < NWORKLOADS; w++)
				printf(" %s", workloads[w].name);
			printf("\n");
			return strcmp(argv[i], "--help") ? 2 : 0;
		} else {
			which = argv[i];
		}
	}
	int bad = 0, found = 0;
	for (int w = 0; w < NWORKLOADS; w++)
		if (!which || !strcmp(which, "all") || !strcmp(which, workloads[w].name)) {
			found++;
			bad += contrast_one(&workloads[w], n);
		}
	if (!found) {
		fprintf(stderr, "vmlab contrast: no workload '%s' (compute, console, privops, ptchange)\n",
			which);
		return 2;
	}
	return bad ? 1 : 0;
}
