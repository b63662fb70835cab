/*
 * cp/cp.h -- the control program: many users, each with a virtual
 * machine, sharing one real VL32 processor.
 *
 * CP in one picture:
 *
 *     terminal lines --> cp_input() --+--> the guest's virtual console
 *                                     |    (when the guest is reading it)
 *                                     +--> cp_execute() CP commands
 *                                          (#CP prefix, or CP READ state)
 *
 *     cp_dispatch():  round robin over the users whose virtual machines
 *                     can run; each gets a time slice of simulated
 *                     cycles in trap_run() (trap/), which emulates and
 *                     reflects everything the guest does; when every
 *                     machine waits, time jumps to the next event.
 *
 * Each logged-on user is a struct cp_vm (VM/370 called it the VMBLOK):
 * the guest (struct trap_vm), its state as CP sees it, its terminal, its
 * accounting.  Nothing here reads the host clock: time is the simulated
 * cycle count `now`, so two runs with the same input give the same
 * output, byte for byte.
 */
#ifndef CP_H
#define CP_H

#include <stdbool.h>
#include <stdint.h>

#include "cp/directory.h"
#include "cp/minidisk.h"
#include "cp/out.h"
#include "trap/trap.h"

#define CP_MAX_VMS 2048
#define CP_INPUT_QUEUE 4
#define CP_LINE_MAX 256
#define CP_TIMELINE 512

/* Privilege classes, VM/370 style: a user may issue a command if any of
 * the user's classes is among the command's. */
enum {
	CP_CLASS_A = 1 << 0, /* system operator */
	CP_CLASS_B = 1 << 1, /* system resources */
	CP_CLASS_C = 1 << 2, /* system programmer */
	CP_CLASS_D = 1 << 3, /* spooling */
	CP_CLASS_E = 1 << 4, /* system analyst */
	CP_CLASS_F = 1 << 5, /* service */
	CP_CLASS_G = 1 << 6, /* general user */
	CP_CLASS_ANY = 0x7F,
};

/* What the user's virtual machine is doing, as CP sees it. */
enum cp_vm_state {
	CPVM_STOPPED,  /* in CP READ: not IPLed, stopped by the user, or in a
			  disabled wait; BEGIN (or IPL) makes it run */
	CPVM_RUNNING,  /* dispatchable */
	CPVM_WAIT,     /* in an enabled wait: dispatchable once an
			  interruption is due (VM READ if its console reads) */
};

/* Trace classes (TRACE command): which traps CP reports on the terminal. */
enum {
	CP_TRACE_PRIV = 1 << 0,   /* privileged instructions emulated */
	CP_TRACE_SVC = 1 << 1,
	CP_TRACE_PGM = 1 << 2,    /* program interruptions reflected */
	CP_TRACE_IO = 1 << 3,     /* I/O instructions */
	CP_TRACE_DAT = 1 << 4,    /* shadow-table faults */
	CP_TRACE_INSTR = 1 << 5,  /* every instruction (single-stepped) */
	CP_TRACE_BRANCH = 1 << 6, /* every successful branch */
	CP_TRACE_ALL = 0x7F,
};

struct cp_system;

struct cp_vm {
	struct cp_system *sys;
	char userid[9];
	const struct cp_user_def *def;  /* its directory entry */
	struct trap_vm *g;              /* the guest virtual machine */
	enum cp_vm_state state;
	bool disconnected;              /* no terminal: output is dropped */
	bool autologged;
	bool ipled;
	char ipl_name[9];               /* what the last IPL loaded: "CMS",
					   "DEMO", a device "190" ("" none) */
	bool msg_off;                   /* SET MSG OFF */
	uint32_t classes;               /* CP_CLASS_* */
	uint32_t trace;                 /* CP_TRACE_* */
	struct cp_out term;             /* the user's terminal */
	/* While disconnected, the guest's console lines and CP's notices go
	 * here instead (the console keeps them for the reconnect); unset
	 * (.line NULL): they are lost, as on VM/370 without a console spool. */
	struct cp_out dsc;
	uint16_t console_addr;
	/* Lines typed for the guest's console, oldest first. */
	char input[CP_INPUT_QUEUE][CP_LINE_MAX];
	int ninput;
	uint64_t logon_time;            /* simulated */
	uint64_t dispatches;
	/* LOGOFF (or FORCE) while this machine is inside trap_run -- a
	 * DIAGNOSE 8 from the guest itself: the dispatcher logs it off when
	 * trap_run returns, with this message (NULL: none). */
	bool logoff_pending;
	const char *logoff_why;
};

/* One dispatch, for INDICATE TIMELINE. */
struct cp_dispatch_rec {
	uint64_t start, end;    /* simulated time */
	uint16_t vm;            /* index in sys->vms at the time */
	char userid[9];
	uint8_t why;            /* enum trap_stop */
	uint32_t exits;         /* exits during the slice */
	uint32_t io;            /* of which I/O instructions (SIO, TIO, HIO) */
};

struct cp_system {
	struct cp_directory dir;
	char state_dir[512];
	struct cp_vm *vms[CP_MAX_VMS];
	int nvms;
	uint64_t now;           /* the system's TOD: simulated cycles */
	uint64_t slice;         /* time slice, cycles */
	int next;               /* round-robin cursor */
	struct cp_vm *running;  /* the machine inside trap_run, or NULL */
	struct cp_out opcons;   /* the operator's console (messages) */
	uint64_t dispatches;
	struct cp_dispatch_rec timeline[CP_TIMELINE];
	unsigned ntimeline;     /* total recorded; the ring holds the last */
	struct cp_spool *spool; /* spool files (cp/spool.c) */
	struct cp_mdisk_table mdisks; /* who has which minidisk linked how */
};

/* Start CP over a directory (taken over: freed by cp_shutdown). */
int cp_init(struct cp_system *sys, struct cp_directory *dir, const char *state_dir);
void cp_shutdown(struct cp_system *sys);

/* LOGON: create the user's virtual machine.  Messages go to term.
 * Returns the VM or NULL (message written). */
struct cp_vm *cp_logon(struct cp_system *sys, const char *userid, const char *password,
		       const struct cp_out *term, bool autolog);
void cp_logoff(struct cp_vm *vm, const char *why);
struct cp_vm *cp_find(struct cp_system *sys, const char *userid);

/*
 * A line typed at vm's terminal: to the guest's console if it is reading
 * and the line does not start with #CP, else to CP.  Returns CP's return
 * code (0 for lines given to the guest).
 */
int cp_input(struct cp_vm *vm, const char *line);
/* Execute one CP command for vm (NULL: not logged on: LOGON and a few
 * others only).  Responses to out.  Returns 0 or a VM/370-style code. */
int cp_execute(struct cp_system *sys, struct cp_vm *vm, const char *line,
	       const struct cp_out *out);

/* Run the machines until simulated time `until`, or until no machine can
 * run before some outside event (input).  Returns the number of
 * dispatches made. */
uint64_t cp_dispatch(struct cp_system *sys, uint64_t until);
/* True if vm's guest is waiting for a console line (VM READ). */
bool cp_vm_reading(const struct cp_vm *vm);

/* IPL a named system or a device address ("DEMO", "190"). */
int cp_ipl(struct cp_vm *vm, const char *what, const struct cp_out *out);

/* Named systems (IPL by name): a name and the program it loads. */
struct cp_named_system {
	const char *name;
	const char *description;
	const char *(*source)(void);  /* VL32 assembler source */
};
extern const struct cp_named_system cp_named_systems[];

#endif
