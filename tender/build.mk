# proc tender (owned by tender/): build/bin/unf-proc
TENDER_SRCS := $(wildcard tender/*.c)
TENDER_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(TENDER_SRCS))
$(BUILD)/bin/unf-proc: $(TENDER_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_LDFLAGS) -o $@ $^
HOST_BINS += $(BUILD)/bin/unf-proc
