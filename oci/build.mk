# unf-oci (owned by oci/): the OCI runtime. It links the runtime modules it uses (images, the
# driver table, running tools) rather than re-implementing them.
OCI_SRCS := $(wildcard oci/*.c) runtime/image.c runtime/image_io.c runtime/manifest.c \
            runtime/tar.c runtime/driver.c runtime/cmd.c runtime/errmsg.c
OCI_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(OCI_SRCS))
$(patsubst %.c,$(BUILD)/host/%.o,$(wildcard oci/*.c)): HOST_CFLAGS_EXTRA = -Iruntime
$(BUILD)/bin/unf-oci: $(OCI_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ -ljansson -lcrypto
HOST_BINS += $(BUILD)/bin/unf-oci
# Its unit test (tests/unit/test_oci_cli.c, built by the tests' pattern rule) links the parser.
$(BUILD)/tests/unit/test_oci_cli: UNIT_EXTRA_SRCS = oci/cli.c
$(BUILD)/tests/unit/test_oci_cli: oci/cli.c oci/cli.h
