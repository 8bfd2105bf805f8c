/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench router`: forwarded packets per second of the router unikernel (apps/router) on the
 * proc platform against Linux IPv4 forwarding, each between a source and a sink namespace on
 * veth pairs, under the same bounded UDP load (bench/router_gen.c) at fixed offered rates and at
 * the most one core can offer. Reports forwarded pps, loss, the router's CPU per packet and the
 * ratio to Linux with a verdict (issue 10's router target).
 */
#ifndef BENCH_ROUTER_H
#define BENCH_ROUTER_H

/* argv starts at "router". Returns the exit status (0 ok, 1 error, 2 usage). */
int bench_router_main(int argc, char **argv);

#endif
