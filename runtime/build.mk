# runtime CLI (owned by runtime/ and bench/): build/bin/unf
RUNTIME_SRCS := $(wildcard runtime/*.c bench/*.c)
RUNTIME_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(RUNTIME_SRCS))
$(BUILD)/bin/unf: $(RUNTIME_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -ljansson -lcrypto
HOST_BINS += $(BUILD)/bin/unf
