/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the HTTP request parser of apps/http and what the server does next with a
 * parsed request (target resolution, If-Modified-Since dates, Range and If-None-Match values),
 * on arbitrary bytes. A range that is served must lie inside the file. Requests come
 * from anyone on the network, so nothing may read outside the buffer, and a resolved path must
 * stay a plain archive path: no ".." segment, no leading "/", and encoding it then resolving it
 * again gives the same path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/http/http_cond.h"
#include "../../apps/http/http_date.h"
#include "../../apps/http/http_parse.h"
#include "../../apps/http/http_path.h"

static void check_path(const struct http_path *p)
{
    const char *s = p->path;
    if (s[0] == '/' || strlen(s) >= HTTP_PATH_MAX)
        abort();
    for (const char *seg = s; *seg;) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0 || (n == 2 && seg[0] == '.' && seg[1] == '.') || (n == 1 && seg[0] == '.'))
            abort(); /* empty, "." or ".." segment survived */
        seg += n + (end != NULL);
    }
    char url[3 * HTTP_PATH_MAX + 2];
    long n = http_path_encode(s, url, sizeof(url));
    struct http_path again;
    if (n < 0 || http_path_resolve(url, (size_t)n, &again) != 0 || strcmp(again.path, s) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1); /* exact size, so ASan sees any overread */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    size_t off = 0;
    for (int i = 0; i < 8 && off <= size; i++) { /* pipelined requests, as the server walks them */
        struct http_request req;
        int r = http_parse_request(copy + off, size - off, &req);
        if (r != HTTP_PARSE_OK)
            break;
        if (req.head_len > size - off || req.target < copy + off || req.target + req.target_len > copy + size)
            abort();
        struct http_path p;
        if (http_path_resolve(req.target, req.target_len, &p) == 0)
            check_path(&p);
        uint64_t t;
        char buf[HTTP_DATE_LEN + 1];
        if (req.ims && http_date_parse(req.ims, req.ims_len, &t) == 0) {
            http_date_format(t, buf);
            uint64_t back;
            if (http_date_parse(buf, HTTP_DATE_LEN, &back) != 0 || back != t)
                abort();
        }
        static const uint64_t sizes[] = {0, 1, 13, 4194304};
        for (size_t k = 0; req.range && k < sizeof(sizes) / sizeof(sizes[0]); k++) {
            uint64_t first, last;
            if (http_range_parse(req.range, req.range_len, sizes[k], &first, &last) == HTTP_RANGE_OK &&
                (first > last || last >= sizes[k]))
                abort();
        }
        if (req.inm) {
            char tag[HTTP_ETAG_MAX + 1];
            http_etag_format(req.inm_len, req.ims_len, http_content_hash(req.inm, req.inm_len), tag);
            (void)http_etag_match_any(req.inm, req.inm_len, tag);
        }
        if (req.body_len > size - off - req.head_len)
            break;
        off += req.head_len + req.body_len;
    }
    struct http_path p; /* the resolver on the raw bytes too */
    if (http_path_resolve(copy, size, &p) == 0)
        check_path(&p);
    free(copy);
    return 0;
}
