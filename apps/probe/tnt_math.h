/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tnt_math: the per-hop quantities of TNT (IPv4): initial TTL inference, return path lengths
 * of time-exceeded and echo replies, FRPLA, UTURN and RTLA, and the echo-reply TTL vote.
 * A TTL of 0 means "no reply" everywhere. Pure functions.
 */
#ifndef PROBE_TNT_MATH_H
#define PROBE_TNT_MATH_H

#include <stddef.h>
#include <stdint.h>

/* Initial TTL: the next of 32, 64, 128, 255 at or above t (0 for t == 0). */
int tnt_math_ittl(int t);
/* Return path length ittl(t) - t + 1 (0 for t == 0). */
int tnt_math_ret(int t);
/* Most frequent TTL among n (zeros ignored); a tie goes to the higher TTL; 0 when none. */
int tnt_math_vote(const uint8_t *ttls, size_t n);
/* ret_te - probe_ttl (0 without a time-exceeded TTL). */
int tnt_math_frpla(int te, int probe_ttl);
/* ret_te - ret_er (0 without an echo reply or without te). */
int tnt_math_uturn(int te, int er);
/* ret_te - ret_er when ittl(te) == 255 and ittl(er) != 255, else 0. */
int tnt_math_rtla(int te, int er);
/* 1 when RTLA applies at all (both replies, ittl(te) == 255, ittl(er) != 255). */
int tnt_math_rtla_applies(int te, int er);

#endif
