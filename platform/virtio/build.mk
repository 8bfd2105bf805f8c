# virtio platform bindings (owned by platform/virtio). Defines PLAT_virtio_OBJS and PLAT_virtio_LDSCRIPT.
PLAT_virtio_SRCS := $(wildcard platform/virtio/*.c platform/virtio/*.S)
PLAT_virtio_OBJS := $(patsubst %,$(BUILD)/guest/%.o,$(basename $(PLAT_virtio_SRCS)))
PLAT_virtio_LDSCRIPT := platform/virtio/kernel.ld
