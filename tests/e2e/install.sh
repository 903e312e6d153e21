#!/bin/sh
# install.sh - the browser tests' npm packages, exactly as
# tests/e2e/package-lock.json pins them (playwright-core without its
# browser download: the tests use Debian's /usr/bin/chromium; axe-core),
# into tests/e2e/node_modules, with nodejs and npm from Debian first
# when they are missing. Called by "scripts/deps.sh test"; quick when
# nothing changed. When the npm registry cannot be reached it says so
# and leaves the browser tests to skip, except under CI (CI set), where
# it fails: there they must run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
lock=$here/package-lock.json
stamp=$here/node_modules/.mamori-installed

give_up() {
	echo "e2e: $1" >&2
	if [ -n "${CI:-}" ]; then
		exit 1
	fi
	echo "e2e: the browser tests will be skipped" >&2
	exit 0
}

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
	echo "deps: installing nodejs npm" >&2
	$SUDO apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
			--no-install-recommends nodejs npm >/dev/null ||
		give_up "nodejs and npm could not be installed"
fi
if cmp -s "$lock" "$stamp"; then
	exit 0
fi
echo "deps: npm ci in tests/e2e (playwright-core, axe-core)" >&2
rm -rf "$here/node_modules"
if ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 600 \
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2); then
	rm -rf "$here/node_modules"
	give_up "npm ci failed (is the npm registry reachable?)"
fi
cp "$lock" "$stamp"
