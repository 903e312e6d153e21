#!/bin/sh
# deps.sh - install the Debian packages mamori needs that are missing.
# usage: scripts/deps.sh run|test|bench
# Only calls apt-get when something is missing, so it is quick to repeat.
set -eu

run_pkgs="meson ninja-build pkg-config gcc libc6-dev python3 libyaml-dev
libjansson-dev libsqlite3-dev sqlite3 libsodium-dev libpcre2-dev zlib1g-dev
libmicrohttpd-dev libxlsxwriter-dev"
test_pkgs="$run_pkgs libcmocka-dev clang libclang-rt-14-dev curl chromium fonts-noto-cjk
poppler-utils openssl"
bench_pkgs="$run_pkgs valgrind ripgrep time clang curl wrk nginx"

case "${1:-run}" in
run) want=$run_pkgs ;;
test) want=$test_pkgs ;;
bench) want=$bench_pkgs ;;
*) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# the browser tests' npm packages (and nodejs, npm): tests/e2e/install.sh
if [ "${1:-run}" = test ]; then
	"$(dirname "$0")/../tests/e2e/install.sh"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
echo "deps: installing$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
