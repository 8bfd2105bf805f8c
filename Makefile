# unf: one Makefile; each folder adds its rules in a build.mk fragment.
#   make            host tools (build/bin/), kernels (build/kernels/), images (build/images/)
#   make test       everything a fresh machine can test; last line "N passed, N failed"
#   make demo       boots the echo unikernel and talks to it
#   make bench      every benchmark, bounded (build/bin/unf-bench; bench/build.mk)
#   make bench-boot boot-to-first-packet benchmark (also bench-probe, bench-fw, bench-dns, bench-http)
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

BUILD   := build
# V=1 shows every command.
Q := $(if $(filter 1,$(V)),,@)
CC      := gcc
LD      := ld
AR      := ar
ARCH    := x86_64

# Host code: the CLI, the tender, benchmarks, unit tests.
HOST_CFLAGS  := -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -Iinclude -MMD -MP
HOST_LDFLAGS :=

# Guest code: compiled once, linked for proc and for virtio.
GCC_INCLUDE  := $(shell $(CC) -print-file-name=include)
GUEST_CFLAGS := -std=c11 -Wall -Wextra -Werror -Os -g -MMD -MP \
                -ffreestanding -fno-builtin-printf -nostdinc -isystem guest/libc/include \
                -isystem $(GCC_INCLUDE) -Iinclude -Iplatform \
                -fno-pie -fno-pic -fno-stack-protector -mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer \
                -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
                -D__unf_guest__
GUEST_LDFLAGS := -nostdlib -static --gc-sections -z noexecstack
LIBGCC := $(shell $(CC) -print-libgcc-file-name)

LWIP_DIR := $(BUILD)/deps/lwip

all: host kernels images

# setup: packages and lwIP's source, installed when missing (idempotent).
SETUP_STAMP := $(BUILD)/.setup-ok
$(SETUP_STAMP): scripts/setup
	./scripts/setup
	@mkdir -p $(BUILD) && touch $@
setup:
	./scripts/setup
	@mkdir -p $(BUILD) && touch $(SETUP_STAMP)

$(BUILD)/guest/%.o: %.c | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_CFLAGS_EXTRA) -c $< -o $@
$(BUILD)/guest/%.o: %.S | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(BUILD)/host/%.o: %.c | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_CFLAGS_EXTRA) -c $< -o $@

include guest/build.mk
include platform/proc/build.mk
include platform/virtio/build.mk
include platform/hvt/build.mk
include tender/build.mk
include runtime/build.mk
include bench/build.mk
include apps/build.mk
include oci/build.mk
include tests/build.mk

host: $(HOST_BINS)
kernels: $(KERNELS)
images: $(IMAGES)
native: $(NATIVE_BINS)

demo: all
	./scripts/demo

clean:
	rm -rf $(BUILD)/guest $(BUILD)/host $(BUILD)/bin $(BUILD)/kernels $(BUILD)/images \
	       $(BUILD)/native $(BUILD)/tests

.PHONY: all host kernels images native demo clean setup test
-include $(shell find $(BUILD)/guest $(BUILD)/host $(BUILD)/tests -name '*.d' 2>/dev/null)
