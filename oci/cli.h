/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * unf-oci's command line, with runc's contract so that engines (podman/conmon, containerd's
 * runc shim, docker) drive it unchanged: global options first (--root, --log, --log-format,
 * --systemd-cgroup, --debug), then a command and its options and arguments. Options are accepted
 * as --opt VALUE, --opt=VALUE and with a single dash, anywhere after the command; runc options
 * that mean nothing here (--no-pivot, --no-new-keyring, --preserve-fds N, --notify-socket P)
 * are accepted and ignored.
 */
#ifndef OCI_CLI_H
#define OCI_CLI_H

#include <stddef.h>

#define OCI_DEFAULT_ROOT "/run/unf-oci"
#define OCI_MAX_POSITIONAL 8

struct oci_opts {
    const char *root;           /* --root, default OCI_DEFAULT_ROOT */
    const char *log;            /* --log FILE */
    int log_json;               /* --log-format json */
    int systemd_cgroup;         /* --systemd-cgroup */
    int debug;                  /* --debug */
    const char *command;        /* create, start, state, kill, delete, ps, list, features, oci-image */
    const char *bundle;         /* create --bundle, default "." */
    const char *pid_file;       /* create --pid-file */
    const char *console_socket; /* create --console-socket */
    const char *format;         /* ps/list --format: "json" or "table" */
    const char *tag;            /* oci-image --tag */
    int force;                  /* delete --force */
    int all;                    /* kill --all */
    int quiet;                  /* list -q */
    const char *pos[OCI_MAX_POSITIONAL]; /* positional arguments after the command */
    int npos;
    int version;                /* --version */
    int help;                   /* --help */
};

/* Fills o from argv; -1 with one line in err on bad usage. */
int oci_cli_parse(int argc, char **argv, struct oci_opts *o, char *err, size_t errlen);

/* The usage text (for --help). */
const char *oci_cli_usage(void);

#endif
