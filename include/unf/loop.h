/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The event loop apps run on: one thread, timers plus network readiness, callbacks only.
 * The same API on every target: unikernel (platform clock + plat_yield) and native (epoll).
 */
#ifndef UNF_LOOP_H
#define UNF_LOOP_H

#include <stdint.h>

/* Monotonic and wall-clock time in nanoseconds. */
uint64_t unf_now_ns(void);
uint64_t unf_wall_ns(void);

typedef struct unf_timer unf_timer;
typedef void (*unf_timer_fn)(void *arg);

/* Calls fn(arg) after delay_ns, then every period_ns if period_ns > 0 (until cancelled).
 * A one-shot timer frees itself after firing; do not cancel it afterwards. NULL on no memory. */
unf_timer *unf_timer_start(uint64_t delay_ns, uint64_t period_ns, unf_timer_fn fn, void *arg);
void unf_timer_cancel(unf_timer *t);

/* Runs the loop until unf_loop_exit() is called; returns its status. */
int unf_loop_run(void);
void unf_loop_exit(int status);

#endif
