/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The testbed topology file, parsed and validated (testbed_topo.c). Format:
 *   {"name": "tnt",
 *    "nodes": [
 *      {"name": "vp", "host": {"addr": "10.10.0.1/24", "gw": "10.10.0.2"}},
 *      {"name": "r1", "image": "build/images/router.unf", "platform": "proc", "mem": "8M",
 *       "args": ["--config", "r1.conf"], "files": {"r1.conf": "nic 0 10.10.0.2/24\n..."}}],
 *    "links": [["vp", "r1:0"], ["r1:1", "r2:0"]]}
 * A host is a Linux namespace with one link (its bridge br0 holds addr; gw is its default
 * route); a unikernel node gets one NIC per link end "node:i" (tap i, in link order of i).
 * "files" become the node's file archive (instead of the image's files/).
 */
#ifndef RUNTIME_TESTBED_TOPO_H
#define RUNTIME_TESTBED_TOPO_H

#include <stddef.h>
#include <stdint.h>

#define TOPO_MAX_NODES 32
#define TOPO_MAX_LINKS 64
#define TOPO_MAX_NICS 4
#define TOPO_MAX_ARGS 32
#define TOPO_MAX_FILES 8

struct topo_file {
    char *name;
    char *data;
    size_t len;
};

struct topo_node {
    char name[16];
    int is_host;
    char addr[32], gw[16];      /* hosts */
    char image[1024];           /* unikernels */
    char platform[16];
    uint64_t mem;               /* 0: the image's */
    char *args[TOPO_MAX_ARGS];
    int nargs;
    struct topo_file files[TOPO_MAX_FILES];
    int nfiles;
    int nics;                   /* link ends seen */
};

struct topo_end {
    int node;
    int nic;                    /* hosts: 0 */
};

struct topo {
    char name[16];
    struct topo_node nodes[TOPO_MAX_NODES];
    int nnodes;
    struct topo_end links[TOPO_MAX_LINKS][2];
    int nlinks;
};

/* Reads and validates path; one line in err on failure. */
int topo_load(const char *path, struct topo *t, char *err, size_t errlen);
void topo_free(struct topo *t);

#endif
