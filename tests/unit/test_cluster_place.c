/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the controller's placement rule (cluster/place.c): architecture first, then the
 * platform/accelerator, then free resources, ties by name; and why nothing fits. */
#include <string.h>

#include "../../cluster/place.h"
#include "check.h"

static struct place_node mk(const char *name, const char *arch, const char *plat, const char *accel,
                            long mem, long vcpus)
{
    struct place_node n;
    memset(&n, 0, sizeof n);
    n.name = name;
    strcpy(n.arch, arch);
    strcpy(n.platforms[0].platform, plat);
    strcpy(n.platforms[0].accel, accel);
    n.nplatforms = 1;
    n.up = 1;
    n.mem_free_mib = mem;
    n.vcpus_free = vcpus;
    return n;
}

static void add_plat(struct place_node *n, const char *plat, const char *accel)
{
    strcpy(n->platforms[n->nplatforms].platform, plat);
    strcpy(n->platforms[n->nplatforms].accel, accel);
    n->nplatforms++;
}

int main(void)
{
    struct place_request amd = {.archs = {"x86_64"}, .narchs = 1, .memory_mib = 16, .vcpus = 1};
    struct place_request arm = {.archs = {"aarch64"}, .narchs = 1, .memory_mib = 16, .vcpus = 1};
    struct place_request both = {.archs = {"x86_64", "aarch64"}, .narchs = 2, .memory_mib = 16, .vcpus = 1};
    enum place_why why;

    CHECK(strcmp(place_arch_name("amd64"), "x86_64") == 0, "arch.amd64");
    CHECK(strcmp(place_arch_name("arm64"), "aarch64") == 0, "arch.arm64");
    CHECK(place_arch_name("riscv64") == NULL, "arch.unknown");

    struct place_node n1[] = {mk("a", "x86_64", "proc", "none", 64, 2), mk("b", "aarch64", "qemu-virt", "tcg", 512, 4)};
    CHECK(place_pick(n1, 2, &arm, NULL, NULL, &why) == 1, "arm-only-lands-on-aarch64");
    CHECK(place_pick(n1, 2, &amd, NULL, NULL, &why) == 0, "amd-only-lands-on-x86");
    /* Both offered: proc (native) beats TCG emulation even with less free memory. */
    CHECK(place_pick(n1, 2, &both, NULL, NULL, &why) == 0, "proc-beats-tcg");

    struct place_node n2[] = {mk("p", "x86_64", "proc", "none", 512, 4), mk("h", "x86_64", "hvt", "kvm", 64, 1),
                              mk("q", "x86_64", "qemu-microvm", "kvm", 1024, 8)};
    CHECK(place_pick(n2, 3, &amd, NULL, NULL, &why) == 1, "hvt-kvm-beats-qemu-kvm-beats-proc");
    n2[1].up = 0;
    CHECK(place_pick(n2, 3, &amd, NULL, NULL, &why) == 2, "dead-node-skipped");
    /* A software KVM (no vmx/svm): proc first, then hvt (CPL3 runs natively), QEMU on it last. */
    n2[1].up = 1;
    n2[1].platforms[0].soft_kvm = n2[2].platforms[0].soft_kvm = 1;
    CHECK(place_pick(n2, 3, &amd, NULL, NULL, &why) == 0, "software-kvm-comes-after-proc");
    n2[0].up = 0;
    CHECK(place_pick(n2, 3, &amd, NULL, NULL, &why) == 1, "software-kvm-hvt-beats-software-kvm-qemu");
    struct place_node n5[] = {mk("q", "x86_64", "qemu-microvm", "kvm", 1024, 8)};
    n5[0].platforms[0].soft_kvm = 1;
    add_plat(&n5[0], "qemu-microvm", "tcg");
    CHECK(place_best_platform(&n5[0], &amd) == 1, "tcg-beats-software-kvm-qemu");

    /* Equal platforms: more free memory, then more vCPUs, then the name. */
    struct place_node n3[] = {mk("z", "x86_64", "proc", "none", 100, 1), mk("y", "x86_64", "proc", "none", 200, 1),
                              mk("x", "x86_64", "proc", "none", 200, 1), mk("w", "x86_64", "proc", "none", 200, 2)};
    CHECK(place_pick(n3, 3, &amd, NULL, NULL, &why) == 2, "tie-by-name");
    CHECK(place_pick(n3, 4, &amd, NULL, NULL, &why) == 3, "more-vcpus-wins");
    CHECK(place_pick(n3, 4, &amd, NULL, NULL, &why) == place_pick(n3, 4, &amd, NULL, NULL, &why), "deterministic");

    /* Constraints. */
    struct place_node n4[] = {mk("p", "x86_64", "proc", "none", 512, 4)};
    add_plat(&n4[0], "qemu-microvm", "tcg");
    struct place_request want_qemu = amd;
    want_qemu.platform = "qemu";
    int i4 = place_pick(n4, 1, &want_qemu, NULL, NULL, &why);
    CHECK(i4 == 0 && place_best_platform(&n4[0], &want_qemu) == 1, "platform-qemu-matches-qemu-star");
    struct place_request want_kvm = amd;
    want_kvm.accel = "kvm";
    CHECK(place_pick(n4, 1, &want_kvm, NULL, NULL, &why) == -1 && why == PLACE_NO_PLATFORM, "accel-kvm-missing");
    struct place_request want_auto = amd;
    want_auto.platform = "auto";
    CHECK(place_best_platform(&n4[0], &want_auto) == 0, "auto-prefers-proc-over-tcg");

    /* Why nothing fits. */
    CHECK(place_pick(n1, 0, &amd, NULL, NULL, &why) == -1 && why == PLACE_NO_NODES, "why.no-nodes");
    struct place_request riscv = {.archs = {"riscv64"}, .narchs = 1, .memory_mib = 1, .vcpus = 1};
    CHECK(place_pick(n1, 2, &riscv, NULL, NULL, &why) == -1 && why == PLACE_NO_ARCH, "why.no-arch");
    struct place_request huge = amd;
    huge.memory_mib = 100000;
    long cm[] = {64, 512}, cv[] = {2, 4};
    CHECK(place_pick(n1, 2, &huge, cm, cv, &why) == -1 && why == PLACE_TOO_BIG, "why.too-big");
    struct place_node full[] = {mk("a", "x86_64", "proc", "none", 8, 2)};
    long fm[] = {64}, fv[] = {2};
    CHECK(place_pick(full, 1, &amd, fm, fv, &why) == -1 && why == PLACE_NO_ROOM, "why.no-room");
    struct place_request cpus = amd;
    cpus.vcpus = 3;
    CHECK(place_pick(full, 1, &cpus, fm, fv, &why) == -1 && why == PLACE_TOO_BIG, "why.too-many-vcpus");
    CHECK(strlen(place_why_str(PLACE_TOO_BIG)) > 0, "why.text");
    return CHECK_DONE();
}
