/* SPDX-License-Identifier: BSD-2-Clause */
/* unf-oci's command line (oci/cli.c): runc's contract as engines use it. */
#include <string.h>

#include "../../oci/cli.h"
#include "check.h"

static int parse(struct oci_opts *o, char *err, const char *const *words)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"unf-oci";
    for (; *words && argc < 31; words++)
        argv[argc++] = (char *)*words;
    argv[argc] = NULL;
    return oci_cli_parse(argc, argv, o, err, 256);
}

int main(void)
{
    struct oci_opts o;
    char err[256];
    /* what conmon sends */
    const char *conmon[] = {"--root", "/run/r", "--log-format=json", "--log", "/x/log", "--systemd-cgroup",
                            "create", "--bundle", "/b", "--pid-file", "/p", "--no-pivot",
                            "--console-socket", "/s", "ID", NULL};
    CHECK(parse(&o, err, conmon) == 0, "oci_cli.conmon-create");
    CHECK(strcmp(o.root, "/run/r") == 0 && o.log_json && strcmp(o.log, "/x/log") == 0 && o.systemd_cgroup,
          "oci_cli.global-options");
    CHECK(strcmp(o.command, "create") == 0 && strcmp(o.bundle, "/b") == 0 && strcmp(o.pid_file, "/p") == 0 &&
          strcmp(o.console_socket, "/s") == 0 && o.npos == 1 && strcmp(o.pos[0], "ID") == 0,
          "oci_cli.create-options");
    const char *shim[] = {"-root", "/r", "create", "-b", "/b", "--preserve-fds", "2", "ID", NULL};
    CHECK(parse(&o, err, shim) == 0 && strcmp(o.bundle, "/b") == 0 && o.npos == 1, "oci_cli.single-dash-and-preserve-fds");
    const char *def[] = {"state", "ID", NULL};
    CHECK(parse(&o, err, def) == 0 && strcmp(o.root, OCI_DEFAULT_ROOT) == 0 && strcmp(o.bundle, ".") == 0,
          "oci_cli.defaults");
    const char *kill[] = {"kill", "--all", "ID", "KILL", NULL};
    CHECK(parse(&o, err, kill) == 0 && o.all && o.npos == 2 && strcmp(o.pos[1], "KILL") == 0, "oci_cli.kill-all");
    const char *del[] = {"delete", "--force", "ID", NULL};
    CHECK(parse(&o, err, del) == 0 && o.force, "oci_cli.delete-force");
    const char *ps[] = {"ps", "--format", "json", "ID", NULL};
    CHECK(parse(&o, err, ps) == 0 && strcmp(o.format, "json") == 0, "oci_cli.ps-format");
    const char *ver[] = {"--version", NULL};
    CHECK(parse(&o, err, ver) == 0 && o.version, "oci_cli.version");
    /* bad usage: each says why */
    const char *bad_cmd[] = {"frob", NULL};
    CHECK(parse(&o, err, bad_cmd) < 0 && strstr(err, "unknown command"), "oci_cli.unknown-command");
    const char *no_cmd[] = {"--root", "/r", NULL};
    CHECK(parse(&o, err, no_cmd) < 0 && strstr(err, "no command"), "oci_cli.no-command");
    const char *no_value[] = {"create", "--bundle", NULL};
    CHECK(parse(&o, err, no_value) < 0 && strstr(err, "needs a value"), "oci_cli.missing-value");
    const char *wrong_cmd[] = {"start", "--force", "ID", NULL};
    CHECK(parse(&o, err, wrong_cmd) < 0 && strstr(err, "unknown option"), "oci_cli.option-of-another-command");
    const char *bad_fmt[] = {"--log-format", "xml", "list", NULL};
    CHECK(parse(&o, err, bad_fmt) < 0 && strstr(err, "json or text"), "oci_cli.bad-log-format");
    const char *flag_value[] = {"delete", "--force=yes", "ID", NULL};
    CHECK(parse(&o, err, flag_value) < 0 && strstr(err, "takes no value"), "oci_cli.flag-with-value");
    return CHECK_DONE();
}
