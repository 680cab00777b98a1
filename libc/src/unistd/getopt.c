// getopt (POSIX): short options, clustered ("-ab"), arguments attached
// ("-ofile") or separate ("-o file"), "--" ends the options. A leading ':' in
// the option string reports a missing argument as ':' without a message.
// Arguments are not permuted: the first non-option ends the scan.

#include <stdio.h>
#include <string.h>
#include <unistd.h>

char* optarg;
int optind = 1;
int opterr = 1;
int optopt;

static int s_position; // index inside the current cluster, 0 at its start

int getopt(int argc, char* const argv[], const char* options)
{
    optarg = NULL;
    if (optind == 0) {
        // optind = 0 asks for a full restart.
        optind = 1;
        s_position = 0;
    }
    if (s_position == 0) {
        if (optind >= argc || !argv[optind] || argv[optind][0] != '-' || argv[optind][1] == '\0')
            return -1;
        if (strcmp(argv[optind], "--") == 0) {
            ++optind;
            return -1;
        }
        s_position = 1;
    }
    const char* word = argv[optind];
    char option = word[s_position++];
    const char* spec = option != ':' ? strchr(options, option) : NULL;
    int quiet = options[0] == ':';
    if (!word[s_position]) {
        ++optind;
        s_position = 0;
    }
    if (!spec) {
        optopt = option;
        if (opterr && !quiet)
            fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], option);
        return '?';
    }
    if (spec[1] == ':') {
        if (s_position != 0) {
            optarg = (char*)word + s_position; // attached: "-ofile"
            ++optind;
            s_position = 0;
        } else if (optind < argc) {
            optarg = argv[optind++];
        } else {
            optopt = option;
            if (quiet)
                return ':';
            if (opterr)
                fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], option);
            return '?';
        }
    }
    return option;
}
