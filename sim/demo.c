/*
 * sim/demo.c -- the program `vmlab` (and so `make run`) runs on the bare
 * machine until the classroom console exists.
 *
 * It is a whole, if tiny, supervisor: interruption handlers installed in
 * low storage, console output through SVC 1 and a channel program, a
 * sieve, and finally a privileged instruction tried in problem state --
 * the trap that the control program (CP) is built on.  The source is kept
 * here, in the binary, so that `vmlab` works from any folder.
 */
#include <stdio.h>
#include <string.h>

#include "asm.h"
#include "cp/commands.h"
#include "run.h"

static const char demo_source[] =
	"* demo.s -- a tiny supervisor on the bare VL32 machine\n"
	"         ORG   0\n"
	"         PSW   0,START                 ; restart new PSW: where IPL begins\n"
	"         ORG   LC_EXT_NEW\n"
	"         PSW   0,UNEXP                 ; external new PSW\n"
	"         PSW   0,SVCH                  ; SVC new PSW (0x060)\n"
	"         PSW   0,PGMH                  ; program new PSW (0x068)\n"
	"         PSW   0,UNEXP                 ; machine-check new PSW\n"
	"         PSW   0,IOH                   ; I/O new PSW (0x078)\n"
	"         ORG   0x400\n"
	"START    LA    R1,HELLO\n"
	"         LHI   R2,HELLOL\n"
	"         SVC   1                       ; write a line\n"
	"* Count the primes below 1000 with a sieve of bytes.\n"
	"         LHI   R3,0\n"
	"         STC   R3,FLAGS\n"
	"         LA    R1,FLAGS+1\n"
	"         LA    R2,FLAGS\n"
	"         LHI   R3,999\n"
	"         MVC   R1,R2,R3                ; propagate the zero byte\n"
	"         LHI   R9,0                    ; primes found\n"
	"         LHI   R10,2                   ; candidate i\n"
	"OUTER    LLC   R3,FLAGS(R10)\n"
	"         LTR   R3,R3\n"
	"         JNZ   NEXTI                   ; crossed out\n"
	"         AHI   R9,1\n"
	"         LR    R11,R10\n"
	"         AR    R11,R10                 ; j = 2i\n"
	"INNER    CHI   R11,1000\n"
	"         JNL   NEXTI\n"
	"         LHI   R3,1\n"
	"         STC   R3,FLAGS(R11)\n"
	"         AR    R11,R10\n"
	"         J     INNER\n"
	"NEXTI    AHI   R10,1\n"
	"         CHI   R10,1000\n"
	"         JL    OUTER\n"
	"         LA    R1,PRIMES\n"
	"         LHI   R2,PRIMESL\n"
	"         SVC   1\n"
	"         LR    R5,R9\n"
	"         BRAS  R14,DECIMAL\n"
	"         SVC   1                       ; the count\n"
	"         LA    R1,TRYMSG\n"
	"         LHI   R2,TRYMSGL\n"
	"         SVC   1\n"
	"         LPSW  PROBPSW                 ; enter problem state...\n"
	"PROB     SSM   SYSMASK                 ; ...and try a privileged instruction\n"
	"         LPSW  FAILPSW                 ; never reached\n"
	"* Program interruption: say what happened, then stop.\n"
	"PGMH     LA    R1,TRAPMSG\n"
	"         LHI   R2,TRAPMSGL\n"
	"         SVC   1\n"
	"         L     R5,LC_PGM_CODE\n"
	"         BRAS  R14,DECIMAL\n"
	"         SVC   1                       ; the interruption code\n"
	"         LA    R1,CPMSG\n"
	"         LHI   R2,CPMSGL\n"
	"         SVC   1\n"
	"         LPSW  DONEPSW                 ; disabled wait, code 0: done\n"
	"* SVC 1: write R2 bytes at R1 to the console, wait for the I/O to end.\n"
	"SVCH     STM   R0,R15,SVCSAVE\n"
	"         ST    R1,CCW+4                ; data address\n"
	"         LUI   R3,CCW_CMD_WRITE<<8     ; command in the top byte\n"
	"         OR    R3,R2                   ; count in the low halfword\n"
	"         ST    R3,CCW\n"
	"         LA    R4,CCW\n"
	"         ST    R4,LC_CAW\n"
	"         SIO   X'009'\n"
	"         JNZ   UNEXP                   ; not started\n"
	"         LPSW  WAITPSW                 ; wait, enabled for I/O only\n"
	"IOH      LM    R0,R15,SVCSAVE          ; the I/O ended\n"
	"         LPSW  LC_SVC_OLD              ; back after the SVC\n"
	"* DECIMAL: R5 as decimal text; returns R1 = address, R2 = length.\n"
	"DECIMAL  LA    R7,NUMEND\n"
	"         LHI   R8,10\n"
	"DECLOOP  LHI   R4,0\n"
	"         DLR   R4,R8                   ; R5 := R5/10, R4 := digit\n"
	"         AHI   R4,C'0'\n"
	"         AHI   R7,-1\n"
	"         STC   R4,0(,R7)\n"
	"         LTR   R5,R5\n"
	"         JNZ   DECLOOP\n"
	"         LR    R1,R7\n"
	"         LA    R2,NUMEND\n"
	"         SR    R2,R7\n"
	"         BR    R14\n"
	"UNEXP    LPSW  FAILPSW\n"
	"         DS    0D\n"
	"PROBPSW  PSW   PSW_PROBLEM,PROB\n"
	"WAITPSW  PSW   PSW_IO+PSW_WAIT,0\n"
	"DONEPSW  PSW   PSW_WAIT,0\n"
	"FAILPSW  PSW   PSW_WAIT,0xBAD\n"
	"CCW      DC    2F'0'\n"
	"SYSMASK  DC    X'00'\n"
	"HELLO    DC    C'Hello from the bare VL32 machine.'\n"
	"HELLOL   EQU   *-HELLO\n"
	"PRIMES   DC    C'Primes below 1000, counted with a sieve:'\n"
	"PRIMESL  EQU   *-PRIMES\n"
	"TRYMSG   DC    C'Now in problem state, trying SSM (privileged)...'\n"
	"TRYMSGL  EQU   *-TRYMSG\n"
	"TRAPMSG  DC    C'Trapped: program interruption, code'\n"
	"TRAPMSGL EQU   *-TRAPMSG\n"
	"CPMSG    DC    C'That trap is what CP is built on: under CP, the control program '\n"
	"         DC    C'would emulate SSM for its guest and resume it.'\n"
	"CPMSGL   EQU   *-CPMSG\n"
	"NUMBUF   DS    CL12\n"
	"NUMEND   EQU   *\n"
	"         DS    0F\n"
	"SVCSAVE  DS    16F\n"
	"FLAGS    DS    CL1000\n"
	"         END   START\n";

const char *vmlab_demo_source(void)
{
	return demo_source;
}

int vmlab_demo_main(int argc, char **argv)
{
	/* `vmlab SUBCOMMAND --help` works for every subcommand; the demo
	 * takes no operands, so anything after it is a mistake, not a run. */
	if (argc > 1) {
		bool help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
		fprintf(help ? stdout : stderr,
			"%susage: vmlab demo\n"
			"A tiny supervisor on the bare VL32 machine (no CP): it prints through a\n"
			"channel program, counts primes with a sieve, then traps on a privileged\n"
			"instruction in problem state.  `vmlab guest` runs programs under CP.\n",
			help ? "" : "vmlab demo: takes no operands\n");
		return help ? 0 : 2;
	}
	struct sim_image img;
	struct asm_options opt = { .errors = stderr, .max_errors = 20 };
	if (asm_string("demo.s", demo_source, &opt, &img)) {
		fprintf(stderr, "vmlab: the built-in demo does not assemble (a bug)\n");
		return 1;
	}
	struct sim_machine m;
	char err[256];
	int rc = 1;
	if (sim_machine_init(&m, MACHINE_DEFAULT_STORAGE)) {
		sim_image_free(&img);
		return 1;
	}
	struct run_devices devs = { 0 };
	printf("vmlab: the VL32 bare machine, running its demo program "
	       "(`vmlab help` lists what else vmlab does)\n");
	if (run_attach_devices(&m.io, &devs, stderr) == 0 &&
	    sim_machine_load(&m, &img, err, sizeof err) == 0) {
		enum machine_stop why = sim_machine_run(&m, 10000000);
		fflush(stdout);
		printf("vmlab: %s, code X'%03X', after %llu instructions and %llu "
		       "simulated cycles\n", machine_stop_names[why], (unsigned)m.cpu.psw_ia,
		       (unsigned long long)m.cpu.instructions,
		       (unsigned long long)m.cpu.cycles);
		m.stats.instructions = m.cpu.instructions;
		exit_stats_print(stdout, &m.stats, sim_machine_key_name);
		rc = (why == STOP_DISABLED_WAIT && m.cpu.psw_ia == 0) ? 0 : 1;
	}
	sim_machine_destroy(&m);
	sim_image_free(&img);
	return rc;
}
