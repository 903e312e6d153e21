#!/bin/sh
# run-main.sh - the main job of "make run": check every bundled instrument
# and show each as a respondent would read it.
set -eu
mamori=${1:-build/release/src/cli/mamori}
found=$(find instruments -name '*.yaml' | sort)
echo "== mamori: checking the bundled instruments"
# shellcheck disable=SC2086
"$mamori" instrument check $found
for f in $found; do
	echo
	echo "== $f"
	"$mamori" instrument show "$f" --lang "${MAMORI_LANG:-ja}"
done
