/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Extension to media type table (see http_mime.h). A linear scan: the table is short and the
 * answer is needed once per response.
 */
#include "http_mime.h"

#include <string.h>
#include <strings.h>

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {"html", "text/html"}, {"htm", "text/html"}, {"shtml", "text/html"},
    {"css", "text/css"}, {"xml", "text/xml"}, {"txt", "text/plain"},
    {"js", "application/javascript"}, {"json", "application/json"},
    {"gif", "image/gif"}, {"jpeg", "image/jpeg"}, {"jpg", "image/jpeg"},
    {"png", "image/png"}, {"svg", "image/svg+xml"}, {"svgz", "image/svg+xml"},
    {"ico", "image/x-icon"}, {"webp", "image/webp"}, {"bmp", "image/x-ms-bmp"},
    {"woff", "font/woff"}, {"woff2", "font/woff2"}, {"pdf", "application/pdf"},
    {"wasm", "application/wasm"}, {"zip", "application/zip"}, {"gz", "application/octet-stream"},
    {"mp4", "video/mp4"}, {"webm", "video/webm"}, {"mp3", "audio/mpeg"},
    {"rss", "application/rss+xml"}, {"atom", "application/atom+xml"},
};

const char *http_mime_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
            if (strcasecmp(dot + 1, types[i].ext) == 0)
                return types[i].type;
        }
    }
    return "application/octet-stream";
}
