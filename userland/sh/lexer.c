// Token recognition (POSIX XCU 2.3), see lexer.h.
//
// The scan is a single pass over the input. A word ends at an unquoted blank
// or operator character; inside '...', "...", $(...), ${...} and `...` those
// characters are part of the word. Incomplete constructs at the end of the
// input make the whole lex incomplete, so the caller can read another line.

#include "lexer.h"
#include "util.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_blank(char character)
{
    return character == ' ' || character == '\t';
}

static bool is_operator_start(char character)
{
    return strchr("|&;<>()\n", character) != NULL && character != '\0';
}

// Returns the index after the closing quote, or 0 if there is none.
static size_t skip_single_quotes(const char* input, size_t index)
{
    while (input[index] && input[index] != '\'')
        ++index;
    return input[index] ? index + 1 : 0;
}

static size_t skip_backquotes(const char* input, size_t index)
{
    while (input[index] && input[index] != '`') {
        if (input[index] == '\\' && input[index + 1])
            ++index;
        ++index;
    }
    return input[index] ? index + 1 : 0;
}

// Double-quoted text: backslash escapes, $(...) and ${...} may nest quotes.
static size_t skip_double_quotes(const char* input, size_t index)
{
    while (input[index] && input[index] != '"') {
        if (input[index] == '\\' && input[index + 1]) {
            index += 2;
        } else if (input[index] == '$' && input[index + 1] == '(') {
            index = skip_command_substitution(input, index + 2);
            if (!index)
                return 0;
        } else if (input[index] == '$' && input[index + 1] == '{') {
            index = skip_braced_parameter(input, index + 2);
            if (!index)
                return 0;
        } else if (input[index] == '`') {
            index = skip_backquotes(input, index + 1);
            if (!index)
                return 0;
        } else {
            ++index;
        }
    }
    return input[index] ? index + 1 : 0;
}

size_t skip_command_substitution(const char* input, size_t index)
{
    int depth = 1;
    while (input[index]) {
        char character = input[index];
        if (character == '\\' && input[index + 1]) {
            index += 2;
            continue;
        }
        if (character == '\'') {
            index = skip_single_quotes(input, index + 1);
        } else if (character == '"') {
            index = skip_double_quotes(input, index + 1);
        } else if (character == '`') {
            index = skip_backquotes(input, index + 1);
        } else if (character == '#' && (index == 0 || is_blank(input[index - 1]) || input[index - 1] == '\n')) {
            while (input[index] && input[index] != '\n')
                ++index;
            continue;
        } else {
            if (character == '(')
                ++depth;
            else if (character == ')' && --depth == 0)
                return index + 1;
            ++index;
            continue;
        }
        if (!index)
            return 0;
    }
    return 0;
}

size_t skip_braced_parameter(const char* input, size_t index)
{
    while (input[index] && input[index] != '}') {
        if (input[index] == '\\' && input[index + 1]) {
            index += 2;
        } else if (input[index] == '\'') {
            index = skip_single_quotes(input, index + 1);
            if (!index)
                return 0;
        } else if (input[index] == '"') {
            index = skip_double_quotes(input, index + 1);
            if (!index)
                return 0;
        } else if (input[index] == '$' && input[index + 1] == '(') {
            index = skip_command_substitution(input, index + 2);
            if (!index)
                return 0;
        } else {
            ++index;
        }
    }
    return input[index] ? index + 1 : 0;
}

static void push_token(TokenList* list, Token token)
{
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 16;
        list->tokens = xrealloc(list->tokens, list->capacity * sizeof(Token));
    }
    list->tokens[list->count++] = token;
}

typedef struct {
    const char* spelling;
    TokenKind kind;
} Operator;

// Longest spellings first, so that "&&" wins over "&" and "&>>" over "&>".
static const Operator s_operators[] = {
    { "&>>", TokenAndDoubleGreat },
    { "&&", TokenAndIf },
    { "&>", TokenAndGreat },
    { "||", TokenOrIf },
    { ">>", TokenDoubleGreat },
    { ">&", TokenGreatAnd },
    { "<&", TokenLessAnd },
    { ">|", TokenGreat },
    { "|", TokenPipe },
    { "&", TokenAmpersand },
    { ";", TokenSemicolon },
    { "\n", TokenNewline },
    { "(", TokenOpenParen },
    { ")", TokenCloseParen },
    { "<", TokenLess },
    { ">", TokenGreat },
};

static const Operator* match_operator(const char* input)
{
    for (size_t i = 0; i < sizeof(s_operators) / sizeof(s_operators[0]); ++i) {
        size_t length = strlen(s_operators[i].spelling);
        if (strncmp(input, s_operators[i].spelling, length) == 0)
            return &s_operators[i];
    }
    return NULL;
}

// Scans one word starting at input[index]; appends its text (without
// backslash-newline pairs) to `word`. Returns the end index, or 0 when the
// word is incomplete.
static size_t scan_word(const char* input, size_t index, StringBuffer* word)
{
    while (input[index] && !is_blank(input[index]) && !is_operator_start(input[index])) {
        size_t end;
        char character = input[index];
        if (character == '\\') {
            // A backslash-newline at the very end continues on the next line.
            if (!input[index + 1] || (input[index + 1] == '\n' && !input[index + 2]))
                return 0;
            if (input[index + 1] == '\n') {
                index += 2;
                continue;
            }
            end = index + 2;
        } else if (character == '\'') {
            end = skip_single_quotes(input, index + 1);
        } else if (character == '"') {
            end = skip_double_quotes(input, index + 1);
        } else if (character == '`') {
            end = skip_backquotes(input, index + 1);
        } else if (character == '$' && input[index + 1] == '(') {
            end = skip_command_substitution(input, index + 2);
        } else if (character == '$' && input[index + 1] == '{') {
            end = skip_braced_parameter(input, index + 2);
        } else {
            end = index + 1;
        }
        if (!end)
            return 0;
        sb_append_n(word, input + index, end - index);
        index = end;
    }
    return index;
}

static bool all_digits(const char* text)
{
    if (!*text)
        return false;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9')
            return false;
    }
    return true;
}

int token_is_redirection(TokenKind kind)
{
    return kind == TokenLess || kind == TokenGreat || kind == TokenDoubleGreat || kind == TokenLessAnd
        || kind == TokenGreatAnd || kind == TokenAndGreat || kind == TokenAndDoubleGreat;
}

LexStatus lex(const char* input, TokenList* out)
{
    size_t index = 0;
    StringBuffer word = { 0 };
    for (;;) {
        while (is_blank(input[index]) || (input[index] == '\\' && input[index + 1] == '\n')) {
            if (input[index] == '\\' && !input[index + 2]) {
                sb_free(&word);
                return LexIncomplete;
            }
            index += is_blank(input[index]) ? 1 : 2;
        }
        if (!input[index])
            break;
        if (input[index] == '#') {
            while (input[index] && input[index] != '\n')
                ++index;
            continue;
        }
        const Operator* matched = match_operator(input + index);
        if (matched) {
            size_t length = strlen(matched->spelling);
            push_token(out, (Token) { matched->kind, xstrdup(matched->spelling), -1, index, index + length });
            index += length;
            continue;
        }
        size_t start = index;
        index = scan_word(input, index, &word);
        if (!index) {
            sb_free(&word);
            return LexIncomplete;
        }
        char* text = sb_take(&word);
        // "2>file": a number right before a redirection operator is its fd.
        if ((input[index] == '<' || input[index] == '>') && all_digits(text) && strlen(text) < 5) {
            const Operator* redirection = match_operator(input + index);
            size_t length = strlen(redirection->spelling);
            push_token(
                out, (Token) { redirection->kind, xstrdup(redirection->spelling), atoi(text), start, index + length });
            free(text);
            index += length;
            continue;
        }
        push_token(out, (Token) { TokenWord, text, -1, start, index });
    }
    push_token(out, (Token) { TokenEnd, xstrdup(""), -1, index, index });
    return LexOk;
}

void token_list_free(TokenList* list)
{
    for (size_t i = 0; i < list->count; ++i)
        free(list->tokens[i].text);
    free(list->tokens);
    list->tokens = NULL;
    list->count = 0;
    list->capacity = 0;
}
