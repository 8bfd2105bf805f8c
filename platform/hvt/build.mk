# hvt platform bindings (owned by platform/hvt). Defines PLAT_hvt_OBJS and PLAT_hvt_LDSCRIPT.
PLAT_hvt_OBJS := $(BUILD)/guest/platform/hvt/start.o $(BUILD)/guest/platform/hvt/hvt.o
PLAT_hvt_LDSCRIPT := platform/hvt/kernel.ld
