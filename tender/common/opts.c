/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Command-line parsing shared by the tenders (see opts.h). Written by hand rather than with getopt
 * because options must stop at the first non-option word (KERNEL) without reordering argv:
 * what follows is the guest's, including its own "--" and dashes.
 */
#include "opts.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tender.h"

void opts_usage(const char *what)
{
    printf("usage: %s [--mem BYTES] [--net TAPNAME[,MAC]]... [--archive FILE] [--] "
           "KERNEL [CMDLINE...]\n"
           "%s\n"
           "BYTES takes K, M or G (default 32M); up to %d taps, each opened in the\n"
           "current network namespace. Exit status: the guest's, or 125 on a tender error.\n",
           tender_name, what, TENDER_NET_MAX);
}

int opts_parse_size(const char *text, size_t *bytes)
{
    if (*text < '0' || *text > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno)
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case 'K': case 'k': shift = 10; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    default: break;
    }
    if (*end != '\0' || value > (SIZE_MAX >> shift))
        return -1;
    *bytes = (size_t)value << shift;
    return 0;
}

/* Joins words with single spaces into a malloc'd string. Words are not quoted: a caller may
 * pass the whole guest command line as one word (the runtime does), quotes included. */
static char *join_words(char **words, int count)
{
    size_t len = 1;
    for (int i = 0; i < count; i++)
        len += strlen(words[i]) + 1;
    char *line = malloc(len);
    if (!line)
        return NULL;
    char *out = line;
    for (int i = 0; i < count; i++) {
        size_t n = strlen(words[i]);
        if (i > 0)
            *out++ = ' ';
        memcpy(out, words[i], n);
        out += n;
    }
    *out = '\0';
    return line;
}

/* The value of option `name` at argv[*i]: "--name=VALUE" or "--name VALUE"; NULL if absent. */
static const char *option_value(int argc, char **argv, int *i, const char *name, int *matched)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    *matched = 0;
    if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
        return NULL;
    *matched = 1;
    if (arg[n] == '=')
        return arg + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int parse_option(int argc, char **argv, int *i, struct opts *o)
{
    int matched;
    const char *value;

    if ((value = option_value(argc, argv, i, "--mem", &matched)) || matched) {
        if (!value)
            return tender_error("--mem needs a value");
        size_t bytes;
        if (opts_parse_size(value, &bytes) < 0 || bytes < OPTS_MIN_MEM || bytes > OPTS_MAX_MEM)
            return tender_error("--mem '%s': want a size from 1M to 64G (e.g. 8M)", value);
        o->mem = (bytes + 4095) & ~(size_t)4095;
        return 0;
    }
    if ((value = option_value(argc, argv, i, "--net", &matched)) || matched) {
        if (!value || !*value)
            return tender_error("--net needs TAPNAME[,MAC]");
        if (o->net_count == TENDER_NET_MAX)
            return tender_error("--net: at most %d NICs", TENDER_NET_MAX);
        o->nets[o->net_count++] = value;
        return 0;
    }
    if ((value = option_value(argc, argv, i, "--archive", &matched)) || matched) {
        if (!value || !*value)
            return tender_error("--archive needs a file");
        if (o->archive)
            return tender_error("--archive given twice");
        o->archive = value;
        return 0;
    }
    return tender_error("unknown option '%s' (see --help)", argv[*i]);
}

int opts_parse(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof(*o));
    o->mem = OPTS_DEFAULT_MEM;
    int i = 1;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            o->help = 1;
            return 0;
        }
        if (arg[0] != '-' || arg[1] == '\0')
            break; /* KERNEL */
        if (parse_option(argc, argv, &i, o) < 0)
            return -1;
    }
    if (i >= argc)
        return tender_error("missing KERNEL (usage: %s [--mem BYTES] [--net TAP[,MAC]]... "
                            "[--archive FILE] [--] KERNEL [CMDLINE...])", tender_name);
    o->kernel = argv[i++];
    if (!*o->kernel)
        return tender_error("KERNEL is an empty path");
    o->cmdline = join_words(argv + i, argc - i);
    if (!o->cmdline)
        return tender_error("out of memory");
    return 0;
}

void opts_free(struct opts *o)
{
    free(o->cmdline);
    o->cmdline = NULL;
}

int opts_setup(int argc, char **argv, struct opts *o, const char *what, int *status)
{
    if (opts_parse(argc, argv, o) < 0) {
        *status = TENDER_EXIT_ERROR;
    } else if (o->help) {
        opts_usage(what);
        *status = 0;
    } else {
        return 0;
    }
    opts_free(o);
    return -1;
}
