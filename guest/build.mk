# The guest library (libc subset, allocator, loop, archive, start, lwIP backend, lwIP itself)
# for unikernels, and the native library (loop, archive, posix backend) for the native build.
GUEST_CORE_SRCS := guest/loop.c guest/archive.c guest/log.c guest/ip4.c guest/ip6.c
GUEST_SRCS := $(wildcard guest/libc/*.c) guest/alloc.c guest/start.c $(GUEST_CORE_SRCS) \
              $(wildcard guest/net_lwip/*.c)

LWIP_SRCS := $(addprefix $(LWIP_DIR)/src/core/,init.c def.c inet_chksum.c ip.c mem.c memp.c \
               netif.c pbuf.c raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
             $(addprefix $(LWIP_DIR)/src/core/ipv4/,etharp.c icmp.c ip4.c ip4_addr.c \
               ip4_frag.c) \
             $(addprefix $(LWIP_DIR)/src/core/ipv6/,ethip6.c icmp6.c inet6.c ip6.c ip6_addr.c \
               ip6_frag.c nd6.c) \
             $(LWIP_DIR)/src/netif/ethernet.c
LWIP_CFLAGS := -Iguest/net_lwip -I$(LWIP_DIR)/src/include -Wno-address
# tcp_in.c is compiled from a copy carrying guest/net_lwip/lwip-tcp_in.patch (the hashed PCB
# lookup, guest/net_lwip/tcp_lookup.c); the source tree stays as Debian ships it. No fuzz: an lwIP
# whose tcp_in.c moved under the patch stops the build here rather than losing the hash.
LWIP_TCP_IN := $(BUILD)/deps/lwip-unf/src/core/tcp_in.c
$(LWIP_TCP_IN): $(LWIP_DIR)/src/core/tcp_in.c guest/net_lwip/lwip-tcp_in.patch
	@mkdir -p $(dir $@)
	@echo "  PATCH   $@"
	$(Q)tr -d '\r' < $< > $@.orig
	$(Q)patch --batch --forward --fuzz=0 --quiet --reject-file=- -o $@.tmp $@.orig guest/net_lwip/lwip-tcp_in.patch || \
	  { rm -f $@.tmp; echo "error: guest/net_lwip/lwip-tcp_in.patch no longer applies to $<: port it to this lwIP" >&2; exit 1; }
	$(Q)mv $@.tmp $@
# guest_lib_rules ARCH: lwIP's objects and the guest library for that architecture.
define guest_lib_rules
$(GUEST_OBJDIR_$(1))/lwip/%.o: $(LWIP_DIR)/%.c | $(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$(Q)$(CC_$(1)) $$(GUEST_CFLAGS_$(1)) $(LWIP_CFLAGS) -c $$< -o $$@
$(GUEST_OBJDIR_$(1))/lwip/src/core/tcp_in.o: $(LWIP_TCP_IN) | $(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$(Q)$(CC_$(1)) $$(GUEST_CFLAGS_$(1)) $(LWIP_CFLAGS) -c $$< -o $$@
$(GUEST_OBJDIR_$(1))/guest/net_lwip/%.o: GUEST_CFLAGS_EXTRA = $(LWIP_CFLAGS)
$(GUEST_OBJDIR_$(1))/guest/start.o: GUEST_CFLAGS_EXTRA = $(LWIP_CFLAGS)
GUEST_OBJS_$(1) := $(patsubst %.c,$(GUEST_OBJDIR_$(1))/%.o,$(GUEST_SRCS)) \
                   $(patsubst $(LWIP_DIR)/%.c,$(GUEST_OBJDIR_$(1))/lwip/%.o,$(LWIP_SRCS))
GUEST_LIB_$(1) := $(GUEST_OBJDIR_$(1))/libunfguest.a
$(GUEST_OBJDIR_$(1))/libunfguest.a: $$(GUEST_OBJS_$(1))
	@rm -f $$@
	@echo "  AR      $$@"
	$(Q)$(AR_$(1)) rcs $$@ $$^
endef
$(LWIP_SRCS): | $(SETUP_STAMP)
$(foreach a,$(GUEST_ARCHS),$(eval $(call guest_lib_rules,$(a))))
GUEST_OBJS := $(GUEST_OBJS_x86_64)
GUEST_LIB := $(GUEST_LIB_x86_64)

# Native: the same loop/archive/log code over Linux sockets, built with glibc.
NATIVE_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -Iinclude -MMD -MP
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
NATIVE_SRCS := $(GUEST_CORE_SRCS) $(wildcard guest/net_posix/*.c)
$(BUILD)/native/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(NATIVE_CFLAGS) -c $< -o $@
NATIVE_LIB := $(BUILD)/native/libunfnative.a
$(NATIVE_LIB): $(patsubst %.c,$(BUILD)/native/obj/%.o,$(NATIVE_SRCS))
	@rm -f $@
	@echo "  AR      $@"
	$(Q)$(AR) rcs $@ $^
