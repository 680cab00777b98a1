#pragma once

#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

int inet_pton(int family, const char* restrict text, void* restrict address);
const char* inet_ntop(int family, const void* restrict address, char* restrict buffer, socklen_t size);
int inet_aton(const char* text, struct in_addr* address);
in_addr_t inet_addr(const char* text);
char* inet_ntoa(struct in_addr address);

#ifdef __cplusplus
}
#endif
