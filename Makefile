# Osprey: the two commands a user needs are `make run` and `make test`.
# Everything is built by CMake in $(BUILD); this file only strings steps together.

BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build iso run debug test lint format clean

all: build

deps:
	@tools/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja \
		-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

iso: configure
	cmake --build $(BUILD) -j $(JOBS) --target iso

# DISK=<raw image> attaches it as a virtio-blk disk (/dev/vda).
run: iso
	OSPREY_DISK="$(DISK)" tools/qemu.sh

debug: iso
	tools/debug.sh

test: build
	cd $(BUILD) && ctest --output-on-failure -j 2

lint: configure
	tools/lint.sh $(BUILD)

format:
	tools/lint.sh --fix $(BUILD)

clean:
	rm -rf $(BUILD)
