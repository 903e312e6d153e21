#!/bin/sh
# banned.sh - no source file calls a function that banned.h forbids, and
# every C file of the library includes banned.h last among its headers.
. "$(dirname "$0")/../lib.sh"
cd "$SRC" || exit 1

hits=$(grep -rnE '\b(strcpy|strcat|strncpy|strncat|strtok|sprintf|vsprintf|gets|atoi|atol|atof)[[:space:]]*\(' \
	src --include='*.c' --include='*.h' | grep -v 'src/util/banned.h' || true)
if [ -z "$hits" ]; then
	_ok "no banned function is called in src/"
else
	_notok "no banned function is called in src/" "$hits"
fi

missing=""
for f in $(find src -name '*.c' | sort); do
	grep -q '#include "util/banned.h"\|#include "banned.h"' "$f" || missing="$missing $f"
done
if [ -z "$missing" ]; then
	_ok "every source file includes banned.h"
else
	_notok "every source file includes banned.h" "$missing"
fi
finish
