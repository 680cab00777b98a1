// grep [-ivnclqhHF] [-e pattern] pattern [file...]: prints the lines that
// match a pattern (lib/regex.h: . * ^ $ [...] and \ escapes; -F for a fixed
// string). -i ignores case, -v selects non-matching lines, -n numbers them,
// -c counts them, -l lists matching files, -q prints nothing, -h/-H hide or
// show file names (shown by default with several files).
// Exit status: 0 if a line was selected, 1 if none, 2 on an error.

#include "lib/regex.h"
#include "lib/utility.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    bool invert;
    bool number;
    bool count_only;
    bool list_files;
    bool quiet;
    bool show_names;
} GrepOptions;

// Returns the number of selected lines, or -1 on a read error.
static long long grep_stream(FILE* stream, const char* name, const Regex* regex, const GrepOptions* options)
{
    char* line = NULL;
    size_t capacity = 0;
    ssize_t length;
    long long selected = 0;
    unsigned long long number = 0;
    while ((length = getline(&line, &capacity, stream)) >= 0) {
        ++number;
        size_t text_length = (size_t)length;
        if (text_length > 0 && line[text_length - 1] == '\n')
            --text_length;
        if (regex_search(regex, line, text_length) == options->invert)
            continue;
        ++selected;
        if (options->quiet || options->list_files)
            break;
        if (options->count_only)
            continue;
        if (options->show_names)
            printf("%s:", name);
        if (options->number)
            printf("%llu:", number);
        fwrite(line, 1, text_length, stdout);
        putchar('\n');
    }
    free(line);
    if (ferror(stream))
        return -1;
    if (options->count_only && !options->quiet) {
        if (options->show_names)
            printf("%s:", name);
        printf("%lld\n", selected);
    }
    if (options->list_files && selected && !options->quiet)
        printf("%s\n", name);
    return selected;
}

int main(int argc, char** argv)
{
    g_program_name = "grep";
    Options options;
    if (!options_parse(argc, argv, "ivnclqhHFe:", &options))
        return 2;
    const char* pattern = options.value['e'];
    int first_file = 0;
    if (!pattern) {
        if (options.operand_count == 0) {
            fprintf(stderr, "usage: grep [-ivnclqhHF] [-e pattern] pattern [file...]\n");
            return 2;
        }
        pattern = options.operands[0];
        first_file = 1;
    }
    const char* error = NULL;
    Regex* regex = regex_compile(pattern, options.set['F'] ? RegexFixed : RegexBasic,
        options.set['i'] ? RegexIgnoreCase : RegexCaseSensitive, &error);
    if (!regex) {
        report("%s", error);
        return 2;
    }
    int file_count = options.operand_count - first_file;
    GrepOptions grep_options = {
        .invert = options.set['v'],
        .number = options.set['n'],
        .count_only = options.set['c'],
        .list_files = options.set['l'],
        .quiet = options.set['q'],
        .show_names = options.set['H'] || (file_count > 1 && !options.set['h']),
    };
    bool any_selected = false;
    bool any_error = false;
    for (int i = 0; i < (file_count ? file_count : 1); ++i) {
        const char* name = file_count ? options.operands[first_file + i] : "-";
        bool is_stdin = strcmp(name, "-") == 0;
        FILE* stream = is_stdin ? stdin : fopen(name, "r");
        if (!stream) {
            report_errno("%s", name);
            any_error = true;
            continue;
        }
        struct stat status;
        if (fstat(fileno(stream), &status) == 0 && S_ISDIR(status.st_mode)) {
            report("%s: Is a directory", name);
            any_error = true;
        } else {
            long long selected = grep_stream(stream, is_stdin ? "(standard input)" : name, regex, &grep_options);
            if (selected < 0) {
                report_errno("%s", name);
                any_error = true;
            }
            any_selected |= selected > 0;
        }
        if (!is_stdin)
            fclose(stream);
        if (any_selected && grep_options.quiet)
            break;
    }
    regex_free(regex);
    fflush(stdout);
    if (grep_options.quiet && any_selected)
        return 0;
    return any_error ? 2 : any_selected ? 0 : 1;
}
