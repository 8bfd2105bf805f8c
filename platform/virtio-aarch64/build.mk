# aarch64 virtio bindings (owned by platform/virtio-aarch64): this folder's files plus the
# arch-neutral virtio code of platform/virtio (split virtqueues, virtio-mmio, virtio-net,
# physical memory), all compiled for aarch64. Defines PLAT_aarch64_virtio_OBJS and _LDSCRIPT.
PLAT_aarch64_virtio_SRCS := $(wildcard platform/virtio-aarch64/*.c platform/virtio-aarch64/*.S) \
    $(addprefix platform/virtio/,virtq.c virtio_mmio.c net.c physmem.c console_write.c)
PLAT_aarch64_virtio_OBJS := $(patsubst %,$(GUEST_OBJDIR_aarch64)/%.o,$(basename $(PLAT_aarch64_virtio_SRCS)))
PLAT_aarch64_virtio_LDSCRIPT := platform/virtio-aarch64/kernel.ld
