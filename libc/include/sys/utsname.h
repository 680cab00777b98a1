#pragma once

#ifdef __cplusplus
extern "C" {
#endif

// struct new_utsname of the kernel: six fields of 65 bytes.
struct utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};

int uname(struct utsname* result);

#ifdef __cplusplus
}
#endif
