/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the event loop's timers (guest/loop.c) on the native backend. */
#include <stdlib.h>
#include <unf/loop.h>

#include "check.h"

static int order[8], fired;
static unf_timer *periodic;
static int periodic_runs;

static void record(void *arg) { order[fired++] = (int)(long)arg; }

static void tick(void *arg)
{
    (void)arg;
    if (++periodic_runs == 3) {
        unf_timer_cancel(periodic);
        unf_loop_exit(42);
    }
}

static void stop(void *arg) { (void)arg; unf_loop_exit(0); }

static void never(void *arg) { (void)arg; order[fired++] = 99; }

int main(void)
{
    /* Started out of order; must fire by deadline. */
    unf_timer_start(30000000, 0, record, (void *)3L);
    unf_timer_start(10000000, 0, record, (void *)1L);
    unf_timer_start(20000000, 0, record, (void *)2L);
    unf_timer *cancelled = unf_timer_start(15000000, 0, never, NULL);
    unf_timer_cancel(cancelled);
    periodic = unf_timer_start(40000000, 5000000, tick, NULL);
    uint64_t start = unf_now_ns();
    int status = unf_loop_run();
    uint64_t took = unf_now_ns() - start;
    CHECK(status == 42, "loop.exit-status");
    CHECK(fired == 3, "loop.all-one-shots-fired-cancelled-did-not");
    CHECK(order[0] == 1 && order[1] == 2 && order[2] == 3, "loop.deadline-order");
    CHECK(periodic_runs == 3, "loop.periodic-runs");
    CHECK(took >= 50000000, "loop.does-not-fire-early");

    /* Many timers: the heap keeps them ordered. */
    fired = 0;
    for (long i = 0; i < 1000; i++)
        unf_timer_start((uint64_t)((i * 7919) % 1000) * 1000, 0, free, malloc(1));
    unf_timer_start(2000000, 0, stop, NULL);
    CHECK(unf_loop_run() == 0, "loop.thousand-timers");
    return CHECK_DONE();
}
