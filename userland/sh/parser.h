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
    RedirectInput,           // [n]<word
    RedirectOutput,          // [n]>word
    RedirectAppend,          // [n]>>word
    RedirectDuplicateInput,  // [n]<&word
    RedirectDuplicateOutput, // [n]>&word
    RedirectOutputAndError,  // &>word
    RedirectAppendAndError,  // &>>word
} RedirectKind;

typedef struct {
    RedirectKind kind;
    int fd;     // the descriptor being redirected
    char* word; // raw target: a file name, or a digit / "-" for duplications
} Redirect;

typedef enum {
    CommandSimple,
    CommandSubshell,
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
    AndOrAnd, // &&
    AndOrOr,  // ||
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
    ParseOk,
    ParseIncomplete, // the input ends inside a construct: read more
    ParseError,
} ParseStatus;

// Parses all of `input`. On ParseError, *error_token is the offending
// token's spelling (caller frees). On ParseOk, *out is the list (may have
// no items).
ParseStatus parse(const char* input, List** out, char** error_token);
void list_free(List* list);
