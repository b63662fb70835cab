#!/bin/sh
# tests/scripts/lessons.sh -- every lesson in lessons/ plays unattended
# (vmlab lesson auto --all prints one PASS or FAIL line per lesson), and
# the command line around it keeps its promises: check accepts every
# lesson, a lesson whose expectation is wrong FAILs with file:line:col,
# the same lesson played twice prints the same transcript byte for byte,
# list and show work.
VMLAB=${VMLAB:-build/vmlab}
export VMLAB_LESSONS=lessons
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Every lesson, unattended.  The PASS/FAIL lines are auto's own.
"$VMLAB" lesson auto --all >"$tmp/all" 2>&1
rc=$?
cat "$tmp/all"
if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$tmp/all"; then
	echo "FAIL lessons-auto: exited with status $rc and no FAIL line"
fi
n=$(ls lessons/*.yaml | wc -l)
p=$(grep -c '^PASS lesson ' "$tmp/all")
if [ "$n" -ge 3 ] && [ "$p" -eq "$n" ]; then
	echo "PASS lessons-all-played: $p of $n"
else
	echo "FAIL lessons-all-played: $p of $n lessons passed"
fi

# 2. check loads every lesson.
if "$VMLAB" lesson check lessons/*.yaml >"$tmp/check" 2>&1; then
	echo "PASS lessons-check"
else
	echo "FAIL lessons-check: $(head -1 "$tmp/check")"
fi

# 3. A wrong expectation fails, and says where.
sed 's/ALICE.stats.exits.privileged >= 16/ALICE.stats.exits.privileged >= 17/' \
	lessons/trap.yaml >"$tmp/wrong.yaml"
"$VMLAB" lesson auto "$tmp/wrong.yaml" >"$tmp/wrong" 2>&1
rc=$?
if [ $rc -ne 0 ] &&
   grep -q "^FAIL lesson trap: $tmp/wrong.yaml:[0-9]*:[0-9]*: step count: check 'ALICE.stats.exits.privileged >= 17' is false (ALICE.stats.exits.privileged = 16)" "$tmp/wrong"; then
	echo "PASS lessons-wrong-check-fails"
else
	echo "FAIL lessons-wrong-check-fails: status $rc: $(grep '^FAIL' "$tmp/wrong")"
fi
# ... and so does a wrong answer to a numeric question that names its value.
sed 's/answer: 22/answer: 23/' lessons/shadow.yaml >"$tmp/answer.yaml"
if ! "$VMLAB" lesson auto "$tmp/answer.yaml" >"$tmp/answer" 2>&1 &&
   grep -q "the question's answer is 23 but the machine says ALICE.stats.exits.translation = 22" "$tmp/answer"; then
	echo "PASS lessons-wrong-answer-fails"
else
	echo "FAIL lessons-wrong-answer-fails: $(grep '^FAIL' "$tmp/answer")"
fi

# 4. Deterministic: simulated time, so the whole transcript repeats.
"$VMLAB" lesson auto -v lessons/multiplex.yaml lessons/shadow.yaml >"$tmp/t1" 2>&1
"$VMLAB" lesson auto -v lessons/multiplex.yaml lessons/shadow.yaml >"$tmp/t2" 2>&1
if cmp -s "$tmp/t1" "$tmp/t2" && grep -q 'shadow table entry filled' "$tmp/t1"; then
	echo "PASS lessons-deterministic"
else
	echo "FAIL lessons-deterministic: two plays differ (or shadow trace missing)"
fi

# 5. list and show.
"$VMLAB" lesson list >"$tmp/list" 2>&1
if grep -q '^trap .*Trap and emulate' "$tmp/list" && grep -q '^shadow ' "$tmp/list" &&
   grep -q '^multiplex ' "$tmp/list"; then
	echo "PASS lessons-list"
else
	echo "FAIL lessons-list: $(cat "$tmp/list")"
fi
# The first lesson is listed first (the list is sorted by file name).
if [ "$(sed -n 2p "$tmp/list" | cut -d' ' -f1)" = first ] &&
   grep -q '^first .*Your first virtual machine' "$tmp/list"; then
	echo "PASS lessons-list-first"
else
	echo "FAIL lessons-list: $(cat "$tmp/list")"
fi
"$VMLAB" lesson show trap >"$tmp/show" 2>&1
if grep -q 'Step 2: Watch CP emulate' "$tmp/show" && grep -q 'B) LPSW' "$tmp/show" &&
   ! grep -q 'answer' "$tmp/show"; then
	echo "PASS lessons-show"
else
	echo "FAIL lessons-show: $(head -3 "$tmp/show")"
fi
if ! "$VMLAB" lesson show nosuch >"$tmp/nosuch" 2>&1 && grep -q "no lesson with id 'nosuch'" "$tmp/nosuch"; then
	echo "PASS lessons-show-unknown"
else
	echo "FAIL lessons-show-unknown: $(cat "$tmp/nosuch")"
fi

# 6. The complete example in FORMAT.md is a lesson that plays.
awk '/^```yaml$/ { f = 1; next } /^```$/ { f = 0 } f' lessons/FORMAT.md >"$tmp/example.yaml"
if "$VMLAB" lesson auto "$tmp/example.yaml" >"$tmp/example" 2>&1 &&
   grep -q '^PASS lesson hello-trap' "$tmp/example"; then
	echo "PASS lessons-format-example"
else
	echo "FAIL lessons-format-example: $(grep -v '^ ' "$tmp/example" | tail -1)"
fi

# 7. Every lesson also plays at the console, as a student who knows the
# answers types it (vmlab lesson script): LESSON START, each step's
# lines -- checked as they run, the step ending only after its last line
# -- and each answer at its question.  A step whose expectations are met
# before its last line would ask its questions too early and take the
# rest of the lines for answers: "NOT QUITE" (or "ANSWER WITH", for a line that is no answer) catches that.
for f in lessons/*.yaml; do
	name=$(basename "$f" .yaml)
	id=$(awk '/^id:/ { print $2; exit }' "$f")
	st=$(mktemp -d)
	"$VMLAB" lesson script "$f" >"$tmp/script-$name" 2>&1
	"$VMLAB" cp --state "$st" <"$tmp/script-$name" >"$tmp/console-$name" 2>&1
	rm -rf "$st"
	if grep -q "^LESSON $id DONE\." "$tmp/console-$name" &&
	   ! grep -q "NOT QUITE\|ANSWER WITH\|HCPLES" "$tmp/console-$name"; then
		echo "PASS lessons-console-$name"
	else
		echo "FAIL lessons-console-$name: $(grep -m1 'NOT QUITE\|ANSWER WITH\|HCPLES' "$tmp/console-$name" ||
			tail -1 "$tmp/console-$name")"
	fi
done
# ... and its progress was saved as done (the state folder's file).
st=$(mktemp -d)
"$VMLAB" cp --state "$st" <"$tmp/script-first" >/dev/null 2>&1
if grep -q '^- first 1 done$' "$st/lessons.progress" 2>/dev/null; then
	echo "PASS lessons-console-progress"
else
	echo "FAIL lessons-console-progress: $(cat "$st/lessons.progress" 2>&1)"
fi
rm -rf "$st"

# 8. A student's own way through trap, not the script's: IPL DEMO with
# TRACE PRIV alone first (step 2 wants PGM too), so DEMO runs twice and
# INDICATE's counts are doubled -- step 4 must still pass.  A choice
# with a comma in it is one choice (answered by its text), and a line
# that is no answer is told what an answer looks like.
st=$(mktemp -d)
printf '%s\n' 'LOGON ALICE' 'LESSON START trap' 'QUERY VIRTUAL' B sensitive \
	'TRACE PRIV' 'IPL DEMO' 'TRACE PRIV PGM' 'IPL DEMO' \
	'QUERY VIRTUAL' 'Reflected a privileged-operation exception into the guest' \
	EXPLAIN B INDICATE 16 99.88 |
	"$VMLAB" cp --state "$st" >"$tmp/twice" 2>&1
rm -rf "$st"
if grep -q '^LESSON trap DONE\.' "$tmp/twice" &&
   grep -q 'privileged  *32 ' "$tmp/twice" &&
   grep -q '^ANSWER WITH A LETTER, A TO D' "$tmp/twice" &&
   ! grep -q 'NOT QUITE\|HCPLES' "$tmp/twice"; then
	echo "PASS lessons-console-trap-twice"
else
	echo "FAIL lessons-console-trap-twice: $(grep -m1 'NOT QUITE\|HCPLES\|STEP 4' "$tmp/twice" || tail -1 "$tmp/twice")"
fi

# LESSON LIST (the issue's name for it) lists, as LESSON alone does.
if "$VMLAB" cp --state "$tmp/st-list" -c 'LESSON LIST' 2>&1 | grep -q '^  trap  *beginner'; then
	echo "PASS lessons-console-list"
else echo "FAIL lessons-console-list: $("$VMLAB" cp --state "$tmp/st-list" -c 'LESSON LIST' 2>&1 | tail -1)"; fi
# A mistyped lesson name is named back, with where to look.
if "$VMLAB" cp --state "$tmp/st-list" -c 'LESSON START nosuch' 2>&1 |
	grep -q '^HCPLES027E NO LESSON nosuch: LESSON LIST LISTS THEM$'; then
	echo "PASS lessons-console-no-such"
else echo "FAIL lessons-console-no-such: $("$VMLAB" cp --state "$tmp/st-list" -c 'LESSON START nosuch' 2>&1 | tail -1)"; fi
