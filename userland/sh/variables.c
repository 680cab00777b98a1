// The variable table: an unsorted array, searched linearly (a shell has a
// few dozen variables). Sorting happens only when printing.

#include "variables.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char* name;
    char* value; // null: exported but never set
    bool exported;
} Variable;

static Variable* s_variables;
static size_t s_count;
static size_t s_capacity;

static Variable* find(const char* name, size_t length)
{
    for (size_t i = 0; i < s_count; ++i) {
        if (strncmp(s_variables[i].name, name, length) == 0 && s_variables[i].name[length] == '\0')
            return &s_variables[i];
    }
    return NULL;
}

static Variable* find_or_create(const char* name)
{
    Variable* variable = find(name, strlen(name));
    if (variable)
        return variable;
    if (s_count == s_capacity) {
        s_capacity = s_capacity ? s_capacity * 2 : 32;
        s_variables = xrealloc(s_variables, s_capacity * sizeof(Variable));
    }
    variable = &s_variables[s_count++];
    *variable = (Variable) { xstrdup(name), NULL, false };
    return variable;
}

void variables_import(char** environment)
{
    for (; environment && *environment; ++environment) {
        const char* equals = strchr(*environment, '=');
        if (!equals || !is_valid_name(*environment, (size_t)(equals - *environment)))
            continue;
        char* name = xstrndup(*environment, (size_t)(equals - *environment));
        Variable* variable = find_or_create(name);
        free(name);
        free(variable->value);
        variable->value = xstrdup(equals + 1);
        variable->exported = true;
    }
}

const char* variable_get(const char* name)
{
    Variable* variable = find(name, strlen(name));
    return variable ? variable->value : NULL;
}

void variable_set(const char* name, const char* value)
{
    Variable* variable = find_or_create(name);
    char* copy = xstrdup(value);
    free(variable->value);
    variable->value = copy;
}

void variable_export(const char* name)
{
    find_or_create(name)->exported = true;
}

void variable_unset(const char* name)
{
    Variable* variable = find(name, strlen(name));
    if (!variable)
        return;
    free(variable->name);
    free(variable->value);
    *variable = s_variables[--s_count];
}

static bool overridden(const StringList* overrides, const char* name)
{
    size_t length = strlen(name);
    for (size_t i = 0; overrides && i < overrides->count; ++i) {
        if (strncmp(overrides->items[i], name, length) == 0 && overrides->items[i][length] == '=')
            return true;
    }
    return false;
}

void variables_environment(const StringList* overrides, StringList* out)
{
    // The command's own assignments first, as bash orders them.
    for (size_t i = 0; overrides && i < overrides->count; ++i)
        string_list_push(out, xstrdup(overrides->items[i]));
    for (size_t i = 0; i < s_count; ++i) {
        Variable* variable = &s_variables[i];
        if (!variable->exported || !variable->value || overridden(overrides, variable->name))
            continue;
        char* entry;
        if (asprintf(&entry, "%s=%s", variable->name, variable->value) < 0)
            entry = xstrdup("");
        string_list_push(out, entry);
    }
}

static int compare_names(const void* left, const void* right)
{
    return strcmp((*(Variable* const*)left)->name, (*(Variable* const*)right)->name);
}

void variables_print_exported(void)
{
    Variable** sorted = xmalloc(s_count * sizeof(Variable*));
    size_t count = 0;
    for (size_t i = 0; i < s_count; ++i) {
        if (s_variables[i].exported)
            sorted[count++] = &s_variables[i];
    }
    qsort(sorted, count, sizeof(Variable*), compare_names);
    for (size_t i = 0; i < count; ++i) {
        if (!sorted[i]->value) {
            printf("export %s\n", sorted[i]->name);
            continue;
        }
        // Single quotes, with each ' written as '\''.
        printf("export %s='", sorted[i]->name);
        for (const char* character = sorted[i]->value; *character; ++character) {
            if (*character == '\'')
                fputs("'\\''", stdout);
            else
                putchar(*character);
        }
        fputs("'\n", stdout);
    }
    free(sorted);
}
