# benchmarks (owned by bench/): build/bin/unf-bench, its own program beside unf (the way
# redis-benchmark sits beside Redis); `unf bench ARGS` execs it. It links the runtime's modules
# (driver table, net, instance, image, cmd, cgroup...) rather than re-implementing them, the
# firewall app's pure classifier for `unf-bench fw` (built with the host's flags), and the
# tenders' host-side AF_XDP modules (xsk, net_xsk) for the router bench's floor forwarder.
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_RUNTIME_SRCS := $(filter-out runtime/main.c runtime/monitor_main.c,$(wildcard runtime/*.c))
BENCH_FW_SRCS := apps/firewall/fw_classify.c
BENCH_TENDER_SRCS := tender/common/net_xsk.c tender/common/xsk.c tender/common/tap.c tender/common/tender.c
BENCH_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(BENCH_SRCS) $(BENCH_RUNTIME_SRCS) $(BENCH_FW_SRCS) $(BENCH_TENDER_SRCS))
$(BUILD)/bin/unf-bench: $(BENCH_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ -ljansson -lcrypto -lcurl
HOST_BINS += $(BUILD)/bin/unf-bench

# The whole suite, bounded: every experiment in its quick or short form (minutes, not hours);
# `make bench-boot` and friends run one experiment at full length.
BENCH_BIN := $(BUILD)/bin/unf-bench
bench-boot: all
	$(BENCH_BIN) boot
bench-probe: all
	$(BENCH_BIN) probe
bench-fw: all
	$(BENCH_BIN) fw
bench-dns: all
	$(BENCH_BIN) dns
bench-http: all
	$(BENCH_BIN) http
bench-deploy: all
	$(BENCH_BIN) deploy
bench-campaign: all
	$(BENCH_BIN) campaign
bench-router: all
	$(BENCH_BIN) router
bench: all
	$(BENCH_BIN) boot --runs 10
	$(BENCH_BIN) probe --quick
	$(BENCH_BIN) fw --sizes 1,1000,100000 --lookups 200000 --e2e-rules 1,10000 --seconds 2 --profiles acl --peer-sizes 10000 --rounds 1 --updates 20000 --update-rules 10000
	$(BENCH_BIN) dns --seconds 1
	$(BENCH_BIN) http --duration 1 --conns 1,10,100 --repeat 1
	$(BENCH_BIN) deploy --quick
	$(BENCH_BIN) campaign --quick
	$(BENCH_BIN) router --seconds 2 --rounds 1
	scripts/bench-figures
bench-figures:
	scripts/bench-figures
.PHONY: bench bench-figures bench-boot bench-probe bench-fw bench-dns bench-http bench-deploy bench-campaign bench-router
