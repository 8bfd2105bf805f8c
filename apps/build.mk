# Every folder apps/<app>/ with an app.json becomes: a kernel per <arch>-<platform> in
# KERNEL_TARGETS, a native executable, and an image. Apps are portable C; no platform #ifdefs.
# Kernels ship stripped; <kernel>.dbg keeps the symbols for gdb and crash addresses.
# A target's bindings are PLAT_<arch>_<platform>_OBJS and _LDSCRIPT (platform/*/build.mk).
APPS := $(patsubst apps/%/app.json,%,$(wildcard apps/*/app.json))
PLATFORMS := proc virtio hvt
KERNEL_TARGETS := $(addprefix x86_64-,$(PLATFORMS)) aarch64-virtio
$(foreach p,$(PLATFORMS),$(eval PLAT_x86_64_$(p)_OBJS = $$(PLAT_$(p)_OBJS))$(eval PLAT_x86_64_$(p)_LDSCRIPT = $$(PLAT_$(p)_LDSCRIPT)))
target_arch = $(firstword $(subst -, ,$(1)))
target_platform = $(lastword $(subst -, ,$(1)))

app_srcs = $(wildcard apps/$(1)/*.c)
app_guest_objs = $(patsubst %.c,$(GUEST_OBJDIR_$(2))/%.o,$(call app_srcs,$(1)))
app_native_objs = $(patsubst %.c,$(BUILD)/native/obj/%.o,$(call app_srcs,$(1)))

# kernel_rule APP ARCH PLATFORM
define kernel_rule
$(BUILD)/kernels/$(1)/$(2)-$(3): $(call app_guest_objs,$(1),$(2)) $(GUEST_LIB_$(2)) $$(PLAT_$(2)_$(3)_OBJS) $$(PLAT_$(2)_$(3)_LDSCRIPT)
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(LD_$(2)) $(GUEST_LDFLAGS) -T $$(PLAT_$(2)_$(3)_LDSCRIPT) -o $$@.dbg $$(PLAT_$(2)_$(3)_OBJS) \
	    --start-group $(call app_guest_objs,$(1),$(2)) $(GUEST_LIB_$(2)) $$(LIBGCC_$(2)) --end-group
	$(Q)$(OBJCOPY_$(2)) --strip-all $$@.dbg $$@
KERNELS += $(BUILD)/kernels/$(1)/$(2)-$(3)
endef

define app_rule
$(foreach t,$(KERNEL_TARGETS),$(eval $(call kernel_rule,$(1),$(call target_arch,$(t)),$(call target_platform,$(t)))))
$(BUILD)/images/$(1).unf: apps/$(1)/app.json $(foreach t,$(KERNEL_TARGETS),$(BUILD)/kernels/$(1)/$(t)) $(BUILD)/bin/unf $(shell find apps/$(1)/files -type f 2>/dev/null)
	@mkdir -p $$(dir $$@)
	$(BUILD)/bin/unf build apps/$(1) -o $$@
IMAGES += $(BUILD)/images/$(1).unf
$(BUILD)/native/$(1): $(call app_native_objs,$(1)) $(NATIVE_LIB)
	@mkdir -p $$(dir $$@)
	$(CC) -static -o $$@ $(call app_native_objs,$(1)) $(NATIVE_LIB)
NATIVE_BINS += $(BUILD)/native/$(1)
$(BUILD)/native-asan/$(1): $(call app_srcs,$(1)) $(NATIVE_SRCS)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@ (ASan+UBSan)"
	$(Q)$(CC) $(NATIVE_CFLAGS) $(SAN_FLAGS) -o $$@ $(call app_srcs,$(1)) $(NATIVE_SRCS)
NATIVE_BINS += $(BUILD)/native-asan/$(1)
endef

$(foreach a,$(APPS),$(eval $(call app_rule,$(a))))
