/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tender joining its instance's cgroup on a thread (see cgroup_join.h). Writing the pid to
 * cgroup.procs moves the whole process, whichever thread writes it.
 */
#include "cgroup_join.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tender.h"

static int write_pid(const char *path)
{
    char pid[24];
    int n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t w;
    do
        w = write(fd, pid, (size_t)n);
    while (w < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    errno = saved;
    return w == n ? 0 : -1;
}

static void *join_thread(void *arg)
{
    struct cgroup_join *j = arg;
    char *save = NULL;
    for (char *path = strtok_r(j->files, ":", &save); path; path = strtok_r(NULL, ":", &save)) {
        if (write_pid(path) < 0) {
            j->err = errno ? errno : EIO;
            snprintf(j->failed, sizeof(j->failed), "%s", path);
            break;
        }
    }
    return NULL;
}

int cgroup_join_start(struct cgroup_join *j)
{
    const char *files = getenv("UNF_CGROUP_PROCS");
    memset(j, 0, sizeof(*j));
    if (!files || !*files)
        return 0;
    if (strlen(files) >= sizeof(j->files))
        return tender_error("UNF_CGROUP_PROCS is too long");
    memcpy(j->files, files, strlen(files) + 1);
    int rc = pthread_create(&j->thread, NULL, join_thread, j);
    if (rc != 0)
        return tender_error("cannot start joining the cgroup: %s", strerror(rc));
    j->started = 1;
    return 0;
}

int cgroup_join_finish(struct cgroup_join *j)
{
    if (!j->started)
        return 0;
    j->started = 0;
    int rc = pthread_join(j->thread, NULL);
    if (rc != 0)
        return tender_error("cannot join the cgroup thread: %s", strerror(rc));
    if (j->err)
        return tender_error("cannot join the instance's cgroup (%s): %s", j->failed, strerror(j->err));
    return 0;
}
