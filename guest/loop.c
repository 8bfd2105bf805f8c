/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The event loop: a binary min-heap of timers by deadline, and the backend's wait for I/O in
 * between. Shared by every target. Timers fire in deadline order; a timer started from a
 * callback never runs in the same pass, so a zero-delay timer cannot starve I/O.
 */
#include <stdlib.h>
#include <unf/loop.h>

#include "backend.h"

struct unf_timer {
    uint64_t deadline;
    uint64_t period;
    unf_timer_fn fn;
    void *arg;
    size_t slot; /* index in the heap; SIZE_MAX when not queued */
};

static unf_timer **heap;
static size_t heap_len, heap_cap;
static int loop_running, loop_status;

uint64_t unf_now_ns(void) { return backend_now_ns(); }
uint64_t unf_wall_ns(void) { return backend_wall_ns(); }

static void heap_place(size_t i, unf_timer *t)
{
    heap[i] = t;
    t->slot = i;
}

static void sift_up(size_t i)
{
    unf_timer *t = heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (heap[parent]->deadline <= t->deadline)
            break;
        heap_place(i, heap[parent]);
        i = parent;
    }
    heap_place(i, t);
}

static void sift_down(size_t i)
{
    unf_timer *t = heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= heap_len)
            break;
        if (child + 1 < heap_len && heap[child + 1]->deadline < heap[child]->deadline)
            child++;
        if (heap[child]->deadline >= t->deadline)
            break;
        heap_place(i, heap[child]);
        i = child;
    }
    heap_place(i, t);
}

static int heap_push(unf_timer *t)
{
    if (heap_len == heap_cap) {
        size_t cap = heap_cap ? heap_cap * 2 : 16;
        unf_timer **grown = realloc(heap, cap * sizeof(*grown));
        if (!grown)
            return -1;
        heap = grown;
        heap_cap = cap;
    }
    heap_place(heap_len++, t);
    sift_up(heap_len - 1);
    return 0;
}

static void heap_remove(unf_timer *t)
{
    size_t i = t->slot;
    unf_timer *last = heap[--heap_len];
    t->slot = SIZE_MAX;
    if (i == heap_len)
        return;
    heap_place(i, last);
    sift_down(i);
    sift_up(last->slot);
}

unf_timer *unf_timer_start(uint64_t delay_ns, uint64_t period_ns, unf_timer_fn fn, void *arg)
{
    unf_timer *t = malloc(sizeof(*t));
    if (!t)
        return NULL;
    t->deadline = unf_now_ns() + delay_ns;
    t->period = period_ns;
    t->fn = fn;
    t->arg = arg;
    if (heap_push(t) < 0) {
        free(t);
        return NULL;
    }
    return t;
}

void unf_timer_cancel(unf_timer *t)
{
    if (!t)
        return;
    if (t->slot != SIZE_MAX)
        heap_remove(t);
    free(t);
}

/* Runs the timers due at `now`; returns the next deadline (UINT64_MAX when none). */
static uint64_t run_due_timers(uint64_t now)
{
    while (heap_len > 0 && heap[0]->deadline <= now && loop_running) {
        unf_timer *t = heap[0];
        heap_remove(t);
        if (t->period) {
            /* Keep the cadence, but never queue a burst of catch-up runs. */
            t->deadline += t->period;
            if (t->deadline <= now)
                t->deadline = now + t->period;
            if (heap_push(t) < 0) {
                free(t);
                continue;
            }
            t->fn(t->arg);
        } else {
            unf_timer_fn fn = t->fn;
            void *arg = t->arg;
            free(t);
            fn(arg);
        }
    }
    return heap_len > 0 ? heap[0]->deadline : UINT64_MAX;
}

int unf_loop_run(void)
{
    loop_running = 1;
    loop_status = 0;
    while (loop_running) {
        uint64_t next = run_due_timers(unf_now_ns());
        if (!loop_running)
            break;
        backend_wait(next);
    }
    return loop_status;
}

void unf_loop_exit(int status)
{
    loop_status = status;
    loop_running = 0;
}
