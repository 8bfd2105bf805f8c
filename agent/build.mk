# agent (owned by agent/): build/bin/unfd, the node agent (docs/ORCHESTRATION.md, "Agent API").
# It links the runtime's modules (instance state, driver table, cmd) like unf-bench does, and
# drives instances by running the sibling unf. agent/sla.c is self-contained (jansson only): the
# controller and the fuzz target link it alone.
AGENT_SRCS := $(wildcard agent/*.c)
AGENT_RUNTIME_SRCS := $(filter-out runtime/main.c runtime/monitor_main.c,$(wildcard runtime/*.c))
AGENT_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(AGENT_SRCS) $(AGENT_RUNTIME_SRCS))
$(BUILD)/bin/unfd: $(AGENT_OBJS) | $(BUILD)/bin/unf
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ -lmicrohttpd -lcurl -ljansson -lcrypto -lpthread
HOST_BINS += $(BUILD)/bin/unfd

# The SLA parser's fuzz target (tests/fuzz/fuzz_sla.c; seeds in tests/fuzz/seeds/fuzz_sla/).
$(BUILD)/fuzz/fuzz_sla: FUZZ_EXTRA_SRCS = agent/sla.c
$(BUILD)/fuzz/fuzz_sla: FUZZ_EXTRA_LIBS = -ljansson
$(BUILD)/fuzz/fuzz_sla: agent/sla.c agent/sla.h

# Its unit test (tests/unit/test_sla.c, built by the tests' pattern rule) links the parser alone.
$(BUILD)/tests/unit/test_sla: UNIT_EXTRA_SRCS = agent/sla.c -ljansson
$(BUILD)/tests/unit/test_sla: agent/sla.c agent/sla.h
