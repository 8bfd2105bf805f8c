/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The log of unf-oci (see log.h): stderr for people, the --log file for engines. The file is
 * opened in append mode for each record, so the holder process and later commands can share it
 * without keeping descriptors open across exec.
 */
#include "log.h"

#include "state.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *log_path;
static int log_json;
static int log_debug;

void oci_log_init(const char *path, int json, int debug)
{
    log_path = path;
    log_json = json;
    log_debug = debug;
}

static void write_record(const char *level, const char *msg)
{
    if (!log_path || !*log_path)
        return;
    int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    char when[64];
    oci_now_rfc3339(when, sizeof(when));
    char *line = NULL;
    if (log_json) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", when);
        line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
    } else {
        json_t *s = json_string(msg); /* quoting and escaping as in JSON, like logrus text */
        char *quoted = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
        json_decref(s);
        if (quoted && asprintf(&line, "time=\"%s\" level=%s msg=%s", when, level, quoted) < 0)
            line = NULL;
        free(quoted);
    }
    if (line) {
        size_t n = strlen(line);
        line[n] = '\n'; /* json_dumps leaves room for the NUL we overwrite */
        if (write(fd, line, n + 1) < 0) { /* nothing better to do with a failed log write */ }
        free(line);
    }
    close(fd);
}

void oci_log_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++) /* one line, whatever a tool printed */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(stderr, "unf-oci: %s\n", msg);
    write_record("error", msg);
}

void oci_log_debug(const char *fmt, ...)
{
    if (!log_debug)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    write_record("debug", msg);
}
