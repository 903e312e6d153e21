# mamori - the two commands of the README, and a few more.
#   make run    install what is missing, build, and run the main job
#   make test   install what is missing, build with sanitizers, run every test
# Both work on a fresh Debian 12 machine as root.

RUN_DIR  ?= build/release
TEST_DIR ?= build/test
MAMORI    = $(RUN_DIR)/src/cli/mamori

.PHONY: all run build test test-build bench fuzz clean

all: build

build:
	@scripts/deps.sh run
	@[ -f $(RUN_DIR)/build.ninja ] || meson setup $(RUN_DIR) --buildtype=release -Dtests=false -Dfuzz=disabled >/dev/null
	ninja -C $(RUN_DIR)

run: build
	@scripts/run-main.sh $(MAMORI)

test-build:
	@scripts/deps.sh test
	@[ -f $(TEST_DIR)/build.ninja ] || CC=clang meson setup $(TEST_DIR) \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fno-sanitize-recover=all -Dfuzz=enabled >/dev/null
	ninja -C $(TEST_DIR)

test: test-build
	@meson test -C $(TEST_DIR) --print-errorlogs --num-processes 2 > $(TEST_DIR)/meson-test.out 2>&1; \
	  tail -n 12 $(TEST_DIR)/meson-test.out; \
	  python3 scripts/test-summary.py $(TEST_DIR)/meson-logs/testlog.json

# Benchmarks: each prints its figures and the ratio to a named baseline
# measured in the same run. Not tests: nothing is asserted about time.
bench: build
	@scripts/deps.sh bench
	bench/validate
	bench/store
	bench/analysis
	bench/vpnlog $(MAMORI)
	bench/web

clean:
	rm -rf build
