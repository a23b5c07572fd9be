# Wrapper around CMake. `make check` and `make demo` work on a fresh Debian
# machine: they install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build check demo demo-boot demo-xen demo-kvm demo-nested install bench bench-full clean check-full check-sanitize fuzz fuzz-check

all: build

deps:
	@sh scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# make check (and so CI) requires the SystemC wrapper: configure fails
# without SystemC instead of skipping its tests.
check: deps
	cmake -S . -B $(BUILD) -DA83_REQUIRE_SYSTEMC=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS) -LE slow

check-full: build
	@sh scripts/install-deps.sh --nested --slurm
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	$(MAKE) fuzz-check

# Every fuzz target for 30 s from its seeds (CTest label fuzz in the fuzz
# build; part of check-full, docs/reliability.md).
fuzz-check: deps
	@test -f $(FUZZ_BUILD)/CMakeCache.txt || CC=clang cmake -S . -B $(FUZZ_BUILD) -DA83_FUZZ=ON $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	ctest --test-dir $(FUZZ_BUILD) --output-on-failure -j$(JOBS) -L fuzz

# The fast tests under ASan + UBSan (docs/reliability.md): own build tree,
# first report fatal, leak detection on.
SAN_BUILD ?= build-san
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
check-sanitize: deps
	@test -f $(SAN_BUILD)/CMakeCache.txt || cmake -S . -B $(SAN_BUILD) -DA83_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SAN_BUILD) -j$(JOBS)
	$(SAN_ENV) ctest --test-dir $(SAN_BUILD) --output-on-failure -j$(JOBS) -LE slow

# libFuzzer targets (tests/fuzz, docs/reliability.md), clang, own build tree;
# each target runs FUZZ_SECONDS seconds from the build's seed corpus.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz: deps
	@test -f $(FUZZ_BUILD)/CMakeCache.txt || CC=clang cmake -S . -B $(FUZZ_BUILD) -DA83_FUZZ=ON $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The real job: the exit microbenchmark as a KVM guest of Debian's Linux at
# EL2, VHE and nVHE side by side (docs/exitbench.md)
demo: build
	@sh scripts/demo-kvm.sh $(BUILD)

# Debian's Linux at EL2 (VHE, 2 CPUs) to a busybox script, and its exit-trace summary
demo-boot: build
	@sh scripts/demo-boot.sh $(BUILD)

# Xen 4.17: dom0 Linux creates a Linux domU (PV disk, PV network) and the exit
# microbenchmark domU with xl; the exits per Xen domain (docs/xen.md)
demo-xen: build
	@sh scripts/demo-xen.sh $(BUILD)

# The same as make demo (kept as a name)
demo-kvm: build
	@sh scripts/demo-kvm.sh $(BUILD)

# The real nested stack: Linux 7.x (kvm-arm.mode=nested) -> QEMU 11 -> Linux
# at vEL2 -> QEMU 11 -> Linux (docs/nested.md)
demo-nested: build
	@sh scripts/install-deps.sh --nested
	@sh scripts/demo-nested.sh $(BUILD)

install: build
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX),)

# Issue 16's benchmark table against QEMU TCG (bench/bench.sh, docs/performance.md):
# make bench = the cheap ones (integer loop, Linux boots, sha256), make bench-full
# adds Xen + dom0 and the 3-level nested boot against QEMU 11.1 (a trixie chroot).
bench: build
	@sh scripts/install-deps.sh --bench
	@sh scripts/fetch-guest.sh >/dev/null
	@sh bench/bench.sh $(BUILD) quick

bench-full: build
	@sh scripts/install-deps.sh --bench --nested
	@sh scripts/fetch-guest.sh --xen >/dev/null
	@sh scripts/fetch-nested.sh >/dev/null
	@sh bench/bench.sh $(BUILD) all

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD)
