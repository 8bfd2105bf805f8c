/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tnt_math: the formulas of TNT's per-hop signature (Vanaubel et al., TMA 2019). Each router
 * starts its replies from an initial TTL; the distance a reply travelled back is ittl - ttl + 1.
 * Comparing time-exceeded and echo-reply return paths, and the forward probe TTL, exposes the
 * LSRs an MPLS tunnel hides from the IP TTL.
 */
#include "tnt_math.h"

int tnt_math_ittl(int t)
{
    if (t <= 0)
        return 0;
    if (t > 128)
        return 255;
    if (t > 64)
        return 128;
    if (t > 32)
        return 64;
    return 32;
}

int tnt_math_ret(int t)
{
    return t <= 0 ? 0 : tnt_math_ittl(t) - t + 1;
}

int tnt_math_vote(const uint8_t *ttls, size_t n)
{
    int best = 0;
    size_t best_count = 0;
    for (size_t i = 0; i < n; i++) {
        if (ttls[i] == 0)
            continue;
        size_t count = 0;
        for (size_t j = 0; j < n; j++)
            count += ttls[j] == ttls[i];
        if (count > best_count || (count == best_count && ttls[i] > best)) {
            best = ttls[i];
            best_count = count;
        }
    }
    return best;
}

int tnt_math_frpla(int te, int probe_ttl)
{
    return te <= 0 ? 0 : tnt_math_ret(te) - probe_ttl;
}

int tnt_math_uturn(int te, int er)
{
    return te <= 0 || er <= 0 ? 0 : tnt_math_ret(te) - tnt_math_ret(er);
}

int tnt_math_rtla_applies(int te, int er)
{
    return te > 0 && er > 0 && tnt_math_ittl(te) == 255 && tnt_math_ittl(er) != 255;
}

int tnt_math_rtla(int te, int er)
{
    return tnt_math_rtla_applies(te, er) ? tnt_math_ret(te) - tnt_math_ret(er) : 0;
}
