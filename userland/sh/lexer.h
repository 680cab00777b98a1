#pragma once

// The lexer cuts shell input into words and operators (POSIX XCU 2.3, token
// recognition). A word keeps its quotes, backslashes and `$` forms exactly as
// typed; expansion (expand.c) interprets them later. Only a backslash-newline
// pair is removed here (line continuation).
//
// Operators: | || & && ; newline ( ) and the redirections < > >> <& >& >|
// &> &>>, where a redirection may carry an IO number: digits written right
// before it ("2>" or "10<&"). A `#` that starts a word begins a comment.

#include <stddef.h>

typedef enum {
    TokenWord,
    TokenPipe,
    TokenOrIf,
    TokenAmpersand,
    TokenAndIf,
    TokenSemicolon,
    TokenNewline,
    TokenOpenParen,
    TokenCloseParen,
    TokenLess,           // <
    TokenGreat,          // >  (and >|)
    TokenDoubleGreat,    // >>
    TokenLessAnd,        // <&
    TokenGreatAnd,       // >&
    TokenAndGreat,       // &>
    TokenAndDoubleGreat, // &>>
    TokenEnd,
} TokenKind;

typedef struct {
    TokenKind kind;
    char* text;    // the raw word for TokenWord, the operator's spelling otherwise
    int io_number; // for redirections: the explicit fd, or -1
    size_t start;  // byte range in the input, for job texts
    size_t end;
} Token;

typedef struct {
    Token* tokens;
    size_t count;
    size_t capacity;
} TokenList;

typedef enum {
    LexOk,
    LexIncomplete, // an open quote, $( or ${, or a trailing backslash: more input needed
} LexStatus;

LexStatus lex(const char* input, TokenList* out);
void token_list_free(TokenList* list);
int token_is_redirection(TokenKind kind);

// Given input[start] just after "$(", returns the index just after the
// matching ")", or 0 if the input ends first. Quotes and nested parentheses
// are honoured. Shared with the expander.
size_t skip_command_substitution(const char* input, size_t start);
// Given input[start] just after "${", returns the index after the matching
// "}", or 0 if the input ends first.
size_t skip_braced_parameter(const char* input, size_t start);
