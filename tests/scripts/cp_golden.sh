#!/bin/sh
# CP sessions against golden transcripts: tests/golden/NAME.vml is fed to
# `vmlab cp` on a fresh state folder; the output must equal NAME.out.
# (Simulated time only, so the transcript is the same on every machine.)
# To accept a deliberate change: rerun with UPDATE=1 and read the diff.
# An optional tests/golden/NAME.setup is run first (sh NAME.setup STATE,
# with VMLAB set), e.g. to put files on minidisks with `vmlab disk`.
VMLAB=${VMLAB:-build/vmlab}
export VMLAB
for in in tests/golden/*.vml; do
	name=$(basename "$in" .vml)
	want=tests/golden/$name.out
	state=$(mktemp -d)
	got=$(mktemp)
	if [ -f "tests/golden/$name.setup" ] &&
	   ! sh "tests/golden/$name.setup" "$state" > "$got" 2>&1; then
		echo "FAIL cp-$name: $name.setup failed: $(head -3 "$got")"
		rm -rf "$state" "$got"
		continue
	fi
	"$VMLAB" cp --state "$state" < "$in" > "$got" 2>&1
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$got" "$want"
	fi
	if cmp -s "$got" "$want"; then
		echo "PASS cp-$name"
	else
		echo "FAIL cp-$name: output differs from $want:"
		diff "$want" "$got" | head -20
	fi
	rm -rf "$state" "$got"
done
