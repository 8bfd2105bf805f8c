# proc platform bindings (owned by platform/proc). Defines PLAT_proc_OBJS and PLAT_proc_LDSCRIPT.
# platform/common/ holds the entry and the glue the proc and hvt bindings share.
PLAT_proc_OBJS := $(BUILD)/guest/platform/common/start.o $(BUILD)/guest/platform/common/bindings.o \
                  $(BUILD)/guest/platform/proc/proc.o $(BUILD)/guest/platform/proc/ring.o \
                  $(BUILD)/guest/platform/proc/xsk.o
PLAT_proc_LDSCRIPT := platform/proc/guest.ld
