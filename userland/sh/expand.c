// Word expansion, see expand.h.
//
// A word is scanned once. Literal characters and expansion results go into
// the current field in "pattern form": a quoted * ? [ or \ is written with a
// backslash before it, so that pathname expansion can tell quoted from
// unquoted metacharacters; an unquoted one marks the field for globbing.
// Unquoted expansion results are split on blanks and newlines. At the end of
// a field the pattern form is either globbed or unescaped.

#include "expand.h"
#include "arithmetic.h"
#include "glob.h"
#include "lexer.h"
#include "shell.h"
#include "substitution.h"
#include "variables.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    SplitNo,  // one field, no globbing (assignments, redirections)
    SplitYes, // field splitting and pathname expansion
} SplitMode;

typedef struct {
    StringList* fields;
    StringBuffer current;
    bool has_field;     // the current field exists, even if empty ("")
    bool has_magic;     // it holds an unquoted glob character
    bool drop_if_empty; // "$@" with no parameters
    SplitMode split;
    bool failed;
} Expander;

static void add_char(Expander* expander, char character, bool quoted)
{
    if (character == '*' || character == '?' || character == '[') {
        if (quoted)
            sb_append_char(&expander->current, '\\');
        else
            expander->has_magic = true;
    } else if (character == '\\') {
        sb_append_char(&expander->current, '\\');
    }
    sb_append_char(&expander->current, character);
    expander->has_field = true;
}

static void end_field(Expander* expander)
{
    bool drop = expander->drop_if_empty && expander->current.length == 0;
    if (expander->has_field && !drop) {
        char* pattern = expander->current.data ? expander->current.data : "";
        if (expander->split == SplitYes && expander->has_magic)
            glob_expand(pattern, expander->fields);
        else
            string_list_push(expander->fields, glob_unescape(pattern));
    }
    sb_clear(&expander->current);
    expander->has_field = false;
    expander->has_magic = false;
    expander->drop_if_empty = false;
}

static bool is_field_separator(char character)
{
    return character == ' ' || character == '\t' || character == '\n';
}

// The result of an expansion: quoted text joins the field as is; unquoted
// text is split into fields where field splitting applies.
static void add_expansion(Expander* expander, const char* text, bool quoted)
{
    if (quoted) {
        expander->has_field = true;
        for (; *text; ++text)
            add_char(expander, *text, true);
        return;
    }
    for (; *text; ++text) {
        if (expander->split == SplitYes && is_field_separator(*text)) {
            end_field(expander);
            continue;
        }
        add_char(expander, *text, false);
    }
}

static char* join_positional(void)
{
    StringBuffer joined = { 0 };
    for (size_t i = 0; i < g_shell.positional.count; ++i) {
        if (i)
            sb_append_char(&joined, ' ');
        sb_append(&joined, g_shell.positional.items[i]);
    }
    return sb_take(&joined);
}

// The value of a parameter named by `name` (a variable name or one special
// character or digits). Returns a new string, or null when unset.
static char* parameter_value(const char* name)
{
    char buffer[32];
    if (strcmp(name, "?") == 0) {
        snprintf(buffer, sizeof(buffer), "%d", g_shell.last_status);
    } else if (strcmp(name, "$") == 0) {
        snprintf(buffer, sizeof(buffer), "%d", g_shell.shell_pid);
    } else if (strcmp(name, "!") == 0) {
        if (!g_shell.last_background_pid)
            return NULL;
        snprintf(buffer, sizeof(buffer), "%d", g_shell.last_background_pid);
    } else if (strcmp(name, "#") == 0) {
        snprintf(buffer, sizeof(buffer), "%zu", g_shell.positional.count);
    } else if (strcmp(name, "@") == 0 || strcmp(name, "*") == 0) {
        return g_shell.positional.count ? join_positional() : NULL;
    } else if (name[0] >= '0' && name[0] <= '9') {
        size_t index = strtoul(name, NULL, 10);
        if (index == 0)
            return xstrdup(g_shell.name);
        return index <= g_shell.positional.count ? xstrdup(g_shell.positional.items[index - 1]) : NULL;
    } else {
        const char* value = variable_get(name);
        return value ? xstrdup(value) : NULL;
    }
    return xstrdup(buffer);
}

static void expand_into(Expander* expander, const char* word);

// "$@" and unquoted $@ / $*: one field per positional parameter.
static void add_positional_fields(Expander* expander, bool quoted)
{
    if (g_shell.positional.count == 0) {
        if (quoted)
            expander->drop_if_empty = true;
        return;
    }
    for (size_t i = 0; i < g_shell.positional.count; ++i) {
        if (i && expander->split == SplitYes)
            end_field(expander);
        else if (i)
            add_char(expander, ' ', quoted);
        add_expansion(expander, g_shell.positional.items[i], quoted);
    }
}

// ${...}: `inner` is the text between the braces.
static void expand_braced(Expander* expander, const char* inner, bool quoted)
{
    bool length_of = inner[0] == '#' && inner[1] != '\0';
    const char* name_start = length_of ? inner + 1 : inner;
    size_t name_length = 0;
    if (is_name_start(name_start[0])) {
        while (is_name_char(name_start[name_length]))
            ++name_length;
    } else if (name_start[0] >= '0' && name_start[0] <= '9') {
        while (name_start[name_length] >= '0' && name_start[name_length] <= '9')
            ++name_length;
    } else if (name_start[0] && strchr("?$!#@*", name_start[0])) {
        name_length = 1;
    }
    const char* operation = name_start + name_length;
    if (name_length == 0 || (length_of && *operation)) {
        shell_error("${%s}: bad substitution", inner);
        expander->failed = true;
        return;
    }
    char* name = xstrndup(name_start, name_length);
    char* value = parameter_value(name);
    if (length_of) {
        char buffer[32];
        snprintf(buffer, sizeof(buffer), "%zu", value ? strlen(value) : 0);
        add_expansion(expander, buffer, quoted);
    } else if (*operation == '\0') {
        if (!quoted && (strcmp(name, "@") == 0 || strcmp(name, "*") == 0))
            add_positional_fields(expander, false);
        else if (value)
            add_expansion(expander, value, quoted);
        else if (quoted)
            expander->has_field = true;
    } else {
        bool colon = *operation == ':';
        char kind = operation[colon ? 1 : 0];
        const char* argument = operation + (colon ? 2 : 1);
        bool is_set = value && (!colon || *value);
        if (!strchr("-=+", kind) || kind == '\0') {
            shell_error("${%s}: bad substitution", inner);
            expander->failed = true;
        } else if ((kind == '-' || kind == '=') && !is_set) {
            char* replacement = expand_word(argument);
            if (!replacement) {
                expander->failed = true;
            } else {
                if (kind == '=')
                    variable_set(name, replacement);
                add_expansion(expander, replacement, quoted);
                free(replacement);
            }
        } else if (kind == '+') {
            if (is_set)
                expand_into(expander, argument);
            else if (quoted)
                expander->has_field = true;
        } else {
            add_expansion(expander, value, quoted);
        }
    }
    free(value);
    free(name);
}

// Expands the `$` form at word[index]; returns the index after it.
static size_t expand_dollar(Expander* expander, const char* word, size_t index, bool quoted)
{
    const char* after = word + index + 1;
    if (after[0] == '(' && after[1] == '(') {
        size_t end = skip_command_substitution(word, index + 2);
        if (end && end >= index + 5 && word[end - 2] == ')') {
            char* expression_source = xstrndup(word + index + 3, end - index - 5);
            char* expression = expand_word(expression_source);
            long long value;
            if (!expression || !arithmetic_evaluate(expression, &value)) {
                expander->failed = true;
            } else {
                char buffer[32];
                snprintf(buffer, sizeof(buffer), "%lld", value);
                add_expansion(expander, buffer, quoted);
            }
            free(expression);
            free(expression_source);
            return end;
        }
    }
    if (after[0] == '(') {
        size_t end = skip_command_substitution(word, index + 2);
        char* source = xstrndup(word + index + 2, end - index - 3);
        char* output = command_substitution(source);
        add_expansion(expander, output, quoted);
        free(output);
        free(source);
        return end;
    }
    if (after[0] == '{') {
        size_t end = skip_braced_parameter(word, index + 2);
        char* inner = xstrndup(word + index + 2, end - index - 3);
        expand_braced(expander, inner, quoted);
        free(inner);
        return end;
    }
    size_t length = 0;
    if (is_name_start(after[0])) {
        while (is_name_char(after[length]))
            ++length;
    } else if ((after[0] >= '0' && after[0] <= '9') || (after[0] && strchr("?$!#@*", after[0]))) {
        length = 1;
    }
    if (length == 0) {
        add_char(expander, '$', quoted);
        return index + 1;
    }
    char* name = xstrndup(after, length);
    if ((strcmp(name, "@") == 0 && (quoted || expander->split == SplitYes))
        || (strcmp(name, "*") == 0 && !quoted && expander->split == SplitYes)) {
        add_positional_fields(expander, quoted);
    } else {
        char* value = parameter_value(name);
        if (value)
            add_expansion(expander, value, quoted);
        else if (quoted)
            expander->has_field = true;
        free(value);
    }
    free(name);
    return index + 1 + length;
}

// `...`: the old form of command substitution; \` \\ and \$ are unescaped.
static size_t expand_backquotes(Expander* expander, const char* word, size_t index, bool quoted)
{
    StringBuffer source = { 0 };
    ++index;
    while (word[index] && word[index] != '`') {
        if (word[index] == '\\' && word[index + 1] && strchr("`\\$", word[index + 1]))
            ++index;
        sb_append_char(&source, word[index++]);
    }
    char* output = command_substitution(source.data ? source.data : "");
    add_expansion(expander, output, quoted);
    free(output);
    sb_free(&source);
    return word[index] ? index + 1 : index;
}

static void expand_into(Expander* expander, const char* word)
{
    bool in_double_quotes = false;
    size_t index = 0;
    if (word[0] == '~' && (word[1] == '\0' || word[1] == '/')) {
        const char* home = variable_get("HOME");
        add_expansion(expander, home ? home : "~", true);
        index = 1;
    }
    while (word[index] && !expander->failed) {
        char character = word[index];
        if (character == '\'' && !in_double_quotes) {
            expander->has_field = true;
            for (++index; word[index] && word[index] != '\''; ++index)
                add_char(expander, word[index], true);
            if (word[index])
                ++index;
        } else if (character == '"') {
            expander->has_field = true;
            in_double_quotes = !in_double_quotes;
            ++index;
        } else if (character == '\\') {
            char next = word[index + 1];
            // Inside "..." only $ ` " \ and newline can be escaped.
            bool literal = !next || (in_double_quotes && !strchr("$`\"\\\n", next));
            if (literal) {
                add_char(expander, '\\', true);
                ++index;
            } else {
                add_char(expander, next, true);
                index += 2;
            }
        } else if (character == '$') {
            index = expand_dollar(expander, word, index, in_double_quotes);
        } else if (character == '`') {
            index = expand_backquotes(expander, word, index, in_double_quotes);
        } else {
            add_char(expander, character, in_double_quotes);
            ++index;
        }
    }
}

bool expand_words(char* const* words, size_t count, StringList* out)
{
    Expander expander = { .fields = out, .split = SplitYes };
    for (size_t i = 0; i < count && !expander.failed; ++i) {
        expand_into(&expander, words[i]);
        end_field(&expander);
    }
    sb_free(&expander.current);
    return !expander.failed;
}

char* expand_word(const char* word)
{
    StringList fields = { 0 };
    Expander expander = { .fields = &fields, .split = SplitNo };
    expand_into(&expander, word);
    expander.has_field = true;
    end_field(&expander);
    sb_free(&expander.current);
    if (expander.failed) {
        string_list_free(&fields);
        return NULL;
    }
    char* result = fields.count ? fields.items[0] : xstrdup("");
    if (fields.count)
        fields.items[0] = NULL;
    string_list_free(&fields);
    return result;
}
