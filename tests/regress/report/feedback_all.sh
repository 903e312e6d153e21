#!/bin/sh
# feedback_all.sh - "mamori report feedback CAMPAIGN --all DIR" on a small
# demo campaign: one page per respondent, the same bytes whatever the
# number of threads (--jobs) and the same as each organisation's page
# made alone; a page that cannot be written stops the command with its
# file named; --jobs out of range or without --all is a usage error.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/f.db
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
check "demo" m demo generate --hospitals 300 --respondents 180 --seed 11 --no-others

check_grep "one thread" '^180 feedback reports in ' \
	m report feedback 1 --all "$TMP/j1" --jobs 1 --lang en
check_grep "two threads" '^180 feedback reports in ' \
	m report feedback 1 --all "$TMP/j2" --jobs 2 --lang en
check_grep "seven threads" '^180 feedback reports in ' \
	m report feedback 1 --all "$TMP/j7" --jobs 7 --lang en
check_grep "threads as processors" '^180 feedback reports in ' \
	m report feedback 1 --all "$TMP/jd" --lang en
check_out "180 files" 180 sh -c "ls '$TMP/j1' | wc -l | tr -d ' '"
check_out "none empty" "" find "$TMP/j1" -type f -empty
check "two threads: the same files, byte for byte" diff -r "$TMP/j1" "$TMP/j2"
check "seven threads: the same files" diff -r "$TMP/j1" "$TMP/j7"
check "as many as processors: the same files" diff -r "$TMP/j1" "$TMP/jd"

# a few organisations' pages made one at a time
n=0
for f in $(ls "$TMP/j1" | sed -n '1p;57p;180p'); do
	o=${f%.html}
	m report feedback 1 "$o" --lang en -o "$TMP/one.html"
	check "$o alone: the same page as in the folder" cmp "$TMP/one.html" "$TMP/j2/$f"
	n=$((n + 1))
done
check_out "three compared" 3 echo "$n"

# a page that cannot be written: the first in respondent order is named
mkdir -p "$TMP/bad"
last=$(ls "$TMP/j1" | sed -n '180p')
mkdir "$TMP/bad/$last"
check_exit 2 "a page that cannot be written: exit 2" \
	m report feedback 1 --all "$TMP/bad" --jobs 2
check_grep "... the file named" "bad/$last: cannot create" \
	m report feedback 1 --all "$TMP/bad" --jobs 3

check_exit 2 "--jobs 0" m report feedback 1 --all "$TMP/x" --jobs 0
check_exit 2 "--jobs 17" m report feedback 1 --all "$TMP/x" --jobs 17
check_exit 2 "--jobs two" m report feedback 1 --all "$TMP/x" --jobs two
check_exit 2 "--jobs without --all" m report feedback 1 "${last%.html}" --jobs 2
finish
