# runtime CLI (owned by runtime/): build/bin/unf, and build/bin/unf-monitor, the small
# per-instance supervisor (only the modules it needs).
MONITOR_SRCS := runtime/monitor_main.c runtime/monitor.c runtime/instance.c runtime/net.c runtime/netlink.c \
                runtime/cgroup.c runtime/driver.c runtime/cmd.c
RUNTIME_SRCS := $(filter-out runtime/monitor_main.c,$(wildcard runtime/*.c))
RUNTIME_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(RUNTIME_SRCS))
MONITOR_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(MONITOR_SRCS))
$(BUILD)/bin/unf: $(RUNTIME_OBJS) | $(BUILD)/bin/unf-monitor
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ -ljansson -lcrypto
$(BUILD)/bin/unf-monitor: $(MONITOR_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ -ljansson
HOST_BINS += $(BUILD)/bin/unf $(BUILD)/bin/unf-monitor
# tests/system/netlink.sh's driver: instance networking on its own, without a guest.
NET_TOOL_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,tests/system/net_tool.c runtime/net.c runtime/netlink.c \
                   runtime/instance.c runtime/cgroup.c runtime/cmd.c)
$(BUILD)/tests/net_tool: $(NET_TOOL_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ -ljansson
TEST_BINS += $(BUILD)/tests/net_tool
