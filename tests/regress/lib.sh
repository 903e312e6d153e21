# lib.sh - TAP helpers for regression scripts (sourced, POSIX sh).
#   MAMORI: the binary under test (first argument of the script)
#   check NAME CMD...           ok when CMD exits 0
#   check_exit N NAME CMD...    ok when CMD exits N
#   check_out NAME EXPECTED CMD...   ok when CMD's stdout+stderr equals EXPECTED
#   check_grep NAME PATTERN CMD...   ok when the output matches PATTERN
#   finish                      prints the plan; exit 1 if anything failed
MAMORI=${1:?usage: $0 path/to/mamori}
case $MAMORI in
/*) ;;
*) MAMORI=$(pwd)/$MAMORI ;;	# meson passes it relative to the build
esac
SRC=${MESON_SOURCE_ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
T_N=0
T_FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

_ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
_notok() {
	T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'
	return 0
}
check() {
	name=$1; shift
	if out=$("$@" 2>&1); then _ok "$name"; else _notok "$name" "$out"; fi
}
check_exit() {
	want=$1; name=$2; shift 2
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ]; then _ok "$name"; else _notok "$name" "exit $rc, wanted $want
$out"; fi
}
check_out() {
	name=$1; want=$2; shift 2
	out=$("$@" 2>&1)
	if [ "$out" = "$want" ]; then _ok "$name"; else _notok "$name" "got:
$out
wanted:
$want"; fi
}
check_grep() {
	name=$1; pat=$2; shift 2
	out=$("$@" 2>&1)
	if printf '%s\n' "$out" | grep -q -- "$pat"; then _ok "$name"; else _notok "$name" "no match for $pat in:
$out"; fi
}
finish() {
	echo "1..$T_N"
	[ "$T_FAIL" = 0 ]
}
