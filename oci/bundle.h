/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An OCI bundle as unf-oci reads it: config.json (runtime-spec) and the rootfs. What matters
 * here: root.path, process.args and process.terminal, linux.namespaces (the network one),
 * linux.cgroupsPath, linux.resources memory and cpu, hooks (see hooks.h), and the annotations
 * org.unf.platform, org.unf.accel and org.unf.image. Everything else (mounts, capabilities,
 * users, seccomp) describes a Linux process and has no meaning for a unikernel; it is ignored.
 *
 * The rootfs holds a unf image unpacked (manifest.json, kernels/, files/), as the layer written
 * by `unf-oci oci-image` does; or annotation org.unf.image names a .unf file inside the rootfs.
 */
#ifndef OCI_BUNDLE_H
#define OCI_BUNDLE_H

#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroups.h"

#define OCI_MAX_ARGS 60

enum oci_netns_kind {
    OCI_NETNS_HOST,             /* no network namespace in config.json: the guest has no NIC */
    OCI_NETNS_NEW,              /* a network namespace without path: a new empty one, no NIC */
    OCI_NETNS_PATH,             /* the engine's namespace: the guest takes its interface */
};

struct oci_bundle {
    char dir[PATH_MAX];         /* absolute */
    char rootfs[PATH_MAX];      /* absolute */
    char *args[OCI_MAX_ARGS];   /* process.args (owned) */
    int nargs;
    int terminal;               /* process.terminal */
    enum oci_netns_kind netns_kind;
    char netns[PATH_MAX];
    char cgroups_path[PATH_MAX];
    struct oci_cgroup_limits limits;
    char platform[32];          /* org.unf.platform, default "auto" */
    char accel[16];             /* org.unf.accel, default "auto" */
    char image_file[PATH_MAX];  /* org.unf.image resolved inside the rootfs, "" when unpacked */
    json_t *annotations;        /* owned, never NULL after load */
    json_t *hooks;              /* config.json "hooks" (owned), or NULL */
};

/* Reads dir/config.json; -1 with one line in err. */
int oci_bundle_load(const char *dir, struct oci_bundle *b, char *err, size_t errlen);
void oci_bundle_free(struct oci_bundle *b);

/* The .unf to open for this bundle: the annotated file, or the rootfs re-packed into out_tar
 * (a ustar written with runtime/tar.h, so that runtime/image.h validates and extracts it).
 * Writes the chosen path to path. */
int oci_bundle_image_path(const struct oci_bundle *b, const char *out_tar, char *path, size_t len,
                          char *err, size_t errlen);

#endif
