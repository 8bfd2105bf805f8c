/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Image fetching and the digest-named cache (see fetch.h): libcurl writes through a callback
 * that feeds an OpenSSL SHA-256 context and the temporary file; the size is capped so a hostile
 * server cannot fill the disk.
 */
#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sink {
    FILE *file;
    EVP_MD_CTX *md;
    long long bytes;
    int too_big, io_error;
};

int fetch_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *arg)
{
    struct sink *s = arg;
    size_t n = size * nmemb;
    if (s->bytes + (long long)n > FETCH_MAX_BYTES) {
        s->too_big = 1;
        return 0;
    }
    if (fwrite(data, 1, n, s->file) != n) {
        s->io_error = 1;
        return 0;
    }
    if (EVP_DigestUpdate(s->md, data, n) != 1) {
        s->io_error = 1;
        return 0;
    }
    s->bytes += (long long)n;
    return n;
}

static void hex(const unsigned char *d, unsigned len, char out[65])
{
    for (unsigned i = 0; i < len && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    out[64] = '\0';
}

/* Runs the transfer into s; 0 or -1 with err. */
static int transfer(const char *url, struct sink *s, char *err, size_t errlen)
{
    char fileurl[4200];
    if (url[0] == '/') {
        snprintf(fileurl, sizeof(fileurl), "file://%s", url);
        url = fileurl;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "fetch: cannot start libcurl");
        return -1;
    }
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);      /* threads: no SIGALRM for DNS timeouts */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (rc == CURLE_OK)
        return 0;
    if (s->too_big)
        snprintf(err, errlen, "fetch %.200s: larger than %lld MiB", url, FETCH_MAX_BYTES >> 20);
    else if (s->io_error)
        snprintf(err, errlen, "fetch %.200s: cannot write the cache", url);
    else
        snprintf(err, errlen, "fetch %.200s: %s", url, cerr[0] ? cerr : curl_easy_strerror(rc));
    return -1;
}

enum fetch_result fetch_image(const char *cache_dir, const char *url, const char *sha256, char *path, size_t pathlen,
                              char sha256_out[65], long long *fetched_bytes, char *err, size_t errlen)
{
    enum fetch_result result = FETCH_FAILED;
    char tmp[4096];
    struct sink s = {0};
    *fetched_bytes = 0;
    if (mkdir(cache_dir, 0755) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "cache %s: %s", cache_dir, strerror(errno));
        return FETCH_FAILED;
    }
    if (sha256[0]) {
        snprintf(path, pathlen, "%s/%s.unf", cache_dir, sha256);
        if (access(path, R_OK) == 0) {
            snprintf(sha256_out, 65, "%s", sha256);
            return FETCH_OK;
        }
    }
    snprintf(tmp, sizeof(tmp), "%s/.fetch-XXXXXX", cache_dir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cache %s: %s", cache_dir, strerror(errno));
        return FETCH_FAILED;
    }
    s.file = fdopen(fd, "w");
    s.md = EVP_MD_CTX_new();
    if (!s.file || !s.md || EVP_DigestInit_ex(s.md, EVP_sha256(), NULL) != 1) {
        snprintf(err, errlen, "fetch: out of memory");
        if (!s.file)
            close(fd);
        goto cleanup;
    }
    if (transfer(url, &s, err, errlen) < 0)
        goto cleanup;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    if (EVP_DigestFinal_ex(s.md, digest, &dlen) != 1 || dlen != 32) {
        snprintf(err, errlen, "fetch: cannot compute SHA-256");
        goto cleanup;
    }
    char got[65];
    hex(digest, dlen, got);
    if (sha256[0] && strcmp(got, sha256) != 0) {
        snprintf(err, errlen, "fetch %.200s: sha256 %s, expected %s", url, got, sha256);
        result = FETCH_MISMATCH;
        goto cleanup;
    }
    FILE *f = s.file;
    s.file = NULL;
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0; /* complete on disk before it is named */
    if (fclose(f) != 0 || bad) {
        snprintf(err, errlen, "cache %s: cannot write: %s", cache_dir, strerror(errno));
        goto cleanup;
    }
    snprintf(path, pathlen, "%s/%s.unf", cache_dir, got);
    if (chmod(tmp, 0644) < 0 || rename(tmp, path) < 0) {
        snprintf(err, errlen, "cache %s: %s", cache_dir, strerror(errno));
        goto cleanup;
    }
    tmp[0] = '\0';
    snprintf(sha256_out, 65, "%s", got);
    *fetched_bytes = s.bytes;
    result = FETCH_OK;
cleanup:
    if (s.file)
        fclose(s.file);
    if (tmp[0])
        unlink(tmp);
    EVP_MD_CTX_free(s.md);
    return result;
}
