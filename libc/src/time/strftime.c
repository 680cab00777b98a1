// strftime in the "C" locale (C17 7.27.3.5 plus the POSIX %e %s and the ISO
// 8601 week fields %G %g %V). Returns 0 when the result does not fit.

#include <stdio.h>
#include <string.h>
#include <time.h>

int __days_in_year(long year);

static const char* const s_weekdays[]
    = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };
static const char* const s_months[] = { "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December" };

typedef struct {
    char* buffer;
    size_t size;
    size_t length;
    int overflow;
} Output;

static void put(Output* output, const char* text, size_t length)
{
    if (output->length + length >= output->size) {
        output->overflow = 1;
        return;
    }
    memcpy(output->buffer + output->length, text, length);
    output->length += length;
}

static void put_string(Output* output, const char* text)
{
    put(output, text, strlen(text));
}

static void put_number(Output* output, long value, int width, char pad)
{
    char text[32];
    int length = pad == '0' ? snprintf(text, sizeof(text), "%0*ld", width, value)
                            : snprintf(text, sizeof(text), "%*ld", width, value);
    put(output, text, (size_t)length);
}

// ISO 8601 week-based year and week number (weeks start on Monday; week 1
// holds the year's first Thursday).
static int iso_week(const struct tm* time, long* iso_year)
{
    long year = time->tm_year + 1900L;
    int monday_based_weekday = (time->tm_wday + 6) % 7;
    int week = (time->tm_yday - monday_based_weekday + 10) / 7;
    if (week < 1) {
        --year;
        int previous_yday = time->tm_yday + __days_in_year(year);
        week = (previous_yday - monday_based_weekday + 10) / 7;
    } else {
        // A year has 53 weeks when it starts on a Thursday, or on a Wednesday in a leap year.
        int january_first = ((monday_based_weekday - time->tm_yday) % 7 + 7) % 7;
        int weeks = january_first == 3 || (january_first == 2 && __days_in_year(year) == 366) ? 53 : 52;
        if (week > weeks) {
            ++year;
            week = 1;
        }
    }
    *iso_year = year;
    return week;
}

static void convert(Output* output, char conversion, const struct tm* time);

static void convert_string(Output* output, const char* format, const struct tm* time)
{
    for (; *format && !output->overflow; ++format) {
        if (*format != '%') {
            put(output, format, 1);
            continue;
        }
        ++format;
        if (*format == 'E' || *format == 'O')
            ++format; // alternative representations: the same in the "C" locale
        if (!*format)
            break;
        convert(output, *format, time);
    }
}

static void convert(Output* output, char conversion, const struct tm* time)
{
    int hour12 = time->tm_hour % 12 == 0 ? 12 : time->tm_hour % 12;
    long year = time->tm_year + 1900L;
    long iso_year;
    switch (conversion) {
    case 'a':
        put(output, s_weekdays[time->tm_wday % 7], 3);
        break;
    case 'A':
        put_string(output, s_weekdays[time->tm_wday % 7]);
        break;
    case 'b':
    case 'h':
        put(output, s_months[time->tm_mon % 12], 3);
        break;
    case 'B':
        put_string(output, s_months[time->tm_mon % 12]);
        break;
    case 'c':
        convert_string(output, "%a %b %e %H:%M:%S %Y", time);
        break;
    case 'C':
        put_number(output, year / 100, 2, '0');
        break;
    case 'd':
        put_number(output, time->tm_mday, 2, '0');
        break;
    case 'D':
        convert_string(output, "%m/%d/%y", time);
        break;
    case 'e':
        put_number(output, time->tm_mday, 2, ' ');
        break;
    case 'F':
        convert_string(output, "%Y-%m-%d", time);
        break;
    case 'g':
        iso_week(time, &iso_year);
        put_number(output, iso_year % 100, 2, '0');
        break;
    case 'G':
        iso_week(time, &iso_year);
        put_number(output, iso_year, 1, '0');
        break;
    case 'H':
        put_number(output, time->tm_hour, 2, '0');
        break;
    case 'I':
        put_number(output, hour12, 2, '0');
        break;
    case 'j':
        put_number(output, time->tm_yday + 1, 3, '0');
        break;
    case 'm':
        put_number(output, time->tm_mon + 1, 2, '0');
        break;
    case 'M':
        put_number(output, time->tm_min, 2, '0');
        break;
    case 'n':
        put(output, "\n", 1);
        break;
    case 'p':
        put_string(output, time->tm_hour < 12 ? "AM" : "PM");
        break;
    case 'r':
        convert_string(output, "%I:%M:%S %p", time);
        break;
    case 'R':
        convert_string(output, "%H:%M", time);
        break;
    case 's': {
        struct tm copy = *time;
        put_number(output, (long)timegm(&copy), 1, '0');
        break;
    }
    case 'S':
        put_number(output, time->tm_sec, 2, '0');
        break;
    case 't':
        put(output, "\t", 1);
        break;
    case 'T':
        convert_string(output, "%H:%M:%S", time);
        break;
    case 'u':
        put_number(output, time->tm_wday == 0 ? 7 : time->tm_wday, 1, '0');
        break;
    case 'U':
        put_number(output, (time->tm_yday + 7 - time->tm_wday) / 7, 2, '0');
        break;
    case 'V':
        put_number(output, iso_week(time, &iso_year), 2, '0');
        break;
    case 'w':
        put_number(output, time->tm_wday, 1, '0');
        break;
    case 'W':
        put_number(output, (time->tm_yday + 7 - (time->tm_wday + 6) % 7) / 7, 2, '0');
        break;
    case 'x':
        convert_string(output, "%m/%d/%y", time);
        break;
    case 'X':
        convert_string(output, "%H:%M:%S", time);
        break;
    case 'y':
        put_number(output, year % 100, 2, '0');
        break;
    case 'Y':
        put_number(output, year, 1, '0');
        break;
    case 'z':
        put_string(output, "+0000");
        break;
    case 'Z':
        put_string(output, time->tm_zone ? time->tm_zone : "");
        break;
    case '%':
        put(output, "%", 1);
        break;
    default: {
        char unknown[2] = { '%', conversion };
        put(output, unknown, 2);
        break;
    }
    }
}

size_t strftime(char* restrict buffer, size_t size, const char* restrict format, const struct tm* restrict time)
{
    Output output = { .buffer = buffer, .size = size };
    if (size == 0)
        return 0;
    convert_string(&output, format, time);
    if (output.overflow) {
        buffer[0] = '\0';
        return 0;
    }
    buffer[output.length] = '\0';
    return output.length;
}
