/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * build/bin/unf-oci: an OCI runtime (runc's command line) that runs unf images as containers
 * for podman, docker and containerd. Dispatch only; see docs/OCI.md for the whole picture.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "delegate.h"
#include "launch.h"
#include "layout.h"
#include "log.h"
#include "state.h"

#define UNF_OCI_VERSION "0.1.0"

static int need_id(const struct oci_opts *o, int max_pos)
{
    if (o->npos < 1 || o->npos > max_pos) {
        oci_log_error("%s: %s", o->command, o->npos < 1 ? "a container ID is required" : "too many arguments");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct oci_opts o;
    char err[512];
    if (oci_cli_parse(argc, argv, &o, err, sizeof(err)) < 0) {
        oci_log_init(o.log, o.log_json, 0);
        oci_log_error("%s", err);
        return 2;
    }
    oci_log_init(o.log, o.log_json, o.debug);
    if (o.help) {
        fputs(oci_cli_usage(), stdout);
        return 0;
    }
    if (o.version && !o.command) {
        printf("unf-oci version %s\nspec: %s\n", UNF_OCI_VERSION, OCI_VERSION);
        return 0;
    }
    const char *c = o.command;
    if (strcmp(c, "features") == 0)
        return oci_features();
    if (strcmp(c, "list") == 0)
        return oci_list(&o);
    if (strcmp(c, "oci-image") == 0) {
        if (o.npos != 2) {
            oci_log_error("oci-image: want IMAGE.unf DIR");
            return 2;
        }
        if (oci_layout_write(o.pos[0], o.pos[1], o.tag, err, sizeof(err)) < 0) {
            oci_log_error("oci-image: %s", err);
            return 1;
        }
        return 0;
    }
    if (need_id(&o, strcmp(c, "kill") == 0 ? 2 : 1) < 0)
        return 2;
    const char *id = o.pos[0];
    /* Pod sandboxes and other non-unikernel containers go to runc (see delegate.h). */
    if (strcmp(c, "create") == 0 ? oci_delegate_wanted(o.bundle) : oci_delegate_holds(o.root, id))
        return oci_delegate_exec(o.root, argc, argv) < 0 ? 1 : 0;
    if (strcmp(c, "create") == 0)
        return oci_create(&o, id);
    if (strcmp(c, "start") == 0)
        return oci_start(&o, id);
    if (strcmp(c, "state") == 0)
        return oci_state_cmd(&o, id);
    if (strcmp(c, "kill") == 0)
        return oci_kill(&o, id, o.npos > 1 ? o.pos[1] : NULL);
    if (strcmp(c, "delete") == 0)
        return oci_delete(&o, id);
    return oci_ps(&o, id);
}
