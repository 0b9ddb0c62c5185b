# GovShield developer entry points. `make run` and `make test` are the two README commands;
# both install missing Debian packages first (scripts/deps.sh, quiet when nothing is missing).
.PHONY: all deps build build-asan test test-release test-asan run fuzz bench format clean

JOBS ?= $(shell nproc)
CTEST_FLAGS ?= --output-on-failure --timeout 900

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

# Every test: the release build runs all suites (unit, integration, conformance, fuzz corpus
# replay); the ASan+UBSan build runs the unit tests and the fuzz corpus replay again.
test: test-release test-asan

test-release: build
	@echo "== ctest (release): all tests"
	@cd build/release && ctest $(CTEST_FLAGS) -j $(JOBS)

test-asan: build-asan
	@echo "== ctest (ASan+UBSan): unit tests and fuzz corpus replay"
	@cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest $(CTEST_FLAGS) -j $(JOBS) -L 'unit|fuzz'

run: build  ## CONFIG=FILE to run a config instead of the demo default
	@bash scripts/run.sh

# libFuzzer builds (clang): `make fuzz` builds build/fuzz/fuzz/fuzz_<name>.
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

bench: build
	@ls build/release/bench

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
