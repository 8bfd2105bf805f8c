/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libc subset (unikernels): printf-family formatting and console output. One formatting
 * engine writes through a sink (string buffer or console buffer). Supports flags "-+ #0",
 * width and precision (also "*"), length modifiers hh h l ll z j t, and conversions
 * d i u x X o c s p % and f (fixed notation, enough for measurements). stdout and stderr both go
 * to the console; stdout is line-buffered so lines from one printf stay whole.
 */
#include <platform.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct unf_libc_file {
    char buf[512];
    size_t used;
    int line_buffered;
};

static struct unf_libc_file out_file = {.line_buffered = 1};
static struct unf_libc_file err_file = {.line_buffered = 0};
FILE *const stdout = &out_file;
FILE *const stderr = &err_file;

struct sink {
    char *buf;      /* string sink; NULL for a FILE sink */
    size_t size;
    FILE *file;
    size_t written; /* what the whole output would be (snprintf's return value) */
};

int fflush(FILE *f)
{
    if (f->used) {
        plat_console_write(f->buf, f->used);
        f->used = 0;
    }
    return 0;
}

static void file_put(FILE *f, const char *s, size_t n)
{
    while (n > 0) {
        size_t room = sizeof(f->buf) - f->used;
        size_t chunk = n < room ? n : room;
        memcpy(f->buf + f->used, s, chunk);
        f->used += chunk;
        s += chunk;
        n -= chunk;
        if (f->used == sizeof(f->buf))
            fflush(f);
    }
}

static void sink_put(struct sink *k, const char *s, size_t n)
{
    if (k->file) {
        file_put(k->file, s, n);
    } else if (k->written + 1 < k->size) {
        size_t room = k->size - 1 - k->written;
        memcpy(k->buf + k->written, s, n < room ? n : room);
    }
    k->written += n;
}

static void sink_pad(struct sink *k, char c, int count)
{
    char block[16];
    memset(block, c, sizeof(block));
    while (count > 0) {
        int chunk = count < 16 ? count : 16;
        sink_put(k, block, (size_t)chunk);
        count -= chunk;
    }
}

struct spec {
    int left, plus, space, alt, zero;
    int width, precision; /* precision -1: none */
};

/* Emits a converted number body `digits` with sign/prefix, honoring width, zero pad, precision. */
static void emit_number(struct sink *k, const struct spec *sp, const char *prefix, const char *digits,
                        size_t ndigits)
{
    size_t nprefix = strlen(prefix);
    int zeros = 0;
    if (sp->precision >= 0 && (size_t)sp->precision > ndigits)
        zeros = sp->precision - (int)ndigits;
    int total = (int)(nprefix + ndigits) + zeros;
    int pad = sp->width > total ? sp->width - total : 0;
    if (sp->zero && !sp->left && sp->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!sp->left)
        sink_pad(k, ' ', pad);
    sink_put(k, prefix, nprefix);
    sink_pad(k, '0', zeros);
    sink_put(k, digits, ndigits);
    if (sp->left)
        sink_pad(k, ' ', pad);
}

static size_t utoa(char *end, unsigned long long v, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return (size_t)(end - p);
}

static void emit_integer(struct sink *k, struct spec *sp, char conv, unsigned long long v, int negative)
{
    char buf[24];
    unsigned base = (conv == 'x' || conv == 'X' || conv == 'p') ? 16 : conv == 'o' ? 8 : 10;
    size_t n = utoa(buf + sizeof(buf), v, base, conv == 'X');
    const char *prefix = "";
    if (negative)
        prefix = "-";
    else if (sp->plus && (conv == 'd' || conv == 'i'))
        prefix = "+";
    else if (sp->space && (conv == 'd' || conv == 'i'))
        prefix = " ";
    else if ((sp->alt && v != 0 && (conv == 'x' || conv == 'X')) || conv == 'p')
        prefix = conv == 'X' ? "0X" : "0x";
    else if (sp->alt && conv == 'o' && v != 0)
        prefix = "0";
    if (sp->precision == 0 && v == 0)
        n = 0;
    emit_number(k, sp, prefix, buf + sizeof(buf) - n, n);
}

#ifdef UNF_GUEST_FLOAT
/* Guests are built without SSE (-mgeneral-regs-only: some software hypervisors cannot emulate SSE
 * in ring 0, and kernels need no floating point); a guest that wants %f opts in with
 * -DUNF_GUEST_FLOAT and SSE enabled. */
static void emit_double(struct sink *k, struct spec *sp, double v)
{
    char buf[48];
    int precision = sp->precision < 0 ? 6 : sp->precision > 9 ? 9 : sp->precision;
    int negative = v < 0;
    if (negative)
        v = -v;
    if (v != v || v > 1e18) { /* NaN or beyond what this simple printer handles */
        struct spec plain = *sp;
        plain.precision = -1;
        emit_number(k, &plain, negative ? "-" : "", v != v ? "nan" : "inf", 3);
        return;
    }
    unsigned long long scale = 1;
    for (int i = 0; i < precision; i++)
        scale *= 10;
    unsigned long long whole = (unsigned long long)v;
    unsigned long long frac = (unsigned long long)((v - (double)whole) * (double)scale + 0.5);
    if (frac >= scale) {
        whole++;
        frac -= scale;
    }
    char *end = buf + sizeof(buf), *p = end;
    if (precision > 0) {
        for (int i = 0; i < precision; i++) {
            *--p = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--p = '.';
    }
    p -= utoa(p, whole, 10, 0);
    struct spec num = *sp;
    num.precision = -1;
    emit_number(k, &num, negative ? "-" : sp->plus ? "+" : "", p, (size_t)(end - p));
}
#endif

static void format(struct sink *k, const char *fmt, va_list ap)
{
    while (*fmt) {
        if (*fmt != '%') {
            const char *next = strchr(fmt, '%');
            size_t n = next ? (size_t)(next - fmt) : strlen(fmt);
            sink_put(k, fmt, n);
            fmt += n;
            continue;
        }
        fmt++;
        struct spec sp = {.precision = -1};
        for (;; fmt++) {
            if (*fmt == '-') sp.left = 1;
            else if (*fmt == '+') sp.plus = 1;
            else if (*fmt == ' ') sp.space = 1;
            else if (*fmt == '#') sp.alt = 1;
            else if (*fmt == '0') sp.zero = 1;
            else break;
        }
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = 1;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                sp.width = sp.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            sp.precision = 0;
            if (*fmt == '*') {
                sp.precision = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    sp.precision = sp.precision * 10 + (*fmt++ - '0');
            }
        }
        int longness = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t / intmax */
        for (;; fmt++) {
            if (*fmt == 'h') longness--;
            else if (*fmt == 'l') longness++;
            else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't') longness = 2;
            else break;
        }
        char conv = *fmt ? *fmt++ : '\0';
        switch (conv) {
        case 'd': case 'i': {
            long long v = longness >= 1 ? (longness == 1 ? va_arg(ap, long) : va_arg(ap, long long))
                                        : va_arg(ap, int);
            if (longness == -1) v = (short)v;
            if (longness <= -2) v = (signed char)v;
            emit_integer(k, &sp, conv, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
            break;
        }
        case 'u': case 'x': case 'X': case 'o': {
            unsigned long long v = longness >= 1
                ? (longness == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned long long))
                : va_arg(ap, unsigned);
            if (longness == -1) v = (unsigned short)v;
            if (longness <= -2) v = (unsigned char)v;
            emit_integer(k, &sp, conv, v, 0);
            break;
        }
        case 'p':
            emit_integer(k, &sp, 'p', (uintptr_t)va_arg(ap, void *), 0);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            struct spec s = sp;
            s.precision = -1;
            s.zero = 0;
            emit_number(k, &s, "", &c, 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            size_t n = sp.precision >= 0 ? strnlen(s, (size_t)sp.precision) : strlen(s);
            struct spec plain = sp;
            plain.precision = -1;
            plain.zero = 0;
            emit_number(k, &plain, "", s, n);
            break;
        }
        case 'f': case 'F': case 'g': case 'e':
#ifdef UNF_GUEST_FLOAT
            emit_double(k, &sp, va_arg(ap, double));
#else
            sink_put(k, "%?", 2); /* no floating point in this guest: no argument was passed */
#endif
            break;
        case '%':
            sink_put(k, "%", 1);
            break;
        default: /* unknown conversion: print it as is, so the mistake shows */
            sink_put(k, "%", 1);
            if (conv)
                sink_put(k, &conv, 1);
            else
                return;
        }
    }
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
    struct sink k = {.buf = buf, .size = size};
    format(&k, fmt, ap);
    if (size > 0)
        buf[k.written < size ? k.written : size - 1] = '\0';
    return (int)k.written;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void flush_lines(FILE *f)
{
    if (!f->line_buffered || (f->used && memchr(f->buf, '\n', f->used)))
        fflush(f);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
    struct sink k = {.file = f};
    if (f == stderr)
        fflush(stdout); /* keep the order the program wrote in */
    format(&k, fmt, ap);
    flush_lines(f);
    return (int)k.written;
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *restrict fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

size_t fwrite(const void *restrict data, size_t size, size_t count, FILE *restrict f)
{
    file_put(f, data, size * count);
    flush_lines(f);
    return count;
}

int fputs(const char *restrict s, FILE *restrict f)
{
    fwrite(s, 1, strlen(s), f);
    return 0;
}

int fputc(int c, FILE *f)
{
    char ch = (char)c;
    fwrite(&ch, 1, 1, f);
    return (unsigned char)c;
}

int putchar(int c) { return fputc(c, stdout); }

int puts(const char *s)
{
    fputs(s, stdout);
    return fputc('\n', stdout) == EOF ? EOF : 0;
}
