/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's NICs: taps in the tender's (= the instance's) network namespace, opened with
 * TUNSETIFF as IFF_TAP|IFF_NO_PI and non-blocking, so one read or write moves one Ethernet
 * frame. The MAC is the one given or a random locally administered unicast one.
 */
#ifndef UNF_TENDER_TAP_H
#define UNF_TENDER_TAP_H

#include <stdint.h>

struct tap_info {
    int fd;         /* non-blocking: one read or write moves one frame */
    uint32_t mtu;   /* IP MTU (TENDER_MTU) */
    uint8_t mac[6];
};

#define TAP_NAME_MAX 16 /* IFNAMSIZ: a link name and its NUL */

/* Splits "NAME[,MAC]" into the link name and a MAC (the one given, else a random locally
 * administered unicast one). -1 (error reported) when malformed. */
int tap_spec_parse(const char *spec, char name[TAP_NAME_MAX], uint8_t mac[6]);

/* Opens the tap described by spec ("TAPNAME[,MAC]") and fills *net (fd, MAC, MTU).
 * -1 (error reported) on failure; nothing is left open then. */
int tap_open(const char *spec, struct tap_info *net);

/* Parses "aa:bb:cc:dd:ee:ff" into mac; -1 when malformed or not a unicast address. */
int tap_parse_mac(const char *text, uint8_t mac[6]);

#endif
