# proc platform bindings (owned by platform/proc). Defines PLAT_proc_OBJS and PLAT_proc_LDSCRIPT.
PLAT_proc_OBJS := $(BUILD)/guest/platform/proc/start.o $(BUILD)/guest/platform/proc/proc.o
PLAT_proc_LDSCRIPT := platform/proc/guest.ld
