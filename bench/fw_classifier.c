/*
 * The firewall app's classifier, compiled into the unf binary for `unf bench fw`: the build
 * links every C file of bench/, so this file includes the app's source as is (one copy of the code,
 * built with the host's flags) instead of keeping a second implementation.
 */
#include "../apps/firewall/fw_classify.c"
