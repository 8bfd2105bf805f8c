/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Delegation to runc (see delegate.h). The engine's command line is runc's already, so it is
 * passed on word for word except --root, which points runc at a directory of its own beside
 * unf-oci's state (the two would otherwise share <root>/<id>/state.json).
 */
#include "delegate.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define DELEGATE_DIR ".runc" /* no container ID starts with a dot */

static int annotation_is(json_t *annotations, const char *key, const char *want)
{
    const char *v = json_string_value(json_object_get(annotations, key));
    return v && strcmp(v, want) == 0;
}

int oci_delegate_wanted(const char *bundle_dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/config.json", bundle_dir) >= (int)sizeof(path))
        return 0;
    json_t *config = json_load_file(path, 0, NULL);
    if (!config)
        return 0; /* create reports the bad bundle itself */
    json_t *a = json_object_get(config, "annotations");
    int wanted = annotation_is(a, "io.kubernetes.cri.container-type", "sandbox") ||
                 annotation_is(a, "org.unf.delegate", "runc");
    json_decref(config);
    return wanted;
}

int oci_delegate_holds(const char *root, const char *id)
{
    char path[PATH_MAX];
    struct stat st;
    if (snprintf(path, sizeof(path), "%s/%s/%s", root, DELEGATE_DIR, id) >= (int)sizeof(path))
        return 0;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Is argv[i] the global --root option (either form)? Sets *skip to the words it takes. */
static int is_root_option(char **argv, int argc, int i, int *skip)
{
    const char *a = argv[i];
    if (strcmp(a, "--root") == 0 || strcmp(a, "-root") == 0) {
        *skip = i + 1 < argc ? 2 : 1;
        return 1;
    }
    if (strncmp(a, "--root=", 7) == 0 || strncmp(a, "-root=", 6) == 0) {
        *skip = 1;
        return 1;
    }
    return 0;
}

int oci_delegate_exec(const char *root, int argc, char **argv)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof(dir), "%s/%s", root, DELEGATE_DIR) >= (int)sizeof(dir)) {
        oci_log_error("delegate: root path too long");
        return -1;
    }
    char **args = calloc((size_t)argc + 3, sizeof(char *));
    if (!args) {
        oci_log_error("delegate: out of memory");
        return -1;
    }
    const char *runc = getenv("UNF_OCI_RUNC");
    int n = 0;
    args[n++] = (char *)(runc && *runc ? runc : "runc");
    args[n++] = "--root";
    args[n++] = dir;
    for (int i = 1; i < argc;) {
        int skip = 1;
        if (!is_root_option(argv, argc, i, &skip))
            args[n++] = argv[i];
        i += skip;
    }
    args[n] = NULL;
    oci_log_debug("delegate: %s %s to runc", argc > 1 ? argv[1] : "", dir);
    execvp(args[0], args);
    oci_log_error("delegate: cannot run %s: %s", args[0], strerror(errno));
    free(args);
    return -1;
}
