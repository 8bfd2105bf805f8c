# hvt platform bindings (owned by platform/hvt). Defines PLAT_hvt_OBJS and PLAT_hvt_LDSCRIPT.
# platform/common/ holds the entry and the glue the proc and hvt bindings share.
PLAT_hvt_OBJS := $(BUILD)/guest/platform/common/start.o $(BUILD)/guest/platform/common/bindings.o \
                 $(BUILD)/guest/platform/hvt/hvt.o
PLAT_hvt_LDSCRIPT := platform/hvt/kernel.ld
