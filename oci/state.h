/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Container state on disk: <root>/<id>/ holds state.json (written atomically), exec.fifo (while
 * the container is created but not started), the unpacked kernel, the guest's file archive and
 * the re-packed image. The status is never stored: it is derived from the recorded pid and that
 * process's start time (/proc/PID/stat field 22) and from exec.fifo, so a crashed guest or a
 * recycled pid never shows as running.
 */
#ifndef OCI_STATE_H
#define OCI_STATE_H

#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "network.h"

#define OCI_ID_MAX 128
#define OCI_VERSION "1.1.0"     /* runtime-spec version we implement */

struct oci_state {
    char id[OCI_ID_MAX + 1];
    char dir[PATH_MAX];         /* <root>/<id> */
    char bundle[PATH_MAX];
    char rootfs[PATH_MAX];
    pid_t pid;                  /* holder, then (same pid, after exec) the tender or QEMU */
    unsigned long long pid_start;
    char created[40];           /* RFC 3339 */
    char platform[16], accel[8];
    char netns[PATH_MAX];       /* the engine's netns path, "" when none */
    char cgroup[PATH_MAX];      /* linux.cgroupsPath as given, "" when none */
    int systemd_cgroup;         /* the path is slice:prefix:name */
    struct oci_net net;         /* what networking changed, to undo */
    json_t *annotations;        /* owned; never NULL after load */
    json_t *hooks;              /* config.json "hooks" (owned), NULL when none */
};

/* [A-Za-z0-9][A-Za-z0-9_.+-]{0,127} */
int oci_id_valid(const char *id);

/* <root>/<id>/<file> (file NULL: the directory). */
void oci_state_path(const char *root, const char *id, const char *file, char *path, size_t len);

/* Reads <root>/<id>/state.json; -1 with "container ID does not exist" or why not. */
int oci_state_load(const char *root, const char *id, struct oci_state *st, char *err, size_t errlen);
/* Writes state.json via state.json.tmp and rename. */
int oci_state_save(const struct oci_state *st, char *err, size_t errlen);
void oci_state_free(struct oci_state *st);

/* "created", "running" or "stopped". */
const char *oci_state_status(const struct oci_state *st);

/* The runtime-spec state object (caller decrefs). */
json_t *oci_state_json(const struct oci_state *st);

/* Start time of pid (field 22 of /proc/PID/stat), 0 when gone or a zombie. */
unsigned long long oci_proc_start(pid_t pid);

/* Removes the state directory and everything in it (flat); missing is fine. */
void oci_state_remove_dir(const char *dir);

/* Now as RFC 3339 with nanoseconds, UTC. */
void oci_now_rfc3339(char *buf, size_t len);

#endif
