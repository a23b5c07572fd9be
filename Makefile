# Wrapper around CMake. `make check` and `make demo` work on a fresh Debian
# machine: they install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build check demo demo-xen demo-kvm demo-nested install bench clean check-full

all: build

deps:
	@sh scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

check: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS) -LE slow

check-full: build
	@sh scripts/install-deps.sh --nested
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

demo: build
	@sh scripts/demo.sh $(BUILD)

# Xen 4.17 booting a dom0 Linux, with the exit-trace summary (docs/xen.md)
demo-xen: build
	@sh scripts/demo-xen.sh $(BUILD)

# The exit microbenchmark as a KVM guest under a VHE and an nVHE host (docs/exitbench.md)
demo-kvm: build
	@sh scripts/demo-kvm.sh $(BUILD)

# The real nested stack: Linux 7.x (kvm-arm.mode=nested) -> QEMU 11 -> Linux
# at vEL2 -> QEMU 11 -> Linux (docs/nested.md)
demo-nested: build
	@sh scripts/install-deps.sh --nested
	@sh scripts/demo-nested.sh $(BUILD)

install: build
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX),)

bench: build
	@sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
