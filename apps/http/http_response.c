/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Response decisions and heads (see http_response.h). Files come from the archive through
 * files.h; a directory is recognised either by its archive entry or by an index.html below it,
 * so archives without directory entries serve the same way. Error pages are static strings.
 */
#include "http_response.h"

#include <stdio.h>
#include <string.h>
#include <unf/files.h>

#include "http_mime.h"
#include "http_path.h"

#define PAGE(code, text)                                                                          \
    "<html>\r\n<head><title>" code " " text "</title></head>\r\n<body>\r\n<center><h1>" code " " \
    text "</h1></center>\r\n<hr><center>unf-http</center>\r\n</body>\r\n</html>\r\n"

static const struct status {
    int code;
    const char *reason;
    const char *page;
} statuses[] = {
    {200, "OK", NULL},
    {301, "Moved Permanently", PAGE("301", "Moved Permanently")},
    {304, "Not Modified", NULL},
    {400, "Bad Request", PAGE("400", "Bad Request")},
    {403, "Forbidden", PAGE("403", "Forbidden")},
    {404, "Not Found", PAGE("404", "Not Found")},
    {405, "Method Not Allowed", PAGE("405", "Not Allowed")},
    {413, "Content Too Large", PAGE("413", "Request Entity Too Large")},
    {414, "URI Too Long", PAGE("414", "Request-URI Too Large")},
    {431, "Request Header Fields Too Large", PAGE("431", "Request Header Fields Too Large")},
    {500, "Internal Server Error", PAGE("500", "Internal Server Error")},
    {501, "Not Implemented", PAGE("501", "Not Implemented")},
    {505, "HTTP Version Not Supported", PAGE("505", "HTTP Version Not Supported")},
};

static const struct status *status_of(int code)
{
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
        if (statuses[i].code == code)
            return &statuses[i];
    }
    return status_of(500);
}

/* Appends formatted text to buf at *len; -1 once it no longer fits. */
static int append(char *buf, size_t cap, size_t *len, const char *fmt, const char *a, const char *b)
{
    if (*len >= cap)
        return -1;
    int n = snprintf(buf + *len, cap - *len, fmt, a, b);
    if (n < 0 || (size_t)n >= cap - *len)
        return -1;
    *len += (size_t)n;
    return 0;
}

struct head_fields {
    const char *type;
    size_t length;         /* Content-Length; omitted for 304 */
    const char *modified;  /* Last-Modified or NULL */
    const char *location;  /* Location or NULL */
};

static long write_head(const struct http_site *site, const struct status *st, const struct head_fields *h,
                       int keep_alive, char *buf, size_t cap)
{
    char code[8], length[24];
    size_t len = 0;
    snprintf(code, sizeof(code), "%d", st->code);
    snprintf(length, sizeof(length), "%zu", h->length);
    if (append(buf, cap, &len, "HTTP/1.1 %s %s\r\nServer: unf-http\r\n", code, st->reason) < 0)
        return -1;
    if (site->date[0] && append(buf, cap, &len, "Date: %s%s\r\n", site->date, "") < 0)
        return -1;
    if (st->code != 304 && (append(buf, cap, &len, "Content-Type: %s\r\nContent-Length: %s\r\n", h->type, length) < 0))
        return -1;
    if (h->modified && append(buf, cap, &len, "Last-Modified: %s%s\r\n", h->modified, "") < 0)
        return -1;
    if (h->location && append(buf, cap, &len, "Location: %s%s\r\n", h->location, "") < 0)
        return -1;
    if (st->code == 405 && append(buf, cap, &len, "Allow: GET, HEAD%s%s\r\n", "", "") < 0)
        return -1;
    if (append(buf, cap, &len, "Connection: %s%s\r\n\r\n", keep_alive ? "keep-alive" : "close", "") < 0)
        return -1;
    return (long)len;
}

static long reply_page(const struct http_site *site, int code, int head_only, int keep_alive, const char *location,
                       char *buf, size_t cap, struct http_reply *out)
{
    const struct status *st = status_of(code);
    struct head_fields h = {.type = "text/html", .length = strlen(st->page), .location = location};
    long n = write_head(site, st, &h, keep_alive, buf, cap);
    if (n < 0)
        return -1;
    *out = (struct http_reply){.status = st->code, .keep_alive = keep_alive,
                               .body = head_only ? NULL : st->page, .body_len = head_only ? 0 : h.length};
    return n;
}

long http_reply_error(const struct http_site *site, int status, int head_only, char *buf, size_t cap,
                      struct http_reply *out)
{
    return reply_page(site, status, head_only, 0, NULL, buf, cap, out);
}

/* The entry to serve for path: the file itself, or a directory's index.html. Returns 0 with
 * *file set, 301 (directory named without "/"), 403 (directory without index) or 404. */
static int locate(struct http_path *p, struct unf_file *file)
{
    char index[HTTP_PATH_MAX + 16];
    int found = unf_file_find(p->path, file) == 0;
    if (found && !file->is_dir)
        return p->dir_form ? 404 : 0;
    snprintf(index, sizeof(index), "%s%sindex.html", p->path, p->path[0] ? "/" : "");
    int has_index = unf_file_find(index, file) == 0 && !file->is_dir;
    if (!found && !has_index && p->path[0])
        return 404;
    if (!p->dir_form)
        return 301;
    return has_index ? 0 : 403;
}

long http_reply_request(const struct http_site *site, const struct http_request *req, char *buf,
                        size_t cap, struct http_reply *out)
{
    struct http_path p;
    struct unf_file file;
    int head_only = req->method == HTTP_HEAD;
    int status = http_path_resolve(req->target, req->target_len, &p);
    if (status)
        return reply_page(site, status, head_only, 0, NULL, buf, cap, out);
    if (req->method == HTTP_OTHER)
        return reply_page(site, 405, 0, req->keep_alive, NULL, buf, cap, out);
    status = locate(&p, &file);
    if (status == 301) {
        char location[3 * HTTP_PATH_MAX + 8];
        long n = http_path_encode(p.path, location, sizeof(location) - 1);
        if (n < 0)
            return reply_page(site, 414, head_only, 0, NULL, buf, cap, out);
        location[n++] = '/';
        location[n] = '\0';
        if (p.query && (size_t)n + 1 + p.query_len < sizeof(location))
            snprintf(location + n, sizeof(location) - (size_t)n, "?%.*s", (int)p.query_len, p.query);
        return reply_page(site, 301, head_only, req->keep_alive, location, buf, cap, out);
    }
    if (status)
        return reply_page(site, status, head_only, req->keep_alive, NULL, buf, cap, out);
    char modified[HTTP_DATE_LEN + 1];
    uint64_t mtime = file.mtime ? file.mtime : site->last_modified, since;
    http_date_format(mtime, modified);
    const struct status *st = status_of(200);
    if (req->ims && http_date_parse(req->ims, req->ims_len, &since) == 0 && mtime <= since)
        st = status_of(304);
    struct head_fields h = {.type = http_mime_type(file.path), .length = file.size, .modified = modified};
    long n = write_head(site, st, &h, req->keep_alive, buf, cap);
    if (n < 0)
        return -1;
    int with_body = st->code == 200 && !head_only && file.size > 0;
    *out = (struct http_reply){.status = st->code, .keep_alive = req->keep_alive,
                               .body = with_body ? file.data : NULL, .body_len = with_body ? file.size : 0};
    return n;
}
