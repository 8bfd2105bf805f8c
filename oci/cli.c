/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parsing unf-oci's command line (see cli.h). A small table says, per option, which commands
 * take it and whether it has a value; everything else is positional.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum opt_id {
    O_ROOT, O_LOG, O_LOG_FORMAT, O_SYSTEMD, O_DEBUG, O_VERSION, O_HELP, O_BUNDLE, O_PID_FILE,
    O_CONSOLE, O_FORMAT, O_FORCE, O_ALL, O_QUIET, O_TAG, O_IGNORED, O_IGNORED_VALUE,
};

struct opt {
    const char *name;
    char short_name;
    int has_value;
    enum opt_id id;
    const char *commands;       /* NULL: global; else the commands that take it, space-separated */
};

static const struct opt opts[] = {
    {"root", 0, 1, O_ROOT, NULL},
    {"log", 0, 1, O_LOG, NULL},
    {"log-format", 0, 1, O_LOG_FORMAT, NULL},
    {"systemd-cgroup", 0, 0, O_SYSTEMD, NULL},
    {"debug", 0, 0, O_DEBUG, NULL},
    {"version", 'v', 0, O_VERSION, NULL},
    {"help", 'h', 0, O_HELP, NULL},
    {"criu", 0, 1, O_IGNORED_VALUE, NULL},
    {"rootless", 0, 1, O_IGNORED_VALUE, NULL},
    {"bundle", 'b', 1, O_BUNDLE, "create run"},
    {"pid-file", 0, 1, O_PID_FILE, "create run"},
    {"console-socket", 0, 1, O_CONSOLE, "create run"},
    {"no-pivot", 0, 0, O_IGNORED, "create run"},
    {"no-new-keyring", 0, 0, O_IGNORED, "create run"},
    {"preserve-fds", 0, 1, O_IGNORED_VALUE, "create run"},
    {"notify-socket", 0, 1, O_IGNORED_VALUE, "create run"},
    {"format", 'f', 1, O_FORMAT, "ps list"},
    {"quiet", 'q', 0, O_QUIET, "list"},
    {"force", 'f', 0, O_FORCE, "delete"},
    {"all", 'a', 0, O_ALL, "kill"},
    {"tag", 't', 1, O_TAG, "oci-image"},
};

static const char *const commands[] = {"create", "start", "state", "kill", "delete", "ps",
                                       "list", "features", "oci-image", NULL};

const char *oci_cli_usage(void)
{
    return "usage: unf-oci [--root DIR] [--log FILE] [--log-format json|text] [--systemd-cgroup] [--debug] COMMAND\n"
           "  create [--bundle DIR] [--pid-file F] [--console-socket S] ID\n"
           "  start ID | state ID | kill [--all] ID [SIGNAL] | delete [--force] ID\n"
           "  ps [--format json|table] ID | list [--format json|table] [-q] | features\n"
           "  oci-image [--tag TAG] IMAGE.unf DIR   (writes an OCI image layout)\n"
           "  --version\n";
}

static int takes(const struct opt *op, const char *command)
{
    if (!op->commands)
        return 1;
    if (!command)
        return 0;
    size_t n = strlen(command);
    for (const char *p = op->commands; (p = strstr(p, command)) != NULL; p += n)
        if ((p == op->commands || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* The option arg names (without dashes and =value), or NULL. */
static const struct opt *lookup(const char *arg, const char *command, const char **inline_value)
{
    const char *name = arg + (arg[1] == '-' ? 2 : 1);
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    *inline_value = eq ? eq + 1 : NULL;
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        const struct opt *op = &opts[i];
        if (!takes(op, command))
            continue;
        if ((strlen(op->name) == len && strncmp(op->name, name, len) == 0) ||
            (len == 1 && op->short_name == name[0]))
            return op;
    }
    return NULL;
}

static int set(struct oci_opts *o, const struct opt *op, const char *value, char *err, size_t errlen)
{
    switch (op->id) {
    case O_ROOT: o->root = value; break;
    case O_LOG: o->log = value; break;
    case O_LOG_FORMAT:
        if (strcmp(value, "json") != 0 && strcmp(value, "text") != 0) {
            snprintf(err, errlen, "--log-format must be json or text, not '%s'", value);
            return -1;
        }
        o->log_json = strcmp(value, "json") == 0;
        break;
    case O_SYSTEMD: o->systemd_cgroup = 1; break;
    case O_DEBUG: o->debug = 1; break;
    case O_VERSION: o->version = 1; break;
    case O_HELP: o->help = 1; break;
    case O_BUNDLE: o->bundle = value; break;
    case O_PID_FILE: o->pid_file = value; break;
    case O_CONSOLE: o->console_socket = value; break;
    case O_FORMAT:
        if (strcmp(value, "json") != 0 && strcmp(value, "table") != 0) {
            snprintf(err, errlen, "--format must be json or table, not '%s'", value);
            return -1;
        }
        o->format = value;
        break;
    case O_FORCE: o->force = 1; break;
    case O_ALL: o->all = 1; break;
    case O_QUIET: o->quiet = 1; break;
    case O_TAG: o->tag = value; break;
    case O_IGNORED: case O_IGNORED_VALUE: break;
    }
    return 0;
}

int oci_cli_parse(int argc, char **argv, struct oci_opts *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof(*o));
    o->root = OCI_DEFAULT_ROOT;
    o->bundle = ".";
    o->format = "table";
    int only_positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_positional && strcmp(arg, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            if (!o->command) {
                int known = 0;
                for (int c = 0; commands[c]; c++)
                    known |= strcmp(commands[c], arg) == 0;
                if (!known) {
                    snprintf(err, errlen, "unknown command '%s' (try --help)", arg);
                    return -1;
                }
                o->command = arg;
            } else if (o->npos < OCI_MAX_POSITIONAL) {
                o->pos[o->npos++] = arg;
            } else {
                snprintf(err, errlen, "%s: too many arguments", o->command);
                return -1;
            }
            continue;
        }
        /* "kill ID -9"-style negative numbers are not used by engines; treat "-NUM" as an error. */
        const char *value;
        const struct opt *op = lookup(arg, o->command, &value);
        if (!op) {
            snprintf(err, errlen, "%s%sunknown option '%s'", o->command ? o->command : "",
                     o->command ? ": " : "", arg);
            return -1;
        }
        if (op->has_value && !value) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "option '%s' needs a value", arg);
                return -1;
            }
            value = argv[++i];
        } else if (!op->has_value && value) {
            snprintf(err, errlen, "option '%s' takes no value", arg);
            return -1;
        }
        if (set(o, op, value, err, errlen) < 0)
            return -1;
    }
    if (!o->command && !o->version && !o->help) {
        snprintf(err, errlen, "no command given (try --help)");
        return -1;
    }
    return 0;
}
