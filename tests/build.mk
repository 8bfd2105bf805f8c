# tests (owned by tests/): `make test` builds everything, then runs tests/run, which prints
# "N passed, N failed" last. Unit tests are native and built with ASan + UBSan.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
UNIT_GUEST_SRCS := guest/loop.c guest/archive.c guest/log.c guest/ip4.c guest/ip6.c $(wildcard guest/net_posix/*.c)

$(BUILD)/tests/unit/%: tests/unit/%.c $(UNIT_GUEST_SRCS) tests/unit/check.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(NATIVE_CFLAGS) $(SAN_FLAGS) -o $@ $< $(UNIT_GUEST_SRCS) $(UNIT_EXTRA_SRCS)

# Unit tests of the probe app link its pure modules (no I/O) from apps/probe/.
PROBE_PURE_SRCS := $(addprefix apps/probe/,icmp_reply.c tnt_math.c tnt_classify.c tnt_reveal.c \
                     probe_result.c probe_output.c probe_packet.c)
PROBE_UNIT_BINS := $(filter $(BUILD)/tests/unit/test_probe_%,$(UNIT_BINS))
$(PROBE_UNIT_BINS): UNIT_EXTRA_SRCS = $(PROBE_PURE_SRCS)
$(PROBE_UNIT_BINS): $(PROBE_PURE_SRCS) $(wildcard apps/probe/*.h)

# Unit tests of the router app link all its modules but main.c from apps/router/.
ROUTER_UNIT_SRCS := $(filter-out apps/router/main.c,$(wildcard apps/router/*.c))
ROUTER_UNIT_BINS := $(filter $(BUILD)/tests/unit/test_router_%,$(UNIT_BINS))
$(ROUTER_UNIT_BINS): UNIT_EXTRA_SRCS = $(ROUTER_UNIT_SRCS)
$(ROUTER_UNIT_BINS): $(ROUTER_UNIT_SRCS) $(wildcard apps/router/*.h)

tests-unit: $(UNIT_BINS)

# In-guest tests (tests/guests/guest_*.c): apps linked like any kernel, for each platform.
GUEST_TEST_NAMES := $(patsubst tests/guests/%.c,%,$(wildcard tests/guests/guest_*.c))
define guest_test_rule
$(BUILD)/tests/guests/$(1)-$(2): $(BUILD)/guest/tests/guests/$(1).o $(GUEST_LIB) $$(PLAT_$(2)_OBJS) $$(PLAT_$(2)_LDSCRIPT)
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(LD) $(GUEST_LDFLAGS) -T $$(PLAT_$(2)_LDSCRIPT) -o $$@ $$(PLAT_$(2)_OBJS) \
	    --start-group $(BUILD)/guest/tests/guests/$(1).o $(GUEST_LIB) $(LIBGCC) --end-group
TEST_BINS += $(BUILD)/tests/guests/$(1)-$(2)
endef
$(foreach t,$(GUEST_TEST_NAMES),$(foreach p,$(PLATFORMS),$(eval $(call guest_test_rule,$(t),$(p)))))
# ... and the portable ones for aarch64-virtio (tests/system/aarch64.sh); guest_sandbox makes
# x86_64 Linux system calls and is proc's alone.
AARCH64_GUEST_TESTS := guest_libc guest_fault
.SECONDARY: $(foreach t,$(AARCH64_GUEST_TESTS),$(GUEST_OBJDIR_aarch64)/tests/guests/$(t).o)
$(BUILD)/tests/guests/%-aarch64-virtio: $(GUEST_OBJDIR_aarch64)/tests/guests/%.o $(GUEST_LIB_aarch64) \
        $(PLAT_aarch64_virtio_OBJS) $(PLAT_aarch64_virtio_LDSCRIPT)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD_aarch64) $(GUEST_LDFLAGS) -T $(PLAT_aarch64_virtio_LDSCRIPT) -o $@ $(PLAT_aarch64_virtio_OBJS) \
	    --start-group $< $(GUEST_LIB_aarch64) $(LIBGCC_aarch64) --end-group
TEST_BINS += $(foreach t,$(AARCH64_GUEST_TESTS),$(BUILD)/tests/guests/$(t)-aarch64-virtio)

test: all native tests-unit fuzz-build $(TEST_BINS)
	./tests/run

.PHONY: tests-unit

# Fuzz targets (tests/fuzz/fuzz_*.c): libFuzzer + ASan + UBSan via clang. A short run of each is
# part of `make test` (tests/system/fuzz.sh); `make fuzz` runs each for FUZZ_SECONDS.
FUZZ_SECONDS ?= 300
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_GUEST_SRCS := guest/archive.c guest/log.c guest/loop.c guest/ip4.c guest/ip6.c $(wildcard guest/net_posix/*.c)
$(BUILD)/fuzz/fuzz_archive: FUZZ_EXTRA_SRCS = $(FUZZ_GUEST_SRCS)
FUZZ_IMAGE_SRCS := runtime/tar.c runtime/image.c runtime/image_io.c runtime/manifest.c runtime/errmsg.c
$(BUILD)/fuzz/fuzz_manifest: FUZZ_EXTRA_SRCS = $(FUZZ_IMAGE_SRCS)
$(BUILD)/fuzz/fuzz_manifest: FUZZ_EXTRA_LIBS = -ljansson -lcrypto
$(BUILD)/fuzz/fuzz_manifest: $(FUZZ_IMAGE_SRCS) $(wildcard runtime/tar.h runtime/image*.h runtime/manifest.h)
$(BUILD)/fuzz/fuzz_icmp_reply: FUZZ_EXTRA_SRCS = apps/probe/icmp_reply.c
$(BUILD)/fuzz/fuzz_icmp_reply: apps/probe/icmp_reply.c apps/probe/icmp_reply.h
$(BUILD)/fuzz/fuzz_router_config: FUZZ_EXTRA_SRCS = apps/router/config.c apps/router/route.c guest/ip4.c
$(BUILD)/fuzz/fuzz_router_config: apps/router/config.c apps/router/route.c $(wildcard apps/router/config.h apps/router/route.h)
$(BUILD)/fuzz/fuzz_dns_addr: FUZZ_EXTRA_SRCS = guest/ip6.c guest/ip4.c
$(BUILD)/fuzz/fuzz_dns_addr: guest/ip6.c guest/ip4.c include/unf/net.h
$(BUILD)/fuzz/%: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang -std=c11 -g -O1 -D_GNU_SOURCE -Iinclude -fsanitize=fuzzer,address,undefined \
	    -o $@ $< $(FUZZ_EXTRA_SRCS) $(FUZZ_EXTRA_LIBS)
fuzz-build: $(FUZZ_BINS)
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do mkdir -p $(BUILD)/fuzz/corpus/$$(basename $$f); \
	  echo "== $$f ($(FUZZ_SECONDS) s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) $(BUILD)/fuzz/corpus/$$(basename $$f) tests/fuzz/seeds/$$(basename $$f) || exit 1; done
.PHONY: fuzz fuzz-build

# Unit tests of the firewall app link its pure modules (rules, classifier, conntrack, packets).
FW_PURE_SRCS := $(addprefix apps/firewall/,fw_parse.c fw_classify.c fw_conntrack.c fw_packet.c fw_filter.c fw_control.c)
FW_UNIT_BINS := $(filter $(BUILD)/tests/unit/test_fw_%,$(UNIT_BINS))
$(FW_UNIT_BINS): UNIT_EXTRA_SRCS = $(FW_PURE_SRCS)
$(FW_UNIT_BINS): $(FW_PURE_SRCS) $(wildcard apps/firewall/*.h)
$(BUILD)/fuzz/fuzz_fw_rules: FUZZ_EXTRA_SRCS = apps/firewall/fw_parse.c apps/firewall/fw_classify.c apps/firewall/fw_packet.c
$(BUILD)/fuzz/fuzz_fw_rules: apps/firewall/fw_parse.c apps/firewall/fw_classify.c apps/firewall/fw_packet.c $(wildcard apps/firewall/*.h)
$(BUILD)/fuzz/fuzz_fw_control: FUZZ_EXTRA_SRCS = $(FW_PURE_SRCS)
$(BUILD)/fuzz/fuzz_fw_control: $(FW_PURE_SRCS) $(wildcard apps/firewall/*.h)

# Unit tests and the fuzz target of the http app link its pure modules (no I/O) from apps/http/.
HTTP_PURE_SRCS := $(addprefix apps/http/,http_parse.c http_path.c http_date.c http_mime.c http_cond.c)
HTTP_UNIT_BINS := $(filter $(BUILD)/tests/unit/test_http_%,$(UNIT_BINS))
$(HTTP_UNIT_BINS): UNIT_EXTRA_SRCS = $(HTTP_PURE_SRCS) apps/http/http_response.c
$(HTTP_UNIT_BINS): $(HTTP_PURE_SRCS) apps/http/http_response.c $(wildcard apps/http/*.h)
$(BUILD)/fuzz/fuzz_http_request: FUZZ_EXTRA_SRCS = $(HTTP_PURE_SRCS)
$(BUILD)/fuzz/fuzz_http_request: $(HTTP_PURE_SRCS) $(wildcard apps/http/*.h)

# Unit tests and fuzz targets of the dns app link its pure modules (no I/O) from apps/dns/.
DNS_PURE_SRCS := $(addprefix apps/dns/,dns_answer.c dns_axfr.c dns_msg.c dns_name.c dns_rdata.c dns_zone.c dns_zparse.c)
DNS_UNIT_BINS := $(filter $(BUILD)/tests/unit/test_dns_%,$(UNIT_BINS))
$(DNS_UNIT_BINS): UNIT_EXTRA_SRCS = $(DNS_PURE_SRCS)
$(DNS_UNIT_BINS): $(DNS_PURE_SRCS) $(wildcard apps/dns/*.h)
DNS_FUZZ_BINS := $(BUILD)/fuzz/fuzz_dns_msg $(BUILD)/fuzz/fuzz_dns_zone
$(DNS_FUZZ_BINS): FUZZ_EXTRA_SRCS = $(DNS_PURE_SRCS)
$(DNS_FUZZ_BINS): $(DNS_PURE_SRCS) $(wildcard apps/dns/*.h)
