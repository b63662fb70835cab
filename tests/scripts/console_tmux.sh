#!/bin/sh
# The console on a real terminal, driven through tmux: start
# `vmlab --state TMP` in a detached tmux session, type with send-keys,
# read the screen with capture-pane.  What a newcomer does first:
#   - the logon banner, the first IPL and the prompt with the state;
#   - Tab completes a command name and an operand; at CMS's VM READ,
#     CMS's commands, its file names, implied CP, user ids and systems;
#   - an idle CMS costs nothing (no exits, no host CPU);
#   - Ctrl-C (the attention key) stops a running guest into CP READ,
#     and BEGIN gives it back; Ctrl-C never ends the program;
#   - Ctrl-D asks before leaving; the history survives a restart (Up,
#     Ctrl-R);
#   - bad input (a control character, an overlong line, pasted binary
#     garbage) gets a message and the console goes on.
# Every wait is bounded; the tmux server is private and killed at exit.
VMLAB=${VMLAB:-build/vmlab}
T=console-tmux
if ! command -v tmux >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
   command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null 2>&1
fi
if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP $T: tmux not installed"
	exit 0
fi
tmp=$(mktemp -d)
# A private server on a socket in $tmp: nothing of the user's tmux is
# touched, and the socket goes away with the folder.
tm() { tmux -S "$tmp/tmux.sock" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
# Sanitizer builds are slower: give them longer.
limit=${TMUX_WAIT:-100}   # tenths of a second per wait
[ "${SAN:-0}" = 1 ] && limit=300

screen() { tm capture-pane -p -t "$S" -S -100 2>/dev/null; }
# wait_for NAME REGEX: until the screen matches, or fail the check.
wait_for() {
	i=0
	while [ $i -lt $limit ]; do
		if screen | grep -Eq -- "$2"; then
			echo "PASS $T-$1"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL $T-$1: no /$2/ on the screen:"
	screen | grep -v '^$' | tail -8 | sed 's/^/    /'
	return 1
}
# The last non-empty line of the screen (the prompt line).
last_line() { screen | grep -v '^$' | tail -1; }
wait_last() { # wait_last NAME REGEX: the prompt line matches
	i=0
	while [ $i -lt $limit ]; do
		if last_line | grep -Eq -- "$2"; then
			echo "PASS $T-$1"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL $T-$1: the last line is '$(last_line)', wanted /$2/"
	return 1
}
start() { # start SESSION-NAME [ENV...]: a fresh tmux session running vmlab
	S=$1
	shift
	tm new-session -d -s "$S" -x 150 -y 50 \
		"env -u NO_COLOR TERM=xterm $* sh -c 'echo \$\$ > $tmp/pid; exec $VMLAB --state $tmp/state'; echo VMLAB-EXIT=\$?; sleep 60"
}
esc=$(printf '\033')

start first
wait_for banner 'VMLAB CONTROL PROGRAM' &&
wait_for logon 'LOGON AT 0 .*ALICE' &&
wait_for first-ipl '^IPL (CMS|DEMO)$' &&
wait_last prompt 'ALICE (CP READ|VM READ|RUNNING) ==>$'

# Colour on a terminal: the state in the prompt is coloured.
if tm capture-pane -e -p -t "$S" | grep -q "$esc\[[0-9;]*m"; then
	echo "PASS $T-colour"
else
	echo "FAIL $T-colour: no colour escape in the prompt"
fi

# Tab completion (capture-pane drops trailing blanks): a command name
# after #CP (which works whatever the
# guest is doing), then an operand from the command's syntax.
tm send-keys -t "$S" '#CP QUER' Tab
wait_last complete-command '==> #CP QUERY$'
tm send-keys -t "$S" 'SYST' Tab
wait_last complete-operand '==> #CP QUERY SYSTEMS$'
tm send-keys -t "$S" Enter
wait_for query-systems '^LOOP +count'

# The attention key: a running guest stops into CP READ, BEGIN resumes.
tm send-keys -t "$S" '#CP IPL LOOP' Enter
wait_last running 'ALICE RUNNING ==>$'
tm send-keys -t "$S" C-c
wait_for attention 'CP READ: ALICE STOPPED AT'
wait_last cp-read 'ALICE CP READ ==>$'
tm send-keys -t "$S" 'BEGIN' Enter
wait_last begin 'ALICE RUNNING ==>$'
tm send-keys -t "$S" C-c
wait_last attention-again 'ALICE CP READ ==>$'
# Ctrl-C at CP READ does not end anything either.
tm send-keys -t "$S" C-c
wait_for attention-in-cp-read 'ALREADY IN CP READ'
tm send-keys -t "$S" 'QUERY NAMES' Enter
wait_for still-alive 'ALICE    - TERM'
# Bad input typed at the terminal: a control character (Ctrl-V Ctrl-A
# puts one in the line), a line longer than CP takes: a message each,
# the console goes on, and neither goes into the history.
tm send-keys -t "$S" 'QUERY' C-v C-a ' NAMES' Enter
wait_for control-char 'HCPTER006E LINE HOLDS CONTROL CHARACTERS'
tm send-keys -t "$S" "$(head -c 300 /dev/zero | tr '\0' Q)" Enter
wait_for long-line 'HCPTER003E LINE TOO LONG'
tm send-keys -t "$S" 'QUERY TIME' Enter
wait_for alive-after-bad-input 'TIME IS'

# Ctrl-D asks first; "n" stays, "y" leaves with status 0.
tm send-keys -t "$S" C-d
wait_for ctrl-d-asks 'Leave vmlab\?'
tm send-keys -t "$S" n Enter
wait_for ctrl-d-stays 'STAYING'
tm send-keys -t "$S" C-d
sleep 0.3
tm send-keys -t "$S" y Enter
wait_for leaves 'VMLAB-EXIT=0'

# The history survives a restart: Up recalls the last line, Ctrl-R
# finds an older one.
if [ -s "$tmp/state/history" ]; then
	echo "PASS $T-history-file"
else
	echo "FAIL $T-history-file: no $tmp/state/history"
fi
start again
wait_last restart-prompt 'ALICE (CP READ|VM READ|RUNNING) ==>$'
tm send-keys -t "$S" Up
wait_last history-up '==> QUERY TIME$'
tm send-keys -t "$S" C-u C-r 'IPL L'
wait_last history-search 'reverse-i-search.*#CP IPL LOOP'
tm send-keys -t "$S" C-g C-u
tm send-keys -t "$S" C-d
sleep 0.3
tm send-keys -t "$S" y Enter
wait_for leaves-again 'VMLAB-EXIT=0'

# A newcomer's first session on CMS, using only what HELP and Tab offer:
# the CMS prompt; CMS's commands and files complete (the names from
# CMDTAB in cms/cms.s); an idle terminal costs nothing; Ctrl-C and
# BEGIN; a trap with TRACE and EXPLAIN; the timeline; LOGOFF, then LOGON
# and IPL CMS again by Tab.
rm -rf "$tmp/state"
# /proc/PID/stat: user + system CPU time of vmlab, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$(cat "$tmp/pid")/stat" 2>/dev/null || echo 0; }
# The ALICE rows (instructions, CPU, exits) and the SYSTEM rows (time,
# dispatches) of the last two INDICATE answers.
indicate_rows() { screen | grep -E '^ALICE +VM READ +INSTR' | tail -2; }
system_rows() { screen | grep -E '^SYSTEM TIME' | tail -2; }
if "$VMLAB" cp --state "$tmp/probe" -c 'LOGON OPERATOR; QUERY SYSTEMS' 2>/dev/null |
   grep -q '^CMS      '; then
	# A file on ALICE's A-disk for Tab to find, as a newcomer's own
	# files would be (the first run makes the disks).
	"$VMLAB" --state "$tmp/state" --no-ipl -c 'LOGOFF' >/dev/null 2>&1
	printf 'Welcome to CMS.\n' > "$tmp/welcome"
	"$VMLAB" disk put "$tmp/state/ALICE.191.disk" "$tmp/welcome" "WELCOME TEXT" >/dev/null
	start newcomer-cms
	wait_for cms-ready 'R;'
	wait_last cms-vm-read 'ALICE VM READ ==>$'
	# HELP at CMS's prompt is CMS's HELP (cms/help.s): CMS's commands,
	# the shortest form of each in capitals.
	tm send-keys -t "$S" 'HELP' Enter
	wait_for cms-help '^  LISTFile +Type +ERase'
	tm send-keys -t "$S" 'LISTF' Tab
	wait_last cms-complete-command '==> LISTFILE$'
	tm send-keys -t "$S" Enter
	wait_for cms-listfile '^WELCOME +TEXT +A1'
	tm send-keys -t "$S" 'TYPE WEL' Tab
	wait_last cms-complete-fn '==> TYPE WELCOME$'
	tm send-keys -t "$S" Tab
	wait_last cms-complete-ft '==> TYPE WELCOME TEXT$'
	tm send-keys -t "$S" Tab
	wait_last cms-complete-fm '==> TYPE WELCOME TEXT A$'
	tm send-keys -t "$S" Enter
	wait_for cms-type '^Welcome to CMS\.'
	wait_last cms-type-ready 'ALICE VM READ ==>$'
	# Idle at R;: CMS waits for the line in an enabled wait and is not
	# dispatched -- the same exits before and after, and vmlab itself
	# sleeps (a spinning loop would use the CPU the whole time).
	tm send-keys -t "$S" '#CP INDICATE' Enter
	wait_for cms-indicate-1 '^ALICE +VM READ +INSTR'
	t0=$(cpu_ticks)
	sleep 2
	t1=$(cpu_ticks)
	tm send-keys -t "$S" '#CP INDICATE' Enter
	i=0
	while [ $i -lt $limit ] && [ "$(indicate_rows | wc -l)" -lt 2 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rows=$(indicate_rows; system_rows)
	if [ "$(echo "$rows" | wc -l)" -eq 4 ] && [ "$(echo "$rows" | uniq | wc -l)" -eq 2 ]; then
		echo "PASS $T-cms-idle-no-exits"
	else
		echo "FAIL $T-cms-idle-no-exits: INDICATE changed while idle:"
		echo "$rows" | sed 's/^/    /'
	fi
	# (clock ticks are 1/100 s: 2 s of spinning would be about 200)
	if [ $((t1 - t0)) -lt 40 ]; then
		echo "PASS $T-cms-idle-sleeps"
	else
		echo "FAIL $T-cms-idle-sleeps: vmlab used $((t1 - t0)) ticks of CPU in 2 s idle"
	fi
	# The attention key at VM READ, and BEGIN gives the read back.
	tm send-keys -t "$S" C-c
	wait_last cms-attention 'ALICE CP READ ==>$'
	tm send-keys -t "$S" 'BEGIN' Enter
	wait_last cms-begin 'ALICE VM READ ==>$'
	# A trap of CMS's own: TRACE PRIV, a command, EXPLAIN (by Tab).
	tm send-keys -t "$S" '#CP TRAC' Tab 'PR' Tab Enter
	wait_for cms-trace 'TRACE STARTED'
	tm send-keys -t "$S" 'LISTFILE' Enter
	wait_for cms-trap '\*\*\* [0-9A-F]{8} LPSW .*emulated'
	tm send-keys -t "$S" '#CP EXPL' Tab Enter
	wait_for cms-explain 'believing itself in supervisor state'
	tm send-keys -t "$S" '#CP TRACE END' Enter
	wait_for cms-trace-end 'TRACE ENDED'
	# Implied CP completes at CMS's prompt too: the timeline.
	tm send-keys -t "$S" 'IND' Tab 'TI' Tab Enter
	wait_for cms-timeline 'ALICE +\|'
	tm send-keys -t "$S" '#CP QUERY VIRTUAL' Enter
	wait_for cms-query-virtual 'STORAGE = '
	tm send-keys -t "$S" '#CP LOGOFF' Enter
	wait_last cms-logoff 'LOGON ==>$'
	# Log on and IPL CMS again, by Tab.
	tm send-keys -t "$S" 'LOGON AL' Tab
	wait_last cms-complete-userid '==> LOGON ALICE$'
	tm send-keys -t "$S" Enter
	wait_last cms-logon 'ALICE CP READ ==>$'
	tm send-keys -t "$S" 'IPL CM' Tab
	wait_last cms-complete-system '==> IPL CMS$'
	tm send-keys -t "$S" Enter
	wait_last cms-ipl 'ALICE VM READ ==>$'
	tm send-keys -t "$S" C-d
	sleep 0.3
	tm send-keys -t "$S" y Enter
	wait_for cms-leaves 'VMLAB-EXIT=0'
else
	echo "SKIP $T-newcomer-cms: CMS is not installed yet"
fi
start newcomer
wait_last newcomer-prompt 'ALICE (CP READ|VM READ|RUNNING) ==>$'
tm send-keys -t "$S" '#CP HELP' Enter
wait_for newcomer-help '^debug .*EXPLAIN'
# (Trace a small system, not whatever the first IPL started.)
tm send-keys -t "$S" '#CP IPL DEMO' Enter
wait_last newcomer-demo 'ALICE CP READ ==>$'
tm send-keys -t "$S" 'TRACE PRIV' Enter
wait_for newcomer-trace 'TRACE STARTED'
tm send-keys -t "$S" 'IPL DEMO' Enter
wait_for newcomer-trap '\*\*\* [0-9A-F]{8} LPSW .*emulated'
wait_last newcomer-cp-read 'ALICE CP READ ==>$'
tm send-keys -t "$S" 'EXPL' Tab Enter
wait_for newcomer-explain 'believing itself in supervisor state'
tm send-keys -t "$S" 'IND' Tab ' TI' Tab Enter
wait_for newcomer-timeline 'ALICE +\|.*X\|'
# A lesson takes the terminal (its prompt says so) and gives it back.
tm send-keys -t "$S" 'LESS' Tab 'STAR' Tab 'tr' Tab Enter
wait_last lesson-prompt 'LESSON trap STEP 1/[0-9]+ ==>$'
tm send-keys -t "$S" 'LESSON END' Enter
wait_last lesson-end 'ALICE (CP READ|VM READ|RUNNING) ==>$'
tm send-keys -t "$S" 'LOGOFF' Enter
wait_last newcomer-logoff 'LOGON ==>$'
tm send-keys -t "$S" C-d
sleep 0.3
tm send-keys -t "$S" y Enter
wait_for newcomer-leaves 'VMLAB-EXIT=0'

# NO_COLOR: not one colour escape on the screen.
start nocolour NO_COLOR=1
wait_last nocolour-prompt 'ALICE (CP READ|VM READ|RUNNING) ==>$'
if tm capture-pane -e -p -t "$S" | grep -q "$esc\[[0-9;]*m"; then
	echo "FAIL $T-no-colour: colour escapes despite NO_COLOR"
else
	echo "PASS $T-no-colour"
fi
# Binary garbage pasted at the prompt (UTF-8, control bytes, an escape
# sequence, bytes no terminal sends): readline takes what are its keys,
# the rest is refused with a message, and the console goes on.
tm send-keys -t "$S" -l "QUERY $(printf 'caf\303\251 \001\002\033[2J x \377\376')"
tm send-keys -t "$S" Enter
wait_for garbage-refused 'HCPTER00[3-6]E|HCPCMD001E'
tm send-keys -t "$S" 'QUERY TIME' Enter
wait_for alive-after-garbage 'TIME IS'
# A SIGTERM (or the terminal closing) ends the session cleanly: the
# users are logged off and the status is 0.
kill -TERM "$(cat "$tmp/pid")"
wait_for sigterm-clean 'VMLAB-EXIT=0'
wait_for sigterm-logoff 'CONNECT= '
