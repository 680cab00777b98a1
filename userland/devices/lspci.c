// lspci: the PCI functions, one line each, from /proc/pci (the kernel's
// machine-readable list, drivers/pci/Listing.h), printed as kshell's lspci
// and Linux's `lspci -nn` print them:
//   00:1f.2 SATA controller [0106]: 8086:2922 (rev 02) [msi, ahci]
// -n prints the raw /proc/pci lines instead.
#include <errno.h>
#include <stdio.h>
#include <string.h>

struct ClassName {
    unsigned class_code;
    const char* name;
};

// Class and subclass (PCI Code and ID Assignment 1.11), the common ones.
static const struct ClassName CLASS_NAMES[] = {
    { 0x0100, "SCSI storage controller" },
    { 0x0101, "IDE interface" },
    { 0x0106, "SATA controller" },
    { 0x0108, "Non-Volatile memory controller" },
    { 0x0180, "Mass storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0300, "VGA compatible controller" },
    { 0x0380, "Display controller" },
    { 0x0403, "Audio device" },
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0c03, "USB controller" },
    { 0x0c05, "SMBus" },
};

static const char* class_name(unsigned class_code, char* fallback, size_t size)
{
    for (size_t i = 0; i < sizeof(CLASS_NAMES) / sizeof(CLASS_NAMES[0]); ++i) {
        if (CLASS_NAMES[i].class_code == class_code)
            return CLASS_NAMES[i].name;
    }
    snprintf(fallback, size, "class %04x", class_code);
    return fallback;
}

int main(int argc, char** argv)
{
    int raw = argc > 1 && strcmp(argv[1], "-n") == 0;
    FILE* file = fopen("/proc/pci", "r");
    if (!file) {
        fprintf(stderr, "lspci: cannot open /proc/pci: %s\n", strerror(errno));
        return 1;
    }
    char line[256];
    int status = 0;
    while (fgets(line, sizeof(line), file)) {
        if (raw) {
            fputs(line, stdout);
            continue;
        }
        unsigned segment, bus, device, function, class_triple, vendor, device_id, revision;
        char interrupt[16], driver[32];
        int fields = sscanf(line, "%x:%x:%x.%x %x %x:%x %x %15s %31s", &segment, &bus, &device, &function,
            &class_triple, &vendor, &device_id, &revision, interrupt, driver);
        if (fields != 10) {
            fprintf(stderr, "lspci: unexpected line in /proc/pci: %s", line);
            status = 1;
            continue;
        }
        char fallback[16];
        unsigned class_code = class_triple >> 8;
        printf("%02x:%02x.%x %s [%04x]: %04x:%04x (rev %02x)", bus, device, function,
            class_name(class_code, fallback, sizeof(fallback)), class_code, vendor, device_id, revision);
        if (strcmp(driver, "-") != 0)
            printf(" [%s, %s]", interrupt, driver);
        printf("\n");
    }
    fclose(file);
    return status;
}
