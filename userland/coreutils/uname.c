// uname [-asnrvm]: prints system information from uname(2): -s the kernel
// name (the default; "Osprey" on Osprey), -n the node name, -r the release,
// -v the version, -m the machine; -a all of them in that order.

#include "lib/utility.h"
#include <stdio.h>
#include <sys/utsname.h>

int main(int argc, char** argv)
{
    g_program_name = "uname";
    Options options;
    if (!options_parse(argc, argv, "asnrvm", &options))
        return 1;
    if (options.operand_count > 0) {
        report("extra operand '%s'", options.operands[0]);
        return 1;
    }
    struct utsname name;
    if (uname(&name) < 0) {
        report_errno("cannot get system name");
        return 1;
    }
    bool all = options.set['a'];
    bool any = all || options.set['s'] || options.set['n'] || options.set['r'] || options.set['v'] || options.set['m'];
    const struct {
        char letter;
        const char* value;
    } fields[] = {
        { 's', name.sysname },
        { 'n', name.nodename },
        { 'r', name.release },
        { 'v', name.version },
        { 'm', name.machine },
    };
    const char* separator = "";
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); ++i) {
        bool wanted = all || options.set[(unsigned char)fields[i].letter] || (!any && fields[i].letter == 's');
        if (!wanted)
            continue;
        printf("%s%s", separator, fields[i].value);
        separator = " ";
    }
    putchar('\n');
    return 0;
}
