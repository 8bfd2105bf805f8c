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

# Host code: the CLI, the tender, benchmarks, unit tests.
HOST_CFLAGS  := -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -Iinclude -MMD -MP
HOST_LDFLAGS :=

# Guest code: compiled once per architecture into GUEST_OBJDIR_<arch> and linked with each of
# that architecture's platform bindings (x86_64: proc, virtio, hvt; aarch64: virtio). Per-arch
# tools and flags below; the rules are one template (guest_compile_rules) instantiated per arch.
GUEST_ARCHS := x86_64 aarch64
GUEST_BASE_CFLAGS := -std=c11 -Wall -Wextra -Werror -Os -g -MMD -MP \
                -ffreestanding -fno-builtin-printf -nostdinc -isystem guest/libc/include \
                -Iinclude -Iplatform \
                -fno-pie -fno-pic -fno-stack-protector -fno-omit-frame-pointer \
                -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
                -D__unf_guest__
GUEST_LDFLAGS := -nostdlib -static --gc-sections -z noexecstack

GCC_INCLUDE  := $(shell $(CC) -print-file-name=include)
LIBGCC := $(shell $(CC) -print-libgcc-file-name)
CC_x86_64 := $(CC)
LD_x86_64 := $(LD)
AR_x86_64 := $(AR)
OBJCOPY_x86_64 := objcopy
LIBGCC_x86_64 := $(LIBGCC)
GUEST_OBJDIR_x86_64 := $(BUILD)/guest
GUEST_CFLAGS_x86_64 := $(GUEST_BASE_CFLAGS) -isystem $(GCC_INCLUDE) -mno-red-zone -mgeneral-regs-only
GUEST_CFLAGS := $(GUEST_CFLAGS_x86_64)

# aarch64 (Debian's gcc-aarch64-linux-gnu, installed by scripts/setup): no FP/SIMD in kernels;
# strict alignment because the first C code runs with the MMU off, where all memory is Device
# memory (unaligned accesses fault). The compiler's paths are asked for on first use (memoized):
# on a fresh machine it exists only after setup.
CC_aarch64 := aarch64-linux-gnu-gcc
LD_aarch64 := aarch64-linux-gnu-ld
AR_aarch64 := aarch64-linux-gnu-ar
OBJCOPY_aarch64 := aarch64-linux-gnu-objcopy
LIBGCC_aarch64 = $(eval LIBGCC_aarch64 := $$(shell $(CC_aarch64) -print-libgcc-file-name))$(LIBGCC_aarch64)
GCC_INCLUDE_aarch64 = $(eval GCC_INCLUDE_aarch64 := $$(shell $(CC_aarch64) -print-file-name=include))$(GCC_INCLUDE_aarch64)
GUEST_OBJDIR_aarch64 := $(BUILD)/guest-aarch64
GUEST_CFLAGS_aarch64 = $(GUEST_BASE_CFLAGS) -isystem $(GCC_INCLUDE_aarch64) -mgeneral-regs-only -mstrict-align

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

# guest_compile_rules ARCH: a guest object of that architecture from a .c or .S file.
define guest_compile_rules
$(GUEST_OBJDIR_$(1))/%.o: %.c | $(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$(Q)$(CC_$(1)) $$(GUEST_CFLAGS_$(1)) $$(GUEST_CFLAGS_EXTRA) -c $$< -o $$@
$(GUEST_OBJDIR_$(1))/%.o: %.S | $(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  AS      $$@"
	$(Q)$(CC_$(1)) $$(GUEST_CFLAGS_$(1)) -D__ASSEMBLY__ -c $$< -o $$@
endef
$(foreach a,$(GUEST_ARCHS),$(eval $(call guest_compile_rules,$(a))))
$(BUILD)/host/%.o: %.c | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_CFLAGS_EXTRA) -c $< -o $@

include guest/build.mk
include platform/proc/build.mk
include platform/virtio/build.mk
include platform/virtio-aarch64/build.mk
include platform/hvt/build.mk
include tender/build.mk
include runtime/build.mk
include bench/build.mk
include apps/build.mk
include oci/build.mk
include agent/build.mk
include cluster/build.mk
include tests/build.mk

host: $(HOST_BINS)
kernels: $(KERNELS)
images: $(IMAGES)
native: $(NATIVE_BINS)

demo: all
	./scripts/demo

clean:
	rm -rf $(BUILD)/guest $(BUILD)/guest-aarch64 $(BUILD)/host $(BUILD)/bin $(BUILD)/kernels $(BUILD)/images \
	       $(BUILD)/native $(BUILD)/tests

.PHONY: all host kernels images native demo clean setup test
-include $(shell find $(BUILD)/guest $(BUILD)/guest-aarch64 $(BUILD)/host $(BUILD)/native $(BUILD)/tests -name '*.d' 2>/dev/null)
