/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTP date formatting and parsing (see http_date.h). Calendar conversion uses the proleptic
 * Gregorian calendar with years shifted to start in March, so the leap day falls at the end of
 * the shifted year and each month's start is a fixed linear function of its index.
 */
#include "http_date.h"

#include <string.h>

static const char days[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; /* from 1970-01-01 */
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const long_days[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};

/* Days since 1970-01-01 of the given civil date (month 1..12). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

void http_date_format(uint64_t seconds, char *out)
{
    if (seconds > 253402300799ull)
        seconds = 253402300799ull; /* 9999-12-31 23:59:59 keeps four digits */
    int64_t day = (int64_t)(seconds / 86400);
    unsigned sod = (unsigned)(seconds % 86400);
    int64_t y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    memcpy(out, days[day % 7], 3);
    memcpy(out + 3, ", ", 2);
    put2(out + 5, d);
    out[7] = ' ';
    memcpy(out + 8, months[m - 1], 3);
    out[11] = ' ';
    put2(out + 12, (unsigned)(y / 100));
    put2(out + 14, (unsigned)(y % 100));
    out[16] = ' ';
    put2(out + 17, sod / 3600);
    out[19] = ':';
    put2(out + 20, sod / 60 % 60);
    out[22] = ':';
    put2(out + 23, sod % 60);
    memcpy(out + 25, " GMT", 5);
}

/* Reads exactly `width` decimal digits. */
static int digits(const char *s, size_t n, size_t *pos, size_t width, unsigned *out)
{
    unsigned v = 0;
    size_t i = *pos, k = 0;
    for (; i < n && k < width; i++, k++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (k != width)
        return -1;
    *pos = i;
    *out = v;
    return 0;
}

static int expect(const char *s, size_t n, size_t *pos, const char *lit)
{
    size_t l = strlen(lit);
    if (n - *pos < l || memcmp(s + *pos, lit, l) != 0)
        return -1;
    *pos += l;
    return 0;
}

static int month_of(const char *s, size_t n, size_t *pos, unsigned *m)
{
    for (unsigned i = 0; i < 12; i++) {
        if (expect(s, n, pos, months[i]) == 0) {
            *m = i + 1;
            return 0;
        }
    }
    return -1;
}

static int time_of_day(const char *s, size_t n, size_t *pos, unsigned *hh, unsigned *mm, unsigned *ss)
{
    if (digits(s, n, pos, 2, hh) || expect(s, n, pos, ":") || digits(s, n, pos, 2, mm) ||
        expect(s, n, pos, ":") || digits(s, n, pos, 2, ss))
        return -1;
    return *hh < 24 && *mm < 60 && *ss < 61 ? 0 : -1;
}

static int combine(int64_t y, unsigned m, unsigned d, unsigned hh, unsigned mm, unsigned ss, uint64_t *out)
{
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || d < 1 || d > mdays[m - 1])
        return -1;
    int64_t day = days_from_civil(y, m, d);
    *out = (uint64_t)day * 86400 + hh * 3600u + mm * 60u + (ss > 59 ? 59 : ss);
    return 0;
}

int http_date_parse(const char *s, size_t n, uint64_t *seconds)
{
    unsigned d, m, y, hh, mm, ss;
    size_t pos = 0;
    if (n >= 4 && s[3] == ',') { /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
        pos = 4;
        if (expect(s, n, &pos, " ") || digits(s, n, &pos, 2, &d) || expect(s, n, &pos, " ") ||
            month_of(s, n, &pos, &m) || expect(s, n, &pos, " ") || digits(s, n, &pos, 4, &y) ||
            expect(s, n, &pos, " ") || time_of_day(s, n, &pos, &hh, &mm, &ss) ||
            expect(s, n, &pos, " GMT") || pos != n)
            return -1;
        return combine(y, m, d, hh, mm, ss, seconds);
    }
    for (int i = 0; i < 7; i++) { /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
        pos = 0;
        if (expect(s, n, &pos, long_days[i]) == 0 && expect(s, n, &pos, ", ") == 0) {
            if (digits(s, n, &pos, 2, &d) || expect(s, n, &pos, "-") || month_of(s, n, &pos, &m) ||
                expect(s, n, &pos, "-") || digits(s, n, &pos, 2, &y) || expect(s, n, &pos, " ") ||
                time_of_day(s, n, &pos, &hh, &mm, &ss) || expect(s, n, &pos, " GMT") || pos != n)
                return -1;
            return combine(y < 70 ? 2000 + y : 1900 + y, m, d, hh, mm, ss, seconds);
        }
    }
    /* asctime: Sun Nov  6 08:49:37 1994 (the day is space-padded) */
    pos = 3;
    if (n != 24 || expect(s, n, &pos, " ") || month_of(s, n, &pos, &m) || expect(s, n, &pos, " "))
        return -1;
    if (s[pos] == ' ') {
        pos++;
        if (digits(s, n, &pos, 1, &d))
            return -1;
    } else if (digits(s, n, &pos, 2, &d)) {
        return -1;
    }
    if (expect(s, n, &pos, " ") || time_of_day(s, n, &pos, &hh, &mm, &ss) || expect(s, n, &pos, " ") ||
        digits(s, n, &pos, 4, &y) || pos != n)
        return -1;
    return combine(y, m, d, hh, mm, ss, seconds);
}
