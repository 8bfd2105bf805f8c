/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Error and debug reporting of unf-oci. Engines read a runtime's failure from its stderr and
 * from the file given with --log (conmon passes --log-format json and shows the last "msg"), so
 * every error is one line on stderr and one record in the log: JSON {"level","msg","time"} or
 * text `time="..." level=error msg="..."`, as runc writes them. --debug adds debug records.
 */
#ifndef OCI_LOG_H
#define OCI_LOG_H

/* path may be NULL (stderr only); json: 1 for --log-format json. */
void oci_log_init(const char *path, int json, int debug);

/* One error line "unf-oci: MSG" on stderr and an error record in the log. */
void oci_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A debug record in the log (only with --debug); never on stderr. */
void oci_log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
