#pragma once

// The parser turns tokens into the syntax tree the executor walks
// (POSIX XCU 2.9, a subset):
//
//   list      := and_or ((';' | '&' | newline) and_or)* [';' | '&']
//   and_or    := pipeline (('&&' | '||') newline* pipeline)*
//   pipeline  := ['!'] command ('|' newline* command)*
//   command   := simple | '(' list ')' redirection*
//   simple    := (word | redirection)+
//
// Words stay raw (quotes included); assignments are recognized when the
// command is expanded. Each pipeline and list item keeps its source text,
// which the job table shows.

#include "lexer.h"
#include "util.h"
#include <stdbool.h>

typedef enum {
    REDIRECT_INPUT,            // [n]<word
    REDIRECT_OUTPUT,           // [n]>word
    REDIRECT_APPEND,           // [n]>>word
    REDIRECT_DUPLICATE_INPUT,  // [n]<&word
    REDIRECT_DUPLICATE_OUTPUT, // [n]>&word
    REDIRECT_OUTPUT_AND_ERROR, // &>word
    REDIRECT_APPEND_AND_ERROR, // &>>word
} RedirectKind;

typedef struct {
    RedirectKind kind;
    int fd;     // the descriptor being redirected
    char* word; // raw target: a file name, or a digit / "-" for duplications
} Redirect;

typedef enum {
    COMMAND_SIMPLE,
    COMMAND_SUBSHELL,
} CommandKind;

struct List;

typedef struct {
    CommandKind kind;
    StringList words; // raw words of a simple command
    Redirect* redirects;
    size_t redirect_count;
    struct List* body; // for a subshell
} Command;

typedef struct {
    Command* commands;
    size_t count;
    bool negated;
    char* text;
} Pipeline;

typedef enum {
    AND_OR_AND, // &&
    AND_OR_OR,  // ||
} AndOrOperator;

typedef struct {
    Pipeline* pipelines;
    AndOrOperator* operators; // operators[i] joins pipelines[i] and pipelines[i + 1]
    size_t count;
} AndOr;

typedef struct {
    AndOr and_or;
    bool background;
    char* text;
} ListItem;

typedef struct List {
    ListItem* items;
    size_t count;
} List;

typedef enum {
    PARSE_OK,
    PARSE_INCOMPLETE, // the input ends inside a construct: read more
    PARSE_ERROR,
} ParseStatus;

// Parses all of `input`. On PARSE_ERROR, *error_token is the offending
// token's spelling (caller frees). On PARSE_OK, *out is the list (may have
// no items).
ParseStatus parse(const char* input, List** out, char** error_token);
void list_free(List* list);
