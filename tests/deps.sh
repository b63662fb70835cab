#!/bin/sh
# tests/deps.sh -- make sure the Debian packages vmlab builds against are
# here.  As root, install what is missing with apt-get; otherwise print the
# exact command and fail.  Called by `make`, `make run` and `make test`.
set -u
need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
[ -f /usr/include/readline/readline.h ] || need="$need libreadline-dev"
[ -f /usr/include/yaml.h ] || need="$need libyaml-dev"
[ -f /usr/include/cmocka.h ] || need="$need libcmocka-dev"
command -v gcc >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 || need="$need gcc"
command -v make >/dev/null 2>&1 || need="$need make"
[ -z "$need" ] && exit 0
echo "vmlab: missing Debian packages:$need" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "vmlab: installing them with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || true
	if apt-get install -y -qq $need >&2; then
		exit 0
	fi
	echo "vmlab: apt-get install failed; run: apt-get install$need" >&2
	exit 1
fi
echo "vmlab: run: sudo apt-get install$need" >&2
exit 1
