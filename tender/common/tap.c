/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Opening the guest's taps (see tap.h). The tap normally exists already (the runtime created
 * it, or `ip tuntap add`); TUNSETIFF attaches to it, or creates a transient one when the name
 * is free and we may. MACs are chosen here because the guest has no entropy source of its own.
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "tender.h"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int tap_parse_mac(const char *text, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(text[0]), lo = hi < 0 ? -1 : hex_digit(text[1]);
        if (hi < 0 || lo < 0)
            return -1;
        mac[i] = (uint8_t)(hi << 4 | lo);
        text += 2;
        if (i < 5 && *text++ != ':')
            return -1;
    }
    if (*text != '\0' || (mac[0] & 1))
        return -1;
    return 0;
}

static int random_mac(uint8_t mac[6])
{
    ssize_t n;
    do
        n = getrandom(mac, 6, 0);
    while (n < 0 && errno == EINTR);
    if (n != 6)
        return -1;
    mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02); /* unicast, locally administered */
    return 0;
}

int tap_spec_parse(const char *spec, char name[TAP_NAME_MAX], uint8_t mac[6])
{
    const char *comma = strchr(spec, ',');
    size_t name_len = comma ? (size_t)(comma - spec) : strlen(spec);

    if (name_len == 0 || name_len >= TAP_NAME_MAX)
        return tender_error("--net '%s': link name must be 1 to %d characters", spec, TAP_NAME_MAX - 1);
    memcpy(name, spec, name_len);
    name[name_len] = '\0';
    if (strchr(name, ':') || strchr(name, '/'))
        return tender_error("--net '%s': bad link name '%s'", spec, name);
    if (comma) {
        if (tap_parse_mac(comma + 1, mac) < 0)
            return tender_error("--net '%s': bad MAC (want unicast aa:bb:cc:dd:ee:ff)", spec);
    } else if (random_mac(mac) < 0) {
        return tender_error("--net '%s': no random bytes for a MAC: %s", spec, strerror(errno));
    }
    return 0;
}

int tap_open(const char *spec, struct tap_info *net)
{
    char name[TAP_NAME_MAX];
    int fd = -1;

    memset(net, 0, sizeof(*net));
    if (tap_spec_parse(spec, name, net->mac) < 0)
        return -1;
    fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return tender_error("tap %s: /dev/net/tun: %s", name, strerror(errno));
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, name, strlen(name));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int err = errno;
        close(fd);
        return tender_error("tap %s: TUNSETIFF: %s", name, strerror(err));
    }
    net->fd = fd;
    net->mtu = TENDER_MTU;
    return 0;
}
