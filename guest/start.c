/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unikernel start: plat_app_main() turns the platform's start info into a running app. It sets
 * up the heap, splits the command line (double quotes group words), takes the leading
 * unf.KEY=VALUE options for itself (addresses: unf.ipN=A.B.C.D/LEN, unf.gwN=, unf.ip6_N=ADDR/64;
 * log level, argv[0]), brings up the network stack,
 * and calls the app's ordinary main(argc, argv).
 */
#include <platform.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/log.h>
#include <unf/net.h>

#include "alloc.h"
#include "net_lwip/stack.h"

#define MAX_ARGS 256

int main(int argc, char **argv);

/* Splits `line` in place into words; returns the count, -1 on too many or an open quote. */
static int split_words(char *line, char **words, int max)
{
    int count = 0;
    char *in = line;
    while (*in) {
        while (*in == ' ' || *in == '\t' || *in == '\n')
            in++;
        if (!*in)
            break;
        if (count == max)
            return -1;
        char *out = in;
        words[count++] = out;
        int quoted = 0;
        while (*in && (quoted || (*in != ' ' && *in != '\t' && *in != '\n'))) {
            if (*in == '"')
                quoted = !quoted;
            else
                *out++ = *in;
            in++;
        }
        if (quoted)
            return -1;
        if (*in)
            in++;
        *out = '\0';
    }
    return count;
}

static int parse_prefix(const char *text, uint32_t *addr, uint32_t *mask)
{
    char buf[32];
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t)(slash - text) : strlen(text);
    if (len >= sizeof(buf))
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (unf_ip4_parse(buf, addr) < 0)
        return -1;
    long prefix = 24;
    if (slash) {
        char *end;
        prefix = strtol(slash + 1, &end, 10);
        if (*end || end == slash + 1 || prefix < 0 || prefix > 32)
            return -1;
    }
    uint32_t host_mask = prefix ? 0xffffffffu << (32 - prefix) : 0;
    *mask = __builtin_bswap32(host_mask);
    return 0;
}

/* ADDR or ADDR/64 (lwIP treats a static IPv6 address's prefix as on-link /64, so no other
 * length is accepted rather than silently meaning /64). */
static int parse_prefix6(const char *text, struct stack_nic_config *nic)
{
    char buf[UNF_ADDR_TEXT];
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t)(slash - text) : strlen(text);
    unf_addr a;
    if (len >= sizeof(buf))
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (unf_addr_parse(buf, &a) < 0 || a.family != UNF_AF_IP6)
        return -1;
    if (slash && strcmp(slash + 1, "64") != 0)
        return -1;
    memcpy(nic->ip6, a.bytes, 16);
    nic->ip6_prefix = 64;
    nic->has_ip6 = 1;
    return 0;
}

/* Applies one unf.KEY=VALUE option; -1 when it is malformed. */
static int apply_option(const char *opt, struct stack_nic_config *nics, unsigned *nic_count,
                        const char **name)
{
    const char *eq = strchr(opt, '=');
    if (!eq)
        return -1;
    const char *key = opt + 4, *value = eq + 1;
    size_t key_len = (size_t)(eq - key);
    if (key_len == 4 && strncmp(key, "name", 4) == 0) {
        *name = value;
        return 0;
    }
    if (key_len == 3 && strncmp(key, "log", 3) == 0) {
        static const char *const levels[] = {"error", "warn", "info", "debug"};
        for (int i = 0; i < 4; i++)
            if (strcmp(value, levels[i]) == 0) {
                unf_log_set_level((enum unf_log_level)i);
                return 0;
            }
        return -1;
    }
    if (key_len == 5 && strncmp(key, "ip6_", 4) == 0 && key[4] >= '0' && key[4] < '0' + PLAT_NET_MAX) {
        unsigned nic = (unsigned)(key[4] - '0');
        if (nic + 1 > *nic_count)
            *nic_count = nic + 1;
        return parse_prefix6(value, &nics[nic]);
    }
    if (key_len == 3 && (strncmp(key, "ip", 2) == 0 || strncmp(key, "gw", 2) == 0) &&
        key[2] >= '0' && key[2] < '0' + PLAT_NET_MAX) {
        unsigned nic = (unsigned)(key[2] - '0');
        if (nic + 1 > *nic_count)
            *nic_count = nic + 1;
        if (key[0] == 'i')
            return parse_prefix(value, &nics[nic].addr, &nics[nic].netmask);
        return unf_ip4_parse(value, &nics[nic].gateway);
    }
    return -1;
}

int plat_app_main(const struct plat_start_info *si)
{
    static char *argv[MAX_ARGS + 2];
    static char *words[MAX_ARGS];
    struct stack_nic_config nics[PLAT_NET_MAX];
    unsigned nic_count = 0;
    const char *name = "app";

    alloc_init(si->heap_start, si->heap_size);
    stack_set_archive(si->archive, si->archive_size);
    srand((unsigned)(plat_clock_wall() ^ plat_clock_monotonic()));
    memset(nics, 0, sizeof(nics));

    char *line = strdup(si->cmdline ? si->cmdline : "");
    if (!line)
        plat_abort("start: no memory for the command line");
    int count = split_words(line, words, MAX_ARGS);
    if (count < 0) {
        fprintf(stderr, "unf: command line has an open quote or too many words\n");
        return 2;
    }
    int first = 0;
    for (; first < count && strncmp(words[first], "unf.", 4) == 0; first++) {
        if (apply_option(words[first], nics, &nic_count, &name) < 0) {
            fprintf(stderr, "unf: bad option '%s'\n", words[first]);
            return 2;
        }
    }
    if (first < count && strcmp(words[first], "--") == 0)
        first++;
    int argc = 0;
    argv[argc++] = (char *)name;
    for (int i = first; i < count; i++)
        argv[argc++] = words[i];
    argv[argc] = NULL;

    if (stack_init(nics, nic_count) < 0) {
        fprintf(stderr, "unf: network stack failed to start\n");
        return 125;
    }
    int status = main(argc, argv);
    fflush(stdout);
    return status;
}
