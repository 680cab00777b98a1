// Byte order and text forms of IPv4 and IPv6 addresses.
//
// inet_pton takes the strict forms (IPv4: four decimal parts 0-255 without
// leading zeros; IPv6: RFC 4291 2.2 with one "::" and an optional trailing
// IPv4 part). inet_ntop writes RFC 5952 text as glibc does: lowercase, the
// longest run of two or more zero groups (the first on a tie) as "::", and
// IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses in
// dotted form. inet_aton also takes the historic a, a.b, a.b.c forms with
// octal and hexadecimal parts.

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint16_t htons(uint16_t value)
{
    return __builtin_bswap16(value);
}
uint16_t ntohs(uint16_t value)
{
    return __builtin_bswap16(value);
}
uint32_t htonl(uint32_t value)
{
    return __builtin_bswap32(value);
}
uint32_t ntohl(uint32_t value)
{
    return __builtin_bswap32(value);
}

// Parses exactly four decimal parts into out[4]; returns the characters
// consumed or 0.
static size_t parse_ipv4(const char* text, uint8_t out[4])
{
    const char* cursor = text;
    for (int part = 0; part < 4; ++part) {
        if (part > 0 && *cursor++ != '.')
            return 0;
        if (!isdigit((unsigned char)*cursor))
            return 0;
        if (cursor[0] == '0' && isdigit((unsigned char)cursor[1]))
            return 0;
        unsigned value = 0;
        int digits = 0;
        while (isdigit((unsigned char)*cursor) && digits < 4) {
            value = value * 10 + (unsigned)(*cursor++ - '0');
            ++digits;
        }
        if (value > 255 || isdigit((unsigned char)*cursor))
            return 0;
        out[part] = (uint8_t)value;
    }
    return (size_t)(cursor - text);
}

static int hex_value(char character)
{
    if (character >= '0' && character <= '9')
        return character - '0';
    if (character >= 'a' && character <= 'f')
        return character - 'a' + 10;
    if (character >= 'A' && character <= 'F')
        return character - 'A' + 10;
    return -1;
}

static int parse_ipv6(const char* text, uint8_t out[16])
{
    uint16_t groups[8] = { 0 };
    int count = 0;
    int gap = -1; // index in groups where "::" stands
    const char* cursor = text;
    if (cursor[0] == ':') {
        if (cursor[1] != ':')
            return 0;
        gap = 0;
        cursor += 2;
    }
    while (*cursor) {
        if (count == 8)
            return 0;
        // A trailing dotted IPv4 part fills the last two groups.
        uint8_t ipv4[4];
        size_t ipv4_length = parse_ipv4(cursor, ipv4);
        if (ipv4_length && !cursor[ipv4_length] && count <= 6) {
            groups[count++] = (uint16_t)(ipv4[0] << 8 | ipv4[1]);
            groups[count++] = (uint16_t)(ipv4[2] << 8 | ipv4[3]);
            cursor += ipv4_length;
            break;
        }
        unsigned value = 0;
        int digits = 0;
        while (hex_value(*cursor) >= 0) {
            if (++digits > 4)
                return 0;
            value = value << 4 | (unsigned)hex_value(*cursor++);
        }
        if (digits == 0)
            return 0;
        groups[count++] = (uint16_t)value;
        if (!*cursor)
            break;
        if (*cursor++ != ':')
            return 0;
        if (*cursor == ':') {
            if (gap >= 0)
                return 0;
            gap = count;
            ++cursor;
        } else if (!*cursor) {
            return 0; // a single trailing ':'
        }
    }
    if (gap >= 0) {
        if (count == 8)
            return 0;
        int moved = count - gap;
        memmove(groups + 8 - moved, groups + gap, (size_t)moved * sizeof(uint16_t));
        memset(groups + gap, 0, (size_t)(8 - moved - gap) * sizeof(uint16_t));
    } else if (count != 8) {
        return 0;
    }
    for (size_t i = 0; i < 8; ++i) {
        out[2 * i] = (uint8_t)(groups[i] >> 8);
        out[2 * i + 1] = (uint8_t)groups[i];
    }
    return 1;
}

int inet_pton(int family, const char* restrict text, void* restrict address)
{
    if (family == AF_INET) {
        uint8_t bytes[4];
        size_t length = parse_ipv4(text, bytes);
        if (!length || text[length])
            return 0;
        memcpy(address, bytes, 4);
        return 1;
    }
    if (family == AF_INET6) {
        uint8_t bytes[16];
        if (!parse_ipv6(text, bytes))
            return 0;
        memcpy(address, bytes, 16);
        return 1;
    }
    errno = EAFNOSUPPORT;
    return -1;
}

static void format_ipv6(const uint8_t bytes[16], char* text)
{
    uint16_t groups[8];
    for (size_t i = 0; i < 8; ++i)
        groups[i] = (uint16_t)(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    int best_start = -1;
    int best_length = 0;
    for (int i = 0; i < 8;) {
        if (groups[i] != 0) {
            ++i;
            continue;
        }
        int start = i;
        while (i < 8 && groups[i] == 0)
            ++i;
        if (i - start > best_length) {
            best_start = start;
            best_length = i - start;
        }
    }
    if (best_length < 2)
        best_start = -1;
    char* out = text;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            *out++ = ':';
            i += best_length - 1;
            if (i == 7)
                *out++ = ':';
            continue;
        }
        if (i > 0)
            *out++ = ':';
        if (i == 6 && best_start == 0 && (best_length == 6 || (best_length == 5 && groups[5] == 0xffff))) {
            sprintf(out, "%u.%u.%u.%u", bytes[12], bytes[13], bytes[14], bytes[15]);
            return;
        }
        out += sprintf(out, "%x", groups[i]);
    }
    *out = '\0';
}

const char* inet_ntop(int family, const void* restrict address, char* restrict buffer, socklen_t size)
{
    char text[INET6_ADDRSTRLEN];
    const uint8_t* bytes = address;
    if (family == AF_INET)
        snprintf(text, sizeof(text), "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    else if (family == AF_INET6)
        format_ipv6(bytes, text);
    else {
        errno = EAFNOSUPPORT;
        return NULL;
    }
    size_t length = strlen(text);
    if (length >= size) {
        errno = ENOSPC;
        return NULL;
    }
    memcpy(buffer, text, length + 1);
    return buffer;
}

int inet_aton(const char* text, struct in_addr* address)
{
    unsigned long parts[4];
    int count = 0;
    const char* cursor = text;
    for (;;) {
        if (!isdigit((unsigned char)*cursor))
            return 0;
        char* end;
        errno = 0;
        parts[count++] = strtoul(cursor, &end, 0);
        if (errno == ERANGE)
            return 0;
        cursor = end;
        if (*cursor != '.')
            break;
        if (count == 4)
            return 0;
        ++cursor;
    }
    if (*cursor)
        return 0;
    // The last part fills the remaining bytes: a.b.c.d, a.b.c16, a.b24, a32.
    static const unsigned long last_limit[] = { 0xffffffffu, 0xffffffu, 0xffffu, 0xffu };
    if (parts[count - 1] > last_limit[count - 1])
        return 0;
    uint32_t value = (uint32_t)parts[count - 1];
    for (int i = 0; i < count - 1; ++i) {
        if (parts[i] > 0xff)
            return 0;
        value |= (uint32_t)parts[i] << (24 - 8 * i);
    }
    if (address)
        address->s_addr = htonl(value);
    return 1;
}

in_addr_t inet_addr(const char* text)
{
    struct in_addr address;
    return inet_aton(text, &address) ? address.s_addr : INADDR_NONE;
}

char* inet_ntoa(struct in_addr address)
{
    static char s_text[INET_ADDRSTRLEN];
    return (char*)inet_ntop(AF_INET, &address, s_text, sizeof(s_text));
}
