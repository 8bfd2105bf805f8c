# proc tender (owned by tender/): build/bin/unf-proc
TENDER_SRCS := $(wildcard tender/*.c)
TENDER_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(TENDER_SRCS))
# The tender and the proc bindings share exactly one header: platform/proc/proc_abi.h.
$(TENDER_OBJS): HOST_CFLAGS_EXTRA = -Iplatform/proc
$(BUILD)/bin/unf-proc: $(TENDER_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_LDFLAGS) -o $@ $^
HOST_BINS += $(BUILD)/bin/unf-proc
