/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Response decisions and heads (see http_response.h). Files come from the archive through
 * files.h; a directory is recognised either by its archive entry or by an index.html below it,
 * so archives without directory entries serve the same way. Error pages are static strings.
 */
#include "http_response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/files.h>

#include "http_cond.h"
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
    {206, "Partial Content", NULL},
    {301, "Moved Permanently", PAGE("301", "Moved Permanently")},
    {304, "Not Modified", NULL},
    {400, "Bad Request", PAGE("400", "Bad Request")},
    {403, "Forbidden", PAGE("403", "Forbidden")},
    {404, "Not Found", PAGE("404", "Not Found")},
    {405, "Method Not Allowed", PAGE("405", "Not Allowed")},
    {413, "Content Too Large", PAGE("413", "Request Entity Too Large")},
    {414, "URI Too Long", PAGE("414", "Request-URI Too Large")},
    {416, "Range Not Satisfiable", PAGE("416", "Requested Range Not Satisfiable")},
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
    const char *etag;      /* ETag or NULL; a file's responses also say Accept-Ranges */
    const char *range;     /* Content-Range value or NULL */
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
    if (h->etag && append(buf, cap, &len, "ETag: %s\r\nAccept-Ranges: bytes%s\r\n", h->etag, "") < 0)
        return -1;
    if (h->range && append(buf, cap, &len, "Content-Range: %s%s\r\n", h->range, "") < 0)
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

static int hash_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct http_file_hash *)a)->data;
    uintptr_t y = (uintptr_t)((const struct http_file_hash *)b)->data;
    return x < y ? -1 : x > y;
}

struct hash_fill {
    struct http_file_hash *table;
    size_t n, cap;
};

static int hash_one(void *arg, const struct unf_file *f)
{
    struct hash_fill *fill = arg;
    if (f->is_dir)
        return 0;
    if (fill->n == fill->cap) {
        size_t cap = fill->cap ? 2 * fill->cap : 64;
        struct http_file_hash *t = realloc(fill->table, cap * sizeof(*t));
        if (!t)
            return -1;
        fill->table = t;
        fill->cap = cap;
    }
    fill->table[fill->n].data = f->data;
    fill->table[fill->n].hash = http_content_hash(f->data, f->size);
    fill->n++;
    return 0;
}

int http_site_hash_files(struct http_site *site)
{
    struct hash_fill fill = {0};
    if (unf_file_foreach(hash_one, &fill) != 0) {
        free(fill.table);
        return -1;
    }
    if (fill.n)
        qsort(fill.table, fill.n, sizeof(*fill.table), hash_cmp);
    site->hashes = fill.table;
    site->nhashes = fill.n;
    return 0;
}

void http_site_free_hashes(struct http_site *site)
{
    free((void *)site->hashes);
    site->hashes = NULL;
    site->nhashes = 0;
}

static uint64_t hash_of(const struct http_site *site, const struct unf_file *f)
{
    struct http_file_hash key = {.data = f->data};
    const struct http_file_hash *h =
        site->nhashes ? bsearch(&key, site->hashes, site->nhashes, sizeof(key), hash_cmp) : NULL;
    return h ? h->hash : http_content_hash(f->data, f->size);
}

/* If-Range (RFC 9110 13.1.5): the range applies when the value is our ETag (strong
 * comparison) or exactly our Last-Modified date. */
static int if_range_holds(const struct http_request *req, const char *etag, const char *modified)
{
    if (!req->if_range)
        return 1;
    size_t n = req->if_range_len;
    if (n && req->if_range[0] == '"')
        return n == strlen(etag) && memcmp(req->if_range, etag, n) == 0;
    return modified && n == strlen(modified) && memcmp(req->if_range, modified, n) == 0;
}

/* The heads of plain 200 answers (no validators, no range) recently built: that head depends
 * only on the file, the site's Date and Last-Modified and keep-alive, and formatting it (dates,
 * ETag, eight snprintf calls) was the bulk of the app's own work per keep-alive request. */
#define HEAD_MEMO_SLOTS 8
struct head_memo {
    const struct http_site *site;
    const void *data;
    size_t size;
    uint64_t mtime, last_modified;
    int keep_alive;
    char date[HTTP_DATE_LEN + 1];
    size_t len;
    char head[512];
};
static struct head_memo memo[HEAD_MEMO_SLOTS];

static struct head_memo *memo_slot(const struct unf_file *file, int keep_alive)
{
    return &memo[((uintptr_t)file->data / 8 + (unsigned)keep_alive) % HEAD_MEMO_SLOTS];
}

static int plain_request(const struct http_request *req)
{
    return !req->inm && !req->ims && !req->range && !req->if_range;
}

static int memo_matches(const struct head_memo *m, const struct http_site *site, const struct unf_file *file,
                        int keep_alive)
{
    return m->len && m->site == site && m->data == file->data && m->size == file->size &&
           m->mtime == file->mtime && m->last_modified == site->last_modified && m->keep_alive == keep_alive &&
           strcmp(m->date, site->date) == 0;
}

static void memo_store(const struct http_site *site, const struct unf_file *file, int keep_alive,
                       const char *head, size_t len)
{
    struct head_memo *m = memo_slot(file, keep_alive);
    if (len > sizeof(m->head))
        return;
    *m = (struct head_memo){.site = site, .data = file->data, .size = file->size, .mtime = file->mtime,
                            .last_modified = site->last_modified, .keep_alive = keep_alive, .len = len};
    memcpy(m->date, site->date, sizeof(m->date));
    memcpy(m->head, head, len);
}

/* A file: validators first (If-None-Match, and If-Modified-Since only without it, RFC 9110
 * 13.2.2), then a Range on GET (the only method ranges are defined for). */
static long reply_file(const struct http_site *site, const struct http_request *req, const struct unf_file *file,
                       char *buf, size_t cap, struct http_reply *out)
{
    int head_only = req->method == HTTP_HEAD;
    const struct head_memo *m = memo_slot(file, req->keep_alive);
    if (plain_request(req) && memo_matches(m, site, file, req->keep_alive)) {
        if (m->len > cap)
            return -1;
        memcpy(buf, m->head, m->len);
        int with_body = !head_only && file->size > 0;
        *out = (struct http_reply){.status = 200, .keep_alive = req->keep_alive,
                                   .body = with_body ? file->data : NULL, .body_len = with_body ? file->size : 0};
        return (long)m->len;
    }
    char modified[HTTP_DATE_LEN + 1], etag[HTTP_ETAG_MAX + 1], range[80];
    uint64_t mtime = file->mtime ? file->mtime : site->last_modified, since;
    if (mtime)
        http_date_format(mtime, modified);
    http_etag_format(file->size, mtime, hash_of(site, file), etag);
    int code = 200;
    if (req->inm) {
        if (http_etag_match_any(req->inm, req->inm_len, etag))
            code = 304;
    } else if (mtime && req->ims && http_date_parse(req->ims, req->ims_len, &since) == 0 && mtime <= since) {
        code = 304;
    }
    struct head_fields h = {.type = http_mime_type(file->path), .length = file->size,
                            .modified = mtime ? modified : NULL, .etag = etag};
    const uint8_t *body = file->data;
    uint64_t first = 0, last = 0;
    int r = code == 200 && req->method == HTTP_GET && req->range && if_range_holds(req, etag, h.modified)
                ? http_range_parse(req->range, req->range_len, file->size, &first, &last)
                : HTTP_RANGE_IGNORE;
    if (r == HTTP_RANGE_UNSATISFIABLE) {
        /* The error page, with the length the range was checked against. */
        snprintf(range, sizeof(range), "bytes */%zu", file->size);
        const struct status *st = status_of(416);
        struct head_fields e = {.type = "text/html", .length = strlen(st->page), .range = range};
        long n = write_head(site, st, &e, req->keep_alive, buf, cap);
        if (n < 0)
            return -1;
        *out = (struct http_reply){.status = 416, .keep_alive = req->keep_alive, .body = st->page,
                                   .body_len = e.length};
        return n;
    }
    if (r == HTTP_RANGE_OK) {
        code = 206;
        snprintf(range, sizeof(range), "bytes %llu-%llu/%zu", (unsigned long long)first,
                 (unsigned long long)last, file->size);
        h.range = range;
        h.length = (size_t)(last - first + 1);
        body += first;
    }
    long n = write_head(site, status_of(code), &h, req->keep_alive, buf, cap);
    if (n < 0)
        return -1;
    if (code == 200 && plain_request(req))
        memo_store(site, file, req->keep_alive, buf, (size_t)n);
    int with_body = code != 304 && !head_only && h.length > 0;
    *out = (struct http_reply){.status = code, .keep_alive = req->keep_alive,
                               .body = with_body ? body : NULL, .body_len = with_body ? h.length : 0};
    return n;
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
    return reply_file(site, req, &file, buf, cap, out);
}
