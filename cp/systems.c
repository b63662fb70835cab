/*
 * cp/systems.c -- the named systems a user can IPL by name.
 *
 * VM/370 kept "saved systems" (CMS above all) that IPL loaded by name.
 * Until CMS exists, vmlab has three small ones, written in VL32 assembler
 * and assembled at IPL time:
 *
 *   DEMO   the bare-machine demo (sim/demo.c): console output, a sieve,
 *          a privileged instruction tried in problem state;
 *   HELLO  punches three cards and prints a line through the spooled
 *          punch (00D) and printer (00E), then says so on the console;
 *   CARDS  reads the cards in its reader (00C) and types each on the
 *          console until the reader is empty;
 *   LOOP   counts for ever: a compute-bound guest for the dispatcher.
 *
 * HELLO and CARDS together show the spool: SPOOL PUNCH TO another user,
 * IPL HELLO, CLOSE PUNCH, and the other user's CARDS types the deck.
 */
#include "cp.h"

const char *vmlab_demo_source(void);
const char *cms_source(void); /* cms/cms.s, through cms/cms.mk */

static const char hello_source[] =
	"* HELLO: punch three cards, print a line, tell the console.\n"
	"         ORG   0\n"
	"         PSW   0,START\n"
	"         ORG   LC_IO_NEW\n"
	"         PSW   0,IOH\n"
	"         ORG   0x400\n"
	"START    LHI   R3,MSGL\n"
	"         STH   R3,CCCW+2               ; the console CCW's count\n"
	"         LA    R12,PRINT               ; where IOH continues\n"
	"         LA    R2,PCCW\n"
	"         ST    R2,LC_CAW\n"
	"         SIO   X'00D'                  ; three cards, command-chained\n"
	"         JNZ   FAIL\n"
	"         LPSW  WAITPSW\n"
	"PRINT    LA    R12,TELL\n"
	"         LA    R2,PRCCW\n"
	"         ST    R2,LC_CAW\n"
	"         SIO   X'00E'\n"
	"         JNZ   FAIL\n"
	"         LPSW  WAITPSW\n"
	"TELL     LA    R12,DONE\n"
	"         LA    R2,CCCW\n"
	"         ST    R2,LC_CAW\n"
	"         SIO   X'009'\n"
	"         JNZ   FAIL\n"
	"         LPSW  WAITPSW\n"
	"IOH      BR    R12                     ; the I/O ended: go on\n"
	"DONE     LPSW  DONEPSW\n"
	"FAIL     LPSW  FAILPSW\n"
	"         DS    0D\n"
	"WAITPSW  PSW   PSW_IO+PSW_WAIT,0\n"
	"DONEPSW  PSW   PSW_WAIT,0\n"
	"FAILPSW  PSW   PSW_WAIT,0xBAD\n"
	"PCCW     DC    X'01',X'60',H'80',A(CARD1)   ; write; chain command, SLI\n"
	"         DC    X'01',X'60',H'80',A(CARD2)\n"
	"         DC    X'01',X'20',H'80',A(CARD3)\n"
	"PRCCW    DC    X'01',X'20',H'40',A(LINE)\n"
	"CCCW     DC    X'01',X'20',H'0',A(MSG)\n"
	"CARD1    DC    CL80'HELLO FROM A VL32 GUEST: CARD 1'\n"
	"CARD2    DC    CL80'CARD 2: PUNCHED THROUGH A SPOOLED 2540 PUNCH'\n"
	"CARD3    DC    CL80'CARD 3: CLOSE THE PUNCH TO SEND THE DECK'\n"
	"LINE     DC    CL40'A LINE ON THE SPOOLED 1403 PRINTER'\n"
	"MSG      DC    C'HELLO: 3 CARDS PUNCHED, 1 LINE PRINTED'\n"
	"MSGL     EQU   *-MSG\n"
	"         END   START\n";

static const char cards_source[] =
	"* CARDS: type every card in the reader on the console.\n"
	"         ORG   0\n"
	"         PSW   0,START\n"
	"         ORG   LC_IO_NEW\n"
	"         PSW   0,IOH\n"
	"         ORG   0x400\n"
	"START    LA    R12,GOT\n"
	"         LA    R2,RCCW\n"
	"         ST    R2,LC_CAW\n"
	"         SIO   X'00C'\n"
	"         JNZ   DONE                    ; no card to start with\n"
	"         LPSW  WAITPSW\n"
	"GOT      L     R3,LC_CSW+4\n"
	"         SRL   R3,24                   ; unit status\n"
	"         NHI   R3,UNIT_EXCEPTION+UNIT_CHECK\n"
	"         JNZ   DONE                    ; end of file, or an empty reader\n"
	"         LA    R12,START\n"
	"         LA    R2,WCCW\n"
	"         ST    R2,LC_CAW\n"
	"         SIO   X'009'\n"
	"         JNZ   DONE\n"
	"         LPSW  WAITPSW\n"
	"IOH      BR    R12\n"
	"DONE     LPSW  DONEPSW\n"
	"         DS    0D\n"
	"WAITPSW  PSW   PSW_IO+PSW_WAIT,0\n"
	"DONEPSW  PSW   PSW_WAIT,0\n"
	"RCCW     DC    X'02',X'20',H'80',A(CARD)\n"
	"WCCW     DC    X'01',X'20',H'80',A(CARD)\n"
	"CARD     DS    CL80\n"
	"         END   START\n";

static const char loop_source[] =
	"* LOOP: count in R1 for ever -- a compute-bound guest for the\n"
	"* dispatcher and the benchmarks (STOP or LOGOFF ends it).\n"
	"         ORG   0\n"
	"         PSW   0,START\n"
	"         ORG   0x400\n"
	"START    LHI   R1,0\n"
	"LOOP     AHI   R1,1\n"
	"         NHI   R1,0x7FFF\n"
	"         LR    R2,R1\n"
	"         XR    R2,R1\n"
	"         J     LOOP\n"
	"         END   START\n";

static const char *hello(void) { return hello_source; }
static const char *loop(void) { return loop_source; }
static const char *cards(void) { return cards_source; }

const struct cp_named_system cp_named_systems[] = {
	{ "CMS", "the Conversational Monitor System: files on the A (191) and S (190) disks", cms_source },
	{ "DEMO", "the bare-machine demo: console output, a sieve, a trap", vmlab_demo_source },
	{ "HELLO", "punch three cards and print a line (spooled), then say so", hello },
	{ "CARDS", "type every card in the reader on the console", cards },
	{ "LOOP", "count in a register for ever (a compute-bound guest)", loop },
	{ NULL, NULL, NULL },
};
