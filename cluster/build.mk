# cluster (owned by cluster/): build/bin/unf-cluster, the controller (`unf cluster ARGS` execs
# it): agent API client (libcurl), SQLite store, placement, campaigns. Placement and the
# campaign spec are pure modules, linked by the unit tests and the fuzz target too.
CLUSTER_SRCS := $(wildcard cluster/*.c)
# agent/sla.c: the agent's SLA v2 parser, self-contained, so deploy refuses what an agent would.
CLUSTER_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(CLUSTER_SRCS) agent/sla.c)
$(BUILD)/bin/unf-cluster: $(CLUSTER_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ -ljansson -lcurl -lsqlite3 -lpthread -lm
HOST_BINS += $(BUILD)/bin/unf-cluster

CLUSTER_PURE_SRCS := cluster/place.c cluster/spec.c
CLUSTER_UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_cluster_*.c))
$(CLUSTER_UNIT_BINS): UNIT_EXTRA_SRCS = $(CLUSTER_PURE_SRCS) cluster/store.c agent/sla.c -ljansson -lsqlite3 -lpthread
$(CLUSTER_UNIT_BINS): $(CLUSTER_PURE_SRCS) cluster/store.c agent/sla.c cluster/place.h cluster/spec.h cluster/store.h
$(BUILD)/fuzz/fuzz_campaign: FUZZ_EXTRA_SRCS = $(CLUSTER_PURE_SRCS)
$(BUILD)/fuzz/fuzz_campaign: FUZZ_EXTRA_LIBS = -ljansson
$(BUILD)/fuzz/fuzz_campaign: $(CLUSTER_PURE_SRCS) cluster/place.h cluster/spec.h
