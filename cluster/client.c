/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent API client over libcurl (see client.h). Unix sockets through
 * CURLOPT_UNIX_SOCKET_PATH with a placeholder host; no proxies (an agent is never behind one
 * and an environment's http_proxy must not capture local traffic); response bodies bounded.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define CLIENT_MAX_BODY (16u << 20)

int client_read_token(const char *file, char *buf, size_t len, char *err, size_t errlen)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read token file %s", file);
        return -1;
    }
    char *ok = fgets(buf, (int)len, f);
    fclose(f);
    if (!ok) {
        snprintf(err, errlen, "token file %s is empty", file);
        return -1;
    }
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        buf[--n] = '\0';
    if (n == 0) {
        snprintf(err, errlen, "token file %s is empty", file);
        return -1;
    }
    return 0;
}

int client_init(struct client *c, const char *url, const char *token_file, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    if (strncmp(url, "unix:", 5) == 0 && url[5] == '/' && strlen(url + 5) < sizeof c->socket) {
        snprintf(c->socket, sizeof c->socket, "%s", url + 5);
        snprintf(c->base, sizeof c->base, "http://localhost");
    } else if (strncmp(url, "http://", 7) == 0 && url[7] && strlen(url) < sizeof c->base &&
               !strpbrk(url + 7, "/?# ")) {
        snprintf(c->base, sizeof c->base, "%s", url);
    } else {
        snprintf(err, errlen, "bad agent address '%s' (want unix:/path.sock or http://ADDR:PORT)", url);
        return -1;
    }
    if (token_file && *token_file) {
        char tok[256];
        if (client_read_token(token_file, tok, sizeof tok, err, errlen) < 0)
            return -1;
        snprintf(c->auth, sizeof c->auth, "Authorization: Bearer %s", tok);
    }
    c->curl = curl_easy_init();
    if (!c->curl) {
        snprintf(err, errlen, "cannot initialise libcurl");
        return -1;
    }
    return 0;
}

void client_free(struct client *c)
{
    if (c->curl)
        curl_easy_cleanup(c->curl);
    c->curl = NULL;
}

struct buf {
    char *p;
    size_t n;
    int overflow;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct buf *b = ctx;
    size_t n = size * nmemb;
    if (b->n + n > CLIENT_MAX_BODY) {
        b->overflow = 1;
        return 0;
    }
    char *np = realloc(b->p, b->n + n + 1);
    if (!np)
        return 0;
    memcpy(np + b->n, data, n);
    b->p = np;
    b->n += n;
    b->p[b->n] = '\0';
    return n;
}

long client_call(struct client *c, const char *method, const char *path, const json_t *json,
                 long timeout_ms, char **body, char *err, size_t errlen)
{
    CURL *h = c->curl;
    struct buf b = {0};
    struct curl_slist *hdrs = NULL;
    char *payload = NULL;
    char url[1024];
    long status = -1;
    if (body)
        *body = NULL;
    snprintf(url, sizeof url, "%s%s", c->base, path);
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    if (c->socket[0])
        curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, c->socket);
    if (c->auth[0])
        hdrs = curl_slist_append(hdrs, c->auth);
    if (json) {
        payload = json_dumps(json, JSON_COMPACT);
        if (!payload) {
            snprintf(err, errlen, "cannot encode the request");
            goto out;
        }
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
    } else if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
    }
    /* No 100-continue round trip: bodies are small and the agent answers at once. */
    hdrs = curl_slist_append(hdrs, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s %s: %s", method, path, b.overflow ? "answer too large" : curl_easy_strerror(rc));
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (body) {
        *body = b.p ? b.p : strdup("");
        b.p = NULL;
    }
out:
    free(b.p);
    free(payload);
    curl_slist_free_all(hdrs);
    return status;
}

long client_call_json(struct client *c, const char *method, const char *path, const json_t *json,
                      long timeout_ms, json_t **out, char *err, size_t errlen)
{
    char *body = NULL;
    *out = NULL;
    long st = client_call(c, method, path, json, timeout_ms, &body, err, errlen);
    if (st < 0)
        return st;
    if (body && *body)
        *out = json_loads(body, 0, NULL);
    if (st < 200 || st > 299) {
        const char *e = json_string_value(json_object_get(*out, "error"));
        snprintf(err, errlen, "%s %s: HTTP %ld: %s", method, path, st, e ? e : "(no error text)");
    }
    free(body);
    return st;
}
