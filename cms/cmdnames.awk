# cms/cmdnames.awk -- CMS's command names, read off CMDTAB in the CMS
# source, as a C table for the console's Tab completion (cms/cmdnames.h).
# Usage: awk -f cms/cmdnames.awk cms/cms.s > cms_cmdnames.c
#
# The source is read as the assembler reads it: every INCLUDE 'file' is
# replaced by that file's lines (named relative to the including file's
# folder), so a table continued in an included file is read whole.
# A table is a run of DC statements that begins at a label starting
# with CMDTAB (CMDTAB, CMDTAB2...), one or more entries each:
#
#     CMDTAB   DC    CL8'LISTFILE',F'5',A(CMDLIST)
#              DC    CL8'TYPE',F'1',A(CMDTYPE)
#              DC    F'0'                      <- not an entry: the end
#
# Comment lines (* in column 1) and blank lines inside the run are
# skipped; any other statement ends it.  A name that CMS could not
# match (more than 8 characters, a minimum outside 1..length) stops the
# build with file:line:column, as does a source with no entry at all --
# so a change of CMDTAB's format is noticed here, not at the terminal.
function fail(file, line, col, msg) {
	printf "%s:%d:%d: %s\n", file, line, col, msg > "/dev/stderr"
	failed = 1
	exit 1
}

# The entries of one DC operand field: CL8'NAME',F'n' pairs.
function entries(text, stmt, file, line,    rest, m, name, min, col) {
	rest = text
	while (match(rest, /CL8'[^']*'[ \t]*,[ \t]*F'[^']*'/)) {
		m = substr(rest, RSTART, RLENGTH)
		col = index(stmt, m)
		name = m
		sub(/^CL8'/, "", name)
		sub(/'.*$/, "", name)
		sub(/[ ]+$/, "", name)
		min = m
		sub(/^.*F'/, "", min)
		sub(/'$/, "", min)
		name = toupper(name)
		if (name !~ /^[A-Z0-9$#@]+$/ || length(name) > 8)
			fail(file, line, col, "CMDTAB name '" name "' is not 1 to 8 of A-Z 0-9 $#@")
		if (min !~ /^[0-9]+$/ || min + 0 < 1 || min + 0 > length(name))
			fail(file, line, col, "CMDTAB " name ": minimum abbreviation F'" min "' is not 1 to " length(name))
		n++
		printf "\t{ \"%s\", %d, \"%s:%d\" },\n", name, min + 0, file, line
		rest = substr(rest, RSTART + RLENGTH)
	}
	return 0
}

function statement(stmt, file, line,    label, op, operand, t) {
	if (stmt ~ /^\*/ || stmt ~ /^[ \t]*$/ || stmt ~ /^[ \t]*;/)
		return  # a comment or a blank line: the run goes on
	label = ""
	t = stmt
	if (t !~ /^[ \t]/) {
		label = t
		sub(/[ \t].*$/, "", label)
		sub(/^[^ \t]+/, "", t)
	}
	sub(/^[ \t]+/, "", t)
	op = t
	sub(/[ \t].*$/, "", op)
	operand = t
	sub(/^[^ \t]+[ \t]*/, "", operand)
	if (toupper(label) ~ /^CMDTAB/ && (toupper(op) == "DC" || toupper(op) == "DS"))
		intable = 1  # (DS: "CMDTAB DS 0F", entries on the next lines)
	else if (!intable || label != "" || toupper(op) != "DC" ||
		 operand !~ /^CL8'/) {
		intable = 0
		return
	}
	if (toupper(op) == "DC")
		entries(operand, stmt, file, line)
}

function emit(file, shown, depth,    line, inc, n) {
	if (depth > 8)
		fail(shown, 0, 0, "INCLUDE nested too deep")
	n = 0
	while ((getline line < file) > 0) {
		n++
		if (line ~ /^[ \t]+INCLUDE[ \t]+'[^']+'/) {
			inc = line
			sub(/^[ \t]+INCLUDE[ \t]+'/, "", inc)
			sub(/'.*$/, "", inc)
			emit(dir "/" inc, dir "/" inc, depth + 1)
			continue
		}
		statement(line, shown, n)
	}
	if (n == 0)
		fail(file, 0, 0, "cannot read " file)
	close(file)
}

BEGIN {
	dir = ARGV[1]
	if (dir ~ /\//)
		sub(/\/[^\/]*$/, "", dir)
	else
		dir = "."
	print "/* Generated from CMDTAB in " ARGV[1] " (and what it INCLUDEs) by"
	print " * cms/cmdnames.awk: do not edit. */"
	print "#include <stddef.h>"
	print "#include \"cms/cmdnames.h\""
	print "const struct cms_command_name cms_command_names[] = {"
	n = 0
	emit(ARGV[1], ARGV[1], 0)
	if (n == 0)
		fail(ARGV[1], 0, 0, "no CMDTAB entry (DC CL8'NAME',F'min',A(routine)) found")
	print "\t{ NULL, 0, NULL },"
	print "};"
	exit 0
}
