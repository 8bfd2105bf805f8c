# Every folder apps/<app>/ with an app.json becomes: three kernels (proc, virtio, hvt), a native
# executable, and an image. Apps are portable C; no platform #ifdefs. Kernels ship stripped;
# <kernel>.dbg keeps the symbols for gdb and crash addresses.
APPS := $(patsubst apps/%/app.json,%,$(wildcard apps/*/app.json))
PLATFORMS := proc virtio hvt

app_srcs = $(wildcard apps/$(1)/*.c)
app_guest_objs = $(patsubst %.c,$(BUILD)/guest/%.o,$(call app_srcs,$(1)))
app_native_objs = $(patsubst %.c,$(BUILD)/native/obj/%.o,$(call app_srcs,$(1)))

define kernel_rule
$(BUILD)/kernels/$(1)/$(ARCH)-$(2): $(call app_guest_objs,$(1)) $(GUEST_LIB) $$(PLAT_$(2)_OBJS) $$(PLAT_$(2)_LDSCRIPT)
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(LD) $(GUEST_LDFLAGS) -T $$(PLAT_$(2)_LDSCRIPT) -o $$@.dbg $$(PLAT_$(2)_OBJS) \
	    --start-group $(call app_guest_objs,$(1)) $(GUEST_LIB) $(LIBGCC) --end-group
	$(Q)objcopy --strip-all $$@.dbg $$@
KERNELS += $(BUILD)/kernels/$(1)/$(ARCH)-$(2)
endef

define app_rule
$(foreach p,$(PLATFORMS),$(eval $(call kernel_rule,$(1),$(p))))
$(BUILD)/images/$(1).unf: apps/$(1)/app.json $(foreach p,$(PLATFORMS),$(BUILD)/kernels/$(1)/$(ARCH)-$(p)) $(BUILD)/bin/unf $(shell find apps/$(1)/files -type f 2>/dev/null)
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
