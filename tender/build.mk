# Tenders (owned by tender/): build/bin/unf-proc and build/bin/unf-hvt. tender/common/ is what
# both share (options, taps, errors, kernel checks, the seccomp builder); each tender sees only
# its own platform's ABI header, the one contract it has with its bindings.
TENDER_COMMON_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(wildcard tender/common/*.c))
TENDER_PROC_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(wildcard tender/proc/*.c))
TENDER_HVT_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(wildcard tender/hvt/*.c))
$(TENDER_COMMON_OBJS): HOST_CFLAGS_EXTRA = -Itender/common
$(TENDER_PROC_OBJS): HOST_CFLAGS_EXTRA = -Itender/common -Iplatform/proc
$(TENDER_HVT_OBJS): HOST_CFLAGS_EXTRA = -Itender/common -Iplatform/hvt
$(BUILD)/bin/unf-proc: $(TENDER_PROC_OBJS) $(TENDER_COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_LDFLAGS) -o $@ $^
$(BUILD)/bin/unf-hvt: $(TENDER_HVT_OBJS) $(TENDER_COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_LDFLAGS) -o $@ $^
HOST_BINS += $(BUILD)/bin/unf-proc
ifneq ($(TENDER_HVT_OBJS),)
HOST_BINS += $(BUILD)/bin/unf-hvt
endif
