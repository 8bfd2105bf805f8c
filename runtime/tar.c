/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ustar reader and writer (see tar.h). The reader trusts nothing: each header's checksum, magic,
 * octal fields, type and name are checked, every member must fit in the buffer, member names are
 * normalized and must stay inside the archive's tree, and duplicates are refused. The writer emits
 * POSIX ustar with fixed metadata so that the same inputs always give the same bytes.
 */
#include "tar.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Offsets of the ustar header fields. */
#define H_NAME 0
#define H_MODE 100
#define H_UID 108
#define H_GID 116
#define H_SIZE 124
#define H_MTIME 136
#define H_CHKSUM 148
#define H_TYPE 156
#define H_MAGIC 257
#define H_VERSION 263
#define H_PREFIX 345

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* An octal field: optional leading spaces, digits, then NULs or spaces up to the end. */
static int parse_octal(const uint8_t *field, size_t len, uint64_t *value)
{
    size_t i = 0;
    uint64_t v = 0;
    int digits = 0;
    while (i < len && field[i] == ' ')
        i++;
    for (; i < len && field[i] >= '0' && field[i] <= '7'; i++, digits++) {
        if (v > (UINT64_MAX >> 3))
            return -1;
        v = (v << 3) | (uint64_t)(field[i] - '0');
    }
    for (; i < len; i++)
        if (field[i] != '\0' && field[i] != ' ')
            return -1;
    if (!digits)
        return -1;
    *value = v;
    return 0;
}

static int checksum_ok(const uint8_t *h)
{
    uint64_t want;
    if (parse_octal(h + H_CHKSUM, 8, &want) != 0)
        return 0;
    /* Historic writers summed signed chars; accept either sum. */
    uint64_t usum = 0;
    int64_t ssum = 0;
    for (int i = 0; i < TAR_BLOCK; i++) {
        uint8_t c = (i >= H_CHKSUM && i < H_CHKSUM + 8) ? ' ' : h[i];
        usum += c;
        ssum += (signed char)c;
    }
    return want == usum || (int64_t)want == ssum;
}

static int is_zero_block(const uint8_t *h)
{
    for (int i = 0; i < TAR_BLOCK; i++)
        if (h[i])
            return 0;
    return 1;
}

/* Joins prefix and name (each bounded by its field, NUL-termination optional) into raw. */
static void raw_name(const uint8_t *h, int posix, char *raw, size_t rawlen)
{
    size_t plen = posix ? strnlen((const char *)h + H_PREFIX, 155) : 0;
    size_t nlen = strnlen((const char *)h + H_NAME, 100);
    size_t n = 0;
    if (plen && plen + 1 + nlen < rawlen) {
        memcpy(raw, h + H_PREFIX, plen);
        raw[plen] = '/';
        n = plen + 1;
    }
    memcpy(raw + n, h + H_NAME, nlen);
    raw[n + nlen] = '\0';
}

/* Normalizes raw into out: drops "." and empty components; refuses absolute paths, "..",
 * and control bytes. Returns NULL on success or the reason. */
static const char *normalize(const char *raw, char *out, size_t outlen)
{
    if (raw[0] == '/')
        return "absolute path";
    size_t n = 0;
    const char *p = raw;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t clen = end ? (size_t)(end - p) : strlen(p);
        if (clen == 2 && p[0] == '.' && p[1] == '.')
            return "path traversal ('..')";
        if (clen && !(clen == 1 && p[0] == '.')) {
            for (size_t i = 0; i < clen; i++)
                if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
                    return "control character in name";
            if (n + (n ? 1 : 0) + clen >= outlen)
                return "name too long";
            if (n)
                out[n++] = '/';
            memcpy(out + n, p, clen);
            n += clen;
        }
        p += clen;
        if (*p == '/')
            p++;
    }
    out[n] = '\0';
    return NULL;
}

static int cmp_member_ptr(const void *a, const void *b)
{
    const struct tar_member *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

static int check_duplicates(const struct tar_index *idx, char *err, size_t errlen)
{
    if (idx->count < 2)
        return 0;
    const struct tar_member **sorted = malloc(idx->count * sizeof *sorted);
    if (!sorted) {
        fail(err, errlen, "out of memory indexing archive");
        return -1;
    }
    for (size_t i = 0; i < idx->count; i++)
        sorted[i] = &idx->members[i];
    qsort(sorted, idx->count, sizeof *sorted, cmp_member_ptr);
    int rc = 0;
    for (size_t i = 1; i < idx->count; i++) {
        if (strcmp(sorted[i - 1]->name, sorted[i]->name) == 0) {
            fail(err, errlen, "duplicate member '%s'", sorted[i]->name);
            rc = -1;
            break;
        }
    }
    free(sorted);
    return rc;
}

static const char *type_name(uint8_t t)
{
    switch (t) {
    case '1': return "hard link";
    case '2': return "symlink";
    case '3': return "character device";
    case '4': return "block device";
    case '6': return "fifo";
    default: return "member of unknown type";
    }
}

/* What pax ('x') and GNU long-name ('L') headers say about the member that follows them. */
struct pending {
    char name[TAR_NAME_MAX + 2];
    int has_name;
    uint64_t size;
    int has_size;
};

/* One header's own fields, checked. */
struct header {
    uint8_t type;
    uint64_t size;
    char raw[TAR_NAME_MAX + 2];
};

static int read_header(const uint8_t *buf, size_t len, size_t off, struct header *hd, char *err,
                       size_t errlen)
{
    const uint8_t *h = buf + off;
    int posix = memcmp(h + H_MAGIC, "ustar\0", 6) == 0;
    int gnu = memcmp(h + H_MAGIC, "ustar  \0", 8) == 0;
    if (!posix && !gnu) {
        if (off == 0 && len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
            fail(err, errlen, "not a tar archive (gzip-compressed: gunzip it first)");
        else if (off == 0)
            fail(err, errlen, "not a tar archive");
        else
            fail(err, errlen, "corrupt archive (no ustar header at offset %zu)", off);
        return -1;
    }
    if (!checksum_ok(h)) {
        fail(err, errlen, "corrupt archive (bad header checksum at offset %zu)", off);
        return -1;
    }
    if (parse_octal(h + H_SIZE, 12, &hd->size) != 0) {
        fail(err, errlen, "corrupt archive (bad size field at offset %zu)", off);
        return -1;
    }
    hd->type = h[H_TYPE];
    raw_name(h, posix, hd->raw, sizeof hd->raw);
    return 0;
}

/* A GNU long name: the data is the next member's name, NUL-terminated or not. */
static int read_long_name(const uint8_t *data, uint64_t size, struct pending *p, size_t off,
                          char *err, size_t errlen)
{
    size_t n = strnlen((const char *)data, (size_t)size);
    if (n > TAR_NAME_MAX) {
        fail(err, errlen, "bad member name at offset %zu (name too long)", off);
        return -1;
    }
    memcpy(p->name, data, n);
    p->name[n] = '\0';
    p->has_name = 1;
    return 0;
}

/* pax records, "<len> <key>=<value>\n" each; only path and size matter here. */
static int read_pax(const uint8_t *data, uint64_t size, struct pending *p, size_t off, char *err,
                    size_t errlen)
{
    size_t pos = 0, total = (size_t)size;
    while (pos < total) {
        size_t rlen = 0, i = pos;
        while (i < total && data[i] >= '0' && data[i] <= '9' && rlen < total)
            rlen = rlen * 10 + (size_t)(data[i++] - '0');
        if (i == pos || i >= total || data[i] != ' ' || rlen > total - pos || rlen < i - pos + 3 ||
            data[pos + rlen - 1] != '\n')
            goto bad;
        const char *key = (const char *)data + i + 1;
        const char *end = (const char *)data + pos + rlen - 1;
        const char *eq = memchr(key, '=', (size_t)(end - key));
        if (!eq)
            goto bad;
        size_t klen = (size_t)(eq - key), vlen = (size_t)(end - eq - 1);
        if (klen == 4 && memcmp(key, "path", 4) == 0) {
            if (vlen > TAR_NAME_MAX || memchr(eq + 1, '\0', vlen)) {
                fail(err, errlen, "bad member name at offset %zu (name too long)", off);
                return -1;
            }
            memcpy(p->name, eq + 1, vlen);
            p->name[vlen] = '\0';
            p->has_name = 1;
        } else if (klen == 4 && memcmp(key, "size", 4) == 0) {
            uint64_t v = 0;
            if (vlen == 0 || vlen > 19)
                goto bad;
            for (size_t j = 0; j < vlen; j++) {
                if (eq[1 + j] < '0' || eq[1 + j] > '9')
                    goto bad;
                v = v * 10 + (uint64_t)(eq[1 + j] - '0');
            }
            p->size = v;
            p->has_size = 1;
        }
        pos += rlen;
    }
    return 0;
bad:
    fail(err, errlen, "corrupt archive (bad pax header at offset %zu)", off);
    return -1;
}

static int fits(size_t len, size_t off, uint64_t size, const char *name, char *err,
                size_t errlen)
{
    size_t left = len - off - TAR_BLOCK;
    uint64_t padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
    if (size <= left && padded <= left)
        return 0;
    fail(err, errlen, "truncated archive (member '%s' needs %llu bytes, %zu left)", name,
         (unsigned long long)padded, left);
    return -1;
}

/* A member header at off (with what pending headers said about it) into m. Sets *skip for the
 * archive's root directory "./", which carries nothing. */
static int make_member(const struct header *hd, const struct pending *p, size_t len, size_t off,
                       struct tar_member *m, int *skip, char *err, size_t errlen)
{
    const char *why = normalize(p->has_name ? p->name : hd->raw, m->name, sizeof m->name);
    if (why) {
        fail(err, errlen, "bad member name at offset %zu (%s)", off, why);
        return -1;
    }
    if (hd->type == '0' || hd->type == '\0' || hd->type == '7') {
        m->type = TAR_FILE;
    } else if (hd->type == '5') {
        m->type = TAR_DIR;
    } else {
        fail(err, errlen, "member '%s' is a %s (only regular files and directories allowed)",
             m->name, type_name(hd->type));
        return -1;
    }
    m->size = p->has_size ? p->size : hd->size;
    if (m->type == TAR_DIR && m->size != 0) {
        fail(err, errlen, "corrupt archive (directory '%s' has a size)", m->name);
        return -1;
    }
    if (fits(len, off, m->size, m->name, err, errlen) != 0)
        return -1;
    if (m->name[0] == '\0') {
        if (m->type != TAR_DIR) {
            fail(err, errlen, "bad member name at offset %zu (empty)", off);
            return -1;
        }
        *skip = 1;
    }
    m->offset = off + TAR_BLOCK;
    return 0;
}

static int grow(struct tar_index *idx, size_t *cap, char *err, size_t errlen)
{
    if (idx->count < *cap)
        return 0;
    if (idx->count == TAR_MAX_MEMBERS) {
        fail(err, errlen, "archive has more than %d members", TAR_MAX_MEMBERS);
        return -1;
    }
    size_t ncap = *cap ? *cap * 2 : 16;
    struct tar_member *nm = realloc(idx->members, ncap * sizeof *nm);
    if (!nm) {
        fail(err, errlen, "out of memory indexing archive");
        return -1;
    }
    idx->members = nm;
    *cap = ncap;
    return 0;
}

/* Handles the header at off; returns the offset of the next one, or 0 on error. */
static size_t step(struct tar_index *idx, size_t *cap, struct pending *p, const uint8_t *buf,
                   size_t len, size_t off, char *err, size_t errlen)
{
    struct header hd;
    if (read_header(buf, len, off, &hd, err, errlen) != 0)
        return 0;
    const uint8_t *data = buf + off + TAR_BLOCK;
    uint64_t size = hd.size;
    int rc = 0;
    switch (hd.type) {
    case 'x': case 'g': case 'L': case 'K':
        /* Extension headers: their own size field counts, and they must fit too. */
        if (fits(len, off, size, "(extended header)", err, errlen) != 0)
            return 0;
        if (hd.type == 'x')
            rc = read_pax(data, size, p, off, err, errlen);
        else if (hd.type == 'L')
            rc = read_long_name(data, size, p, off, err, errlen);
        break;
    default:
        if (grow(idx, cap, err, errlen) != 0)
            return 0;
        int skip = 0;
        struct tar_member *m = &idx->members[idx->count];
        rc = make_member(&hd, p, len, off, m, &skip, err, errlen);
        memset(p, 0, sizeof *p);
        if (rc == 0) {
            size = m->size;
            idx->count += !skip;
        }
        break;
    }
    if (rc != 0)
        return 0;
    return off + TAR_BLOCK + (size_t)((size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK);
}

int tar_index_build(struct tar_index *idx, const uint8_t *buf, size_t len, char *err,
                    size_t errlen)
{
    size_t cap = 0, off = 0;
    struct pending p;
    memset(&p, 0, sizeof p);
    idx->members = NULL;
    idx->count = 0;
    if (len < TAR_BLOCK) {
        fail(err, errlen, len ? "not a tar archive (%zu bytes, shorter than a header)"
                              : "not a tar archive (empty file)", len);
        return -1;
    }
    for (;;) {
        if (off == len) {
            fail(err, errlen, "truncated archive (no end-of-archive marker)");
            goto fail;
        }
        if (len - off < TAR_BLOCK) {
            fail(err, errlen, "truncated archive (partial header at offset %zu)", off);
            goto fail;
        }
        if (is_zero_block(buf + off)) {
            if (off == 0) {
                fail(err, errlen, "not a tar archive (starts with an empty block)");
                goto fail;
            }
            break;
        }
        if ((off = step(idx, &cap, &p, buf, len, off, err, errlen)) == 0)
            goto fail;
    }
    if (check_duplicates(idx, err, errlen) != 0)
        goto fail;
    return 0;
fail:
    tar_index_free(idx);
    return -1;
}

void tar_index_free(struct tar_index *idx)
{
    free(idx->members);
    idx->members = NULL;
    idx->count = 0;
}

const struct tar_member *tar_index_find(const struct tar_index *idx, const char *name)
{
    for (size_t i = 0; i < idx->count; i++)
        if (strcmp(idx->members[i].name, name) == 0)
            return &idx->members[i];
    return NULL;
}

/* Splits name (which may end in '/') into ustar's prefix and name fields. */
static int split_name(const char *name, size_t *prefix_len)
{
    size_t len = strlen(name);
    if (len <= 100) {
        *prefix_len = 0;
        return 0;
    }
    /* The last '/' (ignoring a trailing one) that leaves at most 100 bytes for the name. */
    for (size_t i = len - 1; i > 0; i--) {
        if (name[i] == '/' && i + 1 < len && len - i - 1 <= 100 && i <= 155) {
            *prefix_len = i;
            return 0;
        }
        if (len - i > 101)
            break;
    }
    return -1;
}

int tar_name_ok(const char *name)
{
    char norm[TAR_NAME_MAX + 1], withslash[TAR_NAME_MAX + 2];
    size_t prefix_len;
    size_t len = strnlen(name, TAR_NAME_MAX + 1);
    if (len == 0 || len >= TAR_NAME_MAX)
        return -1;
    if (normalize(name, norm, sizeof norm) != NULL || strcmp(norm, name) != 0)
        return -1;
    snprintf(withslash, sizeof withslash, "%s/", name);
    return split_name(withslash, &prefix_len);
}

void tar_writer_init(struct tar_writer *w, int fd)
{
    w->fd = fd;
    w->failed = 0;
}

static void write_all(struct tar_writer *w, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len && !w->failed) {
        ssize_t n = write(w->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            w->failed = n < 0 ? errno : EIO;
            return;
        }
        p += n;
        len -= (size_t)n;
    }
}

static void write_padding(struct tar_writer *w, uint64_t size)
{
    static const uint8_t zeros[TAR_BLOCK];
    size_t rem = (size_t)(size % TAR_BLOCK);
    if (rem)
        write_all(w, zeros, TAR_BLOCK - rem);
}

static int write_header(struct tar_writer *w, const char *name, uint8_t type, unsigned mode,
                        uint64_t size)
{
    uint8_t h[TAR_BLOCK];
    size_t prefix_len;
    if (w->failed)
        return -1;
    if (split_name(name, &prefix_len) != 0 || size > 077777777777ULL) {
        w->failed = split_name(name, &prefix_len) ? ENAMETOOLONG : EFBIG;
        return -1;
    }
    memset(h, 0, sizeof h);
    if (prefix_len) {
        memcpy(h + H_PREFIX, name, prefix_len);
        memcpy(h + H_NAME, name + prefix_len + 1, strlen(name) - prefix_len - 1);
    } else {
        memcpy(h + H_NAME, name, strlen(name));
    }
    snprintf((char *)h + H_MODE, 8, "%07o", mode & 07777);
    snprintf((char *)h + H_UID, 8, "%07o", 0);
    snprintf((char *)h + H_GID, 8, "%07o", 0);
    snprintf((char *)h + H_SIZE, 12, "%011llo", (unsigned long long)size);
    snprintf((char *)h + H_MTIME, 12, "%011o", 0);
    h[H_TYPE] = type;
    memcpy(h + H_MAGIC, "ustar\0", 6);
    memcpy(h + H_VERSION, "00", 2);
    memset(h + H_CHKSUM, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < TAR_BLOCK; i++)
        sum += h[i];
    snprintf((char *)h + H_CHKSUM, 8, "%06o", sum);
    h[H_CHKSUM + 7] = ' ';
    write_all(w, h, sizeof h);
    return w->failed ? -1 : 0;
}

int tar_writer_add_dir(struct tar_writer *w, const char *name)
{
    char dirname[TAR_NAME_MAX + 2];
    if (snprintf(dirname, sizeof dirname, "%s/", name) >= (int)sizeof dirname) {
        w->failed = ENAMETOOLONG;
        return -1;
    }
    return write_header(w, dirname, '5', 0755, 0);
}

int tar_writer_add_file(struct tar_writer *w, const char *name, unsigned mode, const void *data,
                        uint64_t size)
{
    if (write_header(w, name, '0', mode, size) != 0)
        return -1;
    write_all(w, data, (size_t)size);
    write_padding(w, size);
    return w->failed ? -1 : 0;
}

int tar_writer_finish(struct tar_writer *w)
{
    static const uint8_t zeros[2 * TAR_BLOCK];
    write_all(w, zeros, sizeof zeros);
    if (w->failed) {
        errno = w->failed;
        return -1;
    }
    return 0;
}
