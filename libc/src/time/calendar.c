// Broken-down UTC time. Osprey has no time zones: localtime is gmtime and
// mktime is timegm. Day arithmetic uses the proleptic Gregorian calendar in
// 400-year eras (146097 days each), with years starting on March 1 so that
// the leap day falls at the end of the year.

#include <errno.h>
#include <limits.h>
#include <time.h>

static long days_from_civil(long year, int month, int day)
{
    year -= month <= 2;
    long era = (year >= 0 ? year : year - 399) / 400;
    long year_of_era = year - era * 400;
    int shifted_month = month > 2 ? month - 3 : month + 9; // March = 0
    long day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468; // 719468: days from 0000-03-01 to 1970-01-01
}

static int is_leap(long year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

struct tm* gmtime_r(const time_t* restrict time, struct tm* restrict result)
{
    long days = *time / 86400;
    long seconds = *time % 86400;
    if (seconds < 0) {
        seconds += 86400;
        --days;
    }
    long shifted = days + 719468;
    long era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
    long day_of_era = shifted - era * 146097;
    long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    long shifted_month = (5 * day_of_year + 2) / 153;
    int day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    int month = (int)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    long year = year_of_era + era * 400 + (month <= 2);
    if (year - 1900 > INT_MAX || year - 1900 < INT_MIN) {
        errno = EOVERFLOW;
        return NULL;
    }

    result->tm_year = (int)(year - 1900);
    result->tm_mon = month - 1;
    result->tm_mday = day;
    result->tm_hour = (int)(seconds / 3600);
    result->tm_min = (int)(seconds / 60 % 60);
    result->tm_sec = (int)(seconds % 60);
    long weekday = (days + 4) % 7; // 1970-01-01 was a Thursday
    result->tm_wday = (int)(weekday < 0 ? weekday + 7 : weekday);
    result->tm_yday = (int)(days - days_from_civil(year, 1, 1));
    result->tm_isdst = 0;
    result->tm_gmtoff = 0;
    result->tm_zone = "GMT"; // glibc's name for the zone of gmtime results
    return result;
}

struct tm* gmtime(const time_t* time)
{
    static struct tm s_result;
    return gmtime_r(time, &s_result);
}

struct tm* localtime_r(const time_t* restrict time, struct tm* restrict result)
{
    return gmtime_r(time, result);
}

struct tm* localtime(const time_t* time)
{
    return gmtime(time);
}

// Normalizes out-of-range fields (month 13, day 0, ...) and fills in the
// weekday and day of the year, as C17 7.27.2.3 asks of mktime.
time_t timegm(struct tm* broken_down)
{
    long month = broken_down->tm_mon;
    long year = broken_down->tm_year + 1900L + month / 12;
    month %= 12;
    if (month < 0) {
        month += 12;
        --year;
    }
    long days = days_from_civil(year, (int)month + 1, 1) + broken_down->tm_mday - 1;
    time_t result = days * 86400 + broken_down->tm_hour * 3600L + broken_down->tm_min * 60L + broken_down->tm_sec;
    if (!gmtime_r(&result, broken_down))
        return (time_t)-1;
    return result;
}

time_t mktime(struct tm* broken_down)
{
    return timegm(broken_down);
}

int __days_in_year(long year)
{
    return is_leap(year) ? 366 : 365;
}
