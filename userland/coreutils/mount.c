// mount: without operands lists the mounted filesystems, as util-linux does
// ("<source> on <target> type <type> (<options>)"); mount [-t type]
// [-o options] source target mounts one. Without -t the type is ext4 (the
// only disk filesystem). Of the options, ro, rw, noatime, nodiratime,
// relatime and strictatime become mount flags, as with util-linux; the rest
// goes to the filesystem as the mount data (tmpfs takes size= and mode=).

#include "lib/mounts.h"
#include "lib/utility.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

// Splits `options` into mount flags and the filesystem's data (in `data`).
static unsigned long split_options(const char* options, char* data, size_t size)
{
    static const struct {
        const char* word;
        unsigned long flag;
    } FLAGS[] = {
        { "ro", MS_RDONLY },
        { "rw", 0 },
        { "noatime", MS_NOATIME },
        { "nodiratime", MS_NODIRATIME },
        { "relatime", MS_RELATIME },
        { "strictatime", MS_STRICTATIME },
    };
    unsigned long flags = 0;
    size_t used = 0;
    data[0] = '\0';
    while (*options) {
        size_t length = strcspn(options, ",");
        int known = 0;
        for (size_t i = 0; i < sizeof(FLAGS) / sizeof(FLAGS[0]); ++i) {
            if (strlen(FLAGS[i].word) == length && strncmp(options, FLAGS[i].word, length) == 0) {
                flags |= FLAGS[i].flag;
                known = 1;
            }
        }
        if (!known && length > 0 && used + length + 2 < size) {
            if (used)
                data[used++] = ',';
            memcpy(data + used, options, length);
            used += length;
            data[used] = '\0';
        }
        options += length;
        if (*options == ',')
            options++;
    }
    return flags;
}

static int list_mounts(void)
{
    FILE* file = mounts_open();
    if (!file) {
        report_errno("cannot open /proc/mounts");
        return 1;
    }
    MountEntry entry;
    while (mounts_next(file, &entry))
        printf("%s on %s type %s (%s)\n", entry.source, entry.target, entry.type, entry.options);
    fclose(file);
    return 0;
}

int main(int argc, char** argv)
{
    g_program_name = "mount";
    Options options;
    if (!options_parse(argc, argv, "t:o:", &options))
        return 1;
    if (options.operand_count == 0 && !options.set['t'] && !options.set['o'])
        return list_mounts();
    if (options.operand_count != 2) {
        report("bad usage");
        return 1;
    }
    const char* source = options.operands[0];
    const char* target = options.operands[1];
    const char* type = options.set['t'] ? options.value['t'] : "ext4";
    static char data[1024];
    unsigned long flags = options.set['o'] ? split_options(options.value['o'], data, sizeof(data)) : 0;
    if (mount(source, target, type, flags, data[0] ? data : NULL) == 0)
        return 0;
    switch (errno) {
    case ENODEV:
        report("%s: unknown filesystem type '%s'.", target, type);
        break;
    case EBUSY:
        report("%s: %s already mounted or mount point busy.", target, source);
        break;
    case ENOENT:
        report("%s: mount point does not exist.", target);
        break;
    case ENOTDIR:
        report("%s: mount point is not a directory.", target);
        break;
    case EPERM:
        report("%s: must be superuser to use mount.", target);
        break;
    default:
        report_errno("%s: cannot mount %s", target, source);
        break;
    }
    return 32; // util-linux: mount failure
}
