// Finding completion candidates (see completion.h). The typed word is
// unescaped (backslashes and quotes removed) before it is matched against
// directory entries; candidates are escaped again so that inserting one
// gives a single word.

#include "completion.h"
#include "builtins.h"
#include "variables.h"
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_word_break(char character)
{
    return character == ' ' || character == '\t' || character == '\n' || strchr(";|&<>()", character);
}

// Escapes the characters the lexer would treat specially.
static void append_escaped(StringBuffer* buffer, const char* text)
{
    for (; *text; ++text) {
        if (strchr(" \t\n\\'\"$`;|&<>()*?[]#~!{}", *text))
            sb_append_char(buffer, '\\');
        sb_append_char(buffer, *text);
    }
}

static char* unescape(const char* word, size_t length)
{
    StringBuffer result = { 0 };
    char quote = 0;
    for (size_t i = 0; i < length; ++i) {
        char character = word[i];
        if (quote) {
            if (character == quote)
                quote = 0;
            else
                sb_append_char(&result, character);
        } else if (character == '\'' || character == '"') {
            quote = character;
        } else if (character == '\\' && i + 1 < length) {
            sb_append_char(&result, word[++i]);
        } else {
            sb_append_char(&result, character);
        }
    }
    return sb_take(&result);
}

static void add_candidate(Completion* completion, const char* typed_directory, const char* name, bool directory)
{
    StringBuffer candidate = { 0 };
    sb_append(&candidate, typed_directory);
    append_escaped(&candidate, name);
    if (directory)
        sb_append_char(&candidate, '/');
    string_list_push(&completion->candidates, sb_take(&candidate));
}

static void complete_path(Completion* completion, const char* word, const char* typed)
{
    const char* slash = strrchr(word, '/');
    const char* prefix = slash ? slash + 1 : word;
    // The directory as it must be opened ("~/" expanded) and as typed.
    char* directory = slash ? xstrndup(word, (size_t)(slash - word + 1)) : xstrdup("./");
    const char* typed_slash = strrchr(typed, '/');
    char* typed_directory = typed_slash ? xstrndup(typed, (size_t)(typed_slash - typed + 1)) : xstrdup("");
    if (directory[0] == '~' && directory[1] == '/') {
        const char* home = variable_get("HOME");
        StringBuffer expanded = { 0 };
        sb_append(&expanded, home ? home : "");
        sb_append(&expanded, directory + 1);
        free(directory);
        directory = sb_take(&expanded);
    }
    DIR* handle = opendir(directory);
    if (handle) {
        size_t prefix_length = strlen(prefix);
        struct dirent* entry;
        while ((entry = readdir(handle))) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                continue;
            if (entry->d_name[0] == '.' && prefix[0] != '.')
                continue;
            if (strncmp(entry->d_name, prefix, prefix_length) != 0)
                continue;
            StringBuffer full = { 0 };
            sb_append(&full, directory);
            sb_append(&full, entry->d_name);
            struct stat status;
            bool is_directory = stat(full.data, &status) == 0 && S_ISDIR(status.st_mode);
            sb_free(&full);
            add_candidate(completion, typed_directory, entry->d_name, is_directory);
        }
        closedir(handle);
    }
    free(directory);
    free(typed_directory);
}

static void complete_command(Completion* completion, const char* word)
{
    size_t length = strlen(word);
    for (size_t i = 0; g_builtin_names[i]; ++i) {
        if (strncmp(g_builtin_names[i], word, length) == 0)
            add_candidate(completion, "", g_builtin_names[i], false);
    }
    const char* path = variable_get("PATH");
    if (!path)
        return;
    for (const char* directory = path;;) {
        const char* end = strchrnul(directory, ':');
        char* name = end > directory ? xstrndup(directory, (size_t)(end - directory)) : xstrdup(".");
        DIR* handle = opendir(name);
        struct dirent* entry;
        while (handle && (entry = readdir(handle))) {
            if (entry->d_name[0] == '.' || strncmp(entry->d_name, word, length) != 0)
                continue;
            StringBuffer full = { 0 };
            sb_append(&full, name);
            sb_append_char(&full, '/');
            sb_append(&full, entry->d_name);
            struct stat status;
            if (stat(full.data, &status) == 0 && S_ISREG(status.st_mode) && access(full.data, X_OK) == 0)
                add_candidate(completion, "", entry->d_name, false);
            sb_free(&full);
        }
        if (handle)
            closedir(handle);
        free(name);
        if (!*end)
            break;
        directory = end + 1;
    }
}

static void remove_duplicates(StringList* list)
{
    string_list_sort(list);
    size_t kept = 0;
    for (size_t i = 0; i < list->count; ++i) {
        if (kept > 0 && strcmp(list->items[kept - 1], list->items[i]) == 0) {
            free(list->items[i]);
            continue;
        }
        list->items[kept++] = list->items[i];
    }
    list->count = kept;
    if (list->items)
        list->items[kept] = NULL;
}

void completion_find(const char* line, size_t cursor, Completion* out)
{
    *out = (Completion) { 0 };
    size_t start = cursor;
    while (start > 0 && !(is_word_break(line[start - 1]) && (start < 2 || line[start - 2] != '\\')))
        --start;
    out->word_start = start;
    size_t before = start;
    while (before > 0 && (line[before - 1] == ' ' || line[before - 1] == '\t'))
        --before;
    bool command_position = before == 0 || strchr(";|&(\n", line[before - 1]);

    char* typed = xstrndup(line + start, cursor - start);
    char* word = unescape(line + start, cursor - start);
    if (command_position && !strchr(word, '/') && word[0] != '~' && word[0] != '.')
        complete_command(out, word);
    else
        complete_path(out, word, typed);
    remove_duplicates(&out->candidates);
    free(word);
    free(typed);
}

void completion_free(Completion* completion)
{
    string_list_free(&completion->candidates);
}

char* completion_common_prefix(const Completion* completion)
{
    if (completion->candidates.count == 0)
        return xstrdup("");
    const char* first = completion->candidates.items[0];
    size_t length = strlen(first);
    for (size_t i = 1; i < completion->candidates.count; ++i) {
        size_t common = 0;
        while (common < length && completion->candidates.items[i][common] == first[common])
            ++common;
        length = common;
    }
    // Never end inside an escape (the "a\" shared by "a\ b" and "a\(c").
    size_t backslashes = 0;
    while (backslashes < length && first[length - 1 - backslashes] == '\\')
        ++backslashes;
    if (backslashes % 2)
        --length;
    return xstrndup(first, length);
}
