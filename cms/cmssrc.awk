# cms/cmssrc.awk -- turn the CMS nucleus source into C: a function
# cms_source() returning the text, with every INCLUDE 'file' replaced by
# that file's lines (files named relative to the including file's
# folder), so that IPL CMS assembles one self-contained text.
# Usage: awk -f cms/cmssrc.awk cms/cms.s > cms_src.c
function emit(file, depth,    line, inc, n) {
	if (depth > 8) {
		print "cmssrc.awk: INCLUDE nested too deep in " file > "/dev/stderr"
		exit 1
	}
	n = 0
	while ((getline line < file) > 0) {
		n++
		if (line ~ /^[ \t]+INCLUDE[ \t]+'[^']+'/) {
			inc = line
			sub(/^[ \t]+INCLUDE[ \t]+'/, "", inc)
			sub(/'.*$/, "", inc)
			emit(dir "/" inc, depth + 1)
			continue
		}
		gsub(/\\/, "\\\\", line)
		gsub(/"/, "\\\"", line)
		printf "\t\"%s\\n\"\n", line
	}
	if (n == 0) {
		print "cmssrc.awk: cannot read " file > "/dev/stderr"
		exit 1
	}
	close(file)
}
BEGIN {
	dir = ARGV[1]
	if (dir ~ /\//)
		sub(/\/[^\/]*$/, "", dir)
	else
		dir = "."
	print "/* Generated from " ARGV[1] " by cms/cmssrc.awk: do not edit. */"
	print "const char *cms_source(void);"
	print "static const char text[] ="
	emit(ARGV[1], 0)
	print "\t;"
	print "const char *cms_source(void) { return text; }"
	exit 0
}
