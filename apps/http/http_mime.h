/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Content-Type by file name extension, with the types Debian's nginx ships in mime.types for the
 * extensions a static site uses, so both servers label the same file alike.
 */
#ifndef HTTP_MIME_H
#define HTTP_MIME_H

/* The media type for `path` (matched on its last extension, case-insensitively);
 * "application/octet-stream" when unknown. */
const char *http_mime_type(const char *path);

#endif
