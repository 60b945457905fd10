/* Calendar time: gmtime_r, timegm and strftime. Strata has no time zones, so
 * local time is UTC. Days to civil dates use the proleptic Gregorian
 * calendar over the whole 64-bit time_t range that fits an int year. */
#include <string.h>
#include <time.h>

static const char *const wday_name[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const mon_name[] = {"January", "February", "March",     "April",
                                       "May",     "June",     "July",      "August",
                                       "September", "October", "November", "December"};

/* Days since 1970-01-01 of a civil date (month 1-12): the inverse of the
 * era-based conversion in gmtime_r (400-year eras of 146097 days). */
static long long days_from_civil(long long y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

struct tm *gmtime_r(const time_t *t, struct tm *out) {
  long long s = *t;
  long long days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  int secs = (int)(s - days * 86400);
  long long z = days + 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  int mday = (int)(doy - (153 * mp + 2) / 5 + 1);
  int mon = (int)(mp < 10 ? mp + 3 : mp - 9);
  long long year = (long long)yoe + era * 400 + (mon <= 2);
  if (year - 1900 > 0x7fffffffLL || year - 1900 < -0x7fffffffLL - 1) return 0;
  out->tm_sec = secs % 60;
  out->tm_min = secs / 60 % 60;
  out->tm_hour = secs / 3600;
  out->tm_mday = mday;
  out->tm_mon = mon - 1;
  out->tm_year = (int)(year - 1900);
  long long w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
  out->tm_wday = (int)(w < 0 ? w + 7 : w);
  out->tm_yday = (int)(days - days_from_civil(year, 1, 1));
  out->tm_isdst = 0;
  out->tm_gmtoff = 0;
  out->tm_zone = "UTC";
  return out;
}

struct tm *gmtime(const time_t *t) {
  static struct tm tm;
  return gmtime_r(t, &tm);
}

struct tm *localtime_r(const time_t *t, struct tm *out) { return gmtime_r(t, out); }

struct tm *localtime(const time_t *t) { return gmtime(t); }

time_t timegm(struct tm *tm) {
  /* Normalise month overflow into the year, then let days and seconds carry. */
  long long y = (long long)tm->tm_year + 1900 + tm->tm_mon / 12;
  int m = tm->tm_mon % 12;
  if (m < 0) {
    m += 12;
    y--;
  }
  long long days = days_from_civil(y, m + 1, 1) + tm->tm_mday - 1;
  time_t t = days * 86400 + (long long)tm->tm_hour * 3600 + (long long)tm->tm_min * 60 + tm->tm_sec;
  gmtime_r(&t, tm);
  return t;
}

/* Output buffer of strftime: counts what would be written, stores what fits. */
struct out {
  char *s;
  size_t max, n;
};

static void put(struct out *o, const char *text) {
  for (; *text; text++) {
    if (o->n + 1 < o->max) o->s[o->n] = *text;
    o->n++;
  }
}

static void put_num(struct out *o, long long v, int width, char pad) {
  char buf[24], *p = buf + sizeof buf;
  int neg = v < 0;
  unsigned long long u = neg ? 0 - (unsigned long long)v : (unsigned long long)v;
  *--p = 0;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  int digits = (int)(buf + sizeof buf - 1 - p);
  if (neg) put(o, "-");
  for (int i = digits + neg; i < width; i++) put(o, pad == '0' ? "0" : " ");
  put(o, p);
}

static void put_abbr(struct out *o, const char *name) {
  char abbr[4];
  memcpy(abbr, name, 3);
  abbr[3] = 0;
  put(o, abbr);
}

/* Formats one conversion; false for one we do not know (copied literally). */
static int convert(struct out *o, char c, const struct tm *tm) {
  long long year = (long long)tm->tm_year + 1900;
  int wday = tm->tm_wday >= 0 && tm->tm_wday < 7 ? tm->tm_wday : 0;
  int mon = tm->tm_mon >= 0 && tm->tm_mon < 12 ? tm->tm_mon : 0;
  switch (c) {
    case 'a': put_abbr(o, wday_name[wday]); break;
    case 'A': put(o, wday_name[wday]); break;
    case 'b':
    case 'h': put_abbr(o, mon_name[mon]); break;
    case 'B': put(o, mon_name[mon]); break;
    case 'c': /* the C locale's "%a %b %e %H:%M:%S %Y" */
      convert(o, 'a', tm), put(o, " "), convert(o, 'b', tm), put(o, " ");
      convert(o, 'e', tm), put(o, " "), convert(o, 'T', tm), put(o, " ");
      put_num(o, year, 1, '0'); /* unpadded here, as glibc prints it */
      break;
    case 'C': put_num(o, year / 100, 2, '0'); break;
    case 'd': put_num(o, tm->tm_mday, 2, '0'); break;
    case 'D': convert(o, 'm', tm), put(o, "/"), convert(o, 'd', tm), put(o, "/"), convert(o, 'y', tm); break;
    case 'e': put_num(o, tm->tm_mday, 2, ' '); break;
    case 'F': put_num(o, year, 4, '0'), put(o, "-"), convert(o, 'm', tm), put(o, "-"), convert(o, 'd', tm); break;
    case 'H': put_num(o, tm->tm_hour, 2, '0'); break;
    case 'I': put_num(o, tm->tm_hour % 12 == 0 ? 12 : tm->tm_hour % 12, 2, '0'); break;
    case 'j': put_num(o, tm->tm_yday + 1, 3, '0'); break;
    case 'k': put_num(o, tm->tm_hour, 2, ' '); break;
    case 'l': put_num(o, tm->tm_hour % 12 == 0 ? 12 : tm->tm_hour % 12, 2, ' '); break;
    case 'm': put_num(o, tm->tm_mon + 1, 2, '0'); break;
    case 'M': put_num(o, tm->tm_min, 2, '0'); break;
    case 'n': put(o, "\n"); break;
    case 'p': put(o, tm->tm_hour < 12 ? "AM" : "PM"); break;
    case 'R': convert(o, 'H', tm), put(o, ":"), convert(o, 'M', tm); break;
    case 's': {
      struct tm copy = *tm;
      put_num(o, timegm(&copy), 1, '0');
      break;
    }
    case 'S': put_num(o, tm->tm_sec, 2, '0'); break;
    case 't': put(o, "\t"); break;
    case 'T': convert(o, 'H', tm), put(o, ":"), convert(o, 'M', tm), put(o, ":"), convert(o, 'S', tm); break;
    case 'u': put_num(o, wday == 0 ? 7 : wday, 1, '0'); break;
    case 'w': put_num(o, wday, 1, '0'); break;
    case 'y': put_num(o, ((year % 100) + 100) % 100, 2, '0'); break;
    case 'Y': put_num(o, year, 4, '0'); break; /* at least 4 digits, as glibc */
    case 'z': put(o, "+0000"); break;
    case 'Z': put(o, "UTC"); break;
    case '%': put(o, "%"); break;
    default: return 0;
  }
  return 1;
}

size_t strftime(char *s, size_t max, const char *fmt, const struct tm *tm) {
  struct out o = {s, max, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%' || fmt[1] == 0) {
      char one[2] = {*fmt, 0};
      put(&o, one);
      continue;
    }
    fmt++;
    if (!convert(&o, *fmt, tm)) {
      char lit[3] = {'%', *fmt, 0};
      put(&o, lit);
    }
  }
  /* C: 0 when the result (with its terminator) does not fit. */
  if (o.n + 1 > max) {
    if (max > 0) s[0] = 0;
    return 0;
  }
  s[o.n] = 0;
  return o.n;
}
