// Recursive-descent parser over the token list (grammar in parser.h).
//
// Every parse function returns a ParseStatus; on anything but ParseOk the
// partial tree is freed through list_free: every node is zeroed before it is
// filled in, so a half-built node frees cleanly.

#include "parser.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char* input;
    TokenList tokens;
    size_t position;
    char* error_token;
} Parser;

static const Token* peek(Parser* parser)
{
    return &parser->tokens.tokens[parser->position];
}

static const Token* advance(Parser* parser)
{
    const Token* token = peek(parser);
    if (token->kind != TokenEnd)
        ++parser->position;
    return token;
}

static bool accept(Parser* parser, TokenKind kind)
{
    if (peek(parser)->kind != kind)
        return false;
    advance(parser);
    return true;
}

static void skip_newlines(Parser* parser)
{
    while (accept(parser, TokenNewline)) { }
}

// An unexpected token: the end of input means "incomplete", anything else is
// a syntax error reported with the token's spelling.
static ParseStatus unexpected(Parser* parser)
{
    const Token* token = peek(parser);
    if (token->kind == TokenEnd)
        return ParseIncomplete;
    if (!parser->error_token)
        parser->error_token = xstrdup(token->kind == TokenNewline ? "newline" : token->text);
    return ParseError;
}

static char* source_text(Parser* parser, size_t first_token, size_t end_token)
{
    if (end_token <= first_token)
        return xstrdup("");
    size_t start = parser->tokens.tokens[first_token].start;
    size_t end = parser->tokens.tokens[end_token - 1].end;
    while (end > start && parser->input[end - 1] == '\n')
        --end;
    return xstrndup(parser->input + start, end - start);
}

static ParseStatus parse_list(Parser* parser, List* list, TokenKind terminator);

static ParseStatus parse_redirect(Parser* parser, Command* command)
{
    const Token* redirection = advance(parser);
    if (peek(parser)->kind != TokenWord)
        return unexpected(parser);
    Redirect redirect = { .fd = redirection->io_number, .word = xstrdup(advance(parser)->text) };
    switch (redirection->kind) {
    case TokenLess:
        redirect.kind = RedirectInput;
        break;
    case TokenGreat:
        redirect.kind = RedirectOutput;
        break;
    case TokenDoubleGreat:
        redirect.kind = RedirectAppend;
        break;
    case TokenLessAnd:
        redirect.kind = RedirectDuplicateInput;
        break;
    case TokenGreatAnd:
        redirect.kind = RedirectDuplicateOutput;
        break;
    case TokenAndGreat:
        redirect.kind = RedirectOutputAndError;
        break;
    default:
        redirect.kind = RedirectAppendAndError;
        break;
    }
    if (redirect.fd < 0)
        redirect.fd = (redirect.kind == RedirectInput || redirect.kind == RedirectDuplicateInput) ? 0 : 1;
    command->redirects = xrealloc(command->redirects, (command->redirect_count + 1) * sizeof(Redirect));
    command->redirects[command->redirect_count++] = redirect;
    return ParseOk;
}

static ParseStatus parse_command(Parser* parser, Command* command)
{
    if (accept(parser, TokenOpenParen)) {
        command->kind = CommandSubshell;
        command->body = xcalloc(1, sizeof(List));
        ParseStatus status = parse_list(parser, command->body, TokenCloseParen);
        if (status != ParseOk)
            return status;
        if (!accept(parser, TokenCloseParen))
            return unexpected(parser);
        if (command->body->count == 0)
            return unexpected(parser);
        while (token_is_redirection(peek(parser)->kind)) {
            status = parse_redirect(parser, command);
            if (status != ParseOk)
                return status;
        }
        return ParseOk;
    }
    command->kind = CommandSimple;
    for (;;) {
        TokenKind kind = peek(parser)->kind;
        if (kind == TokenWord) {
            string_list_push(&command->words, xstrdup(advance(parser)->text));
        } else if (token_is_redirection(kind)) {
            ParseStatus status = parse_redirect(parser, command);
            if (status != ParseOk)
                return status;
        } else {
            break;
        }
    }
    if (command->words.count == 0 && command->redirect_count == 0)
        return unexpected(parser);
    return ParseOk;
}

static ParseStatus parse_pipeline(Parser* parser, Pipeline* pipeline)
{
    size_t first = parser->position;
    if (peek(parser)->kind == TokenWord && strcmp(peek(parser)->text, "!") == 0) {
        advance(parser);
        pipeline->negated = true;
    }
    for (;;) {
        pipeline->commands = xrealloc(pipeline->commands, (pipeline->count + 1) * sizeof(Command));
        Command* command = &pipeline->commands[pipeline->count++];
        memset(command, 0, sizeof(*command));
        ParseStatus status = parse_command(parser, command);
        if (status != ParseOk)
            return status;
        if (!accept(parser, TokenPipe))
            break;
        skip_newlines(parser);
    }
    pipeline->text = source_text(parser, first, parser->position);
    return ParseOk;
}

static ParseStatus parse_and_or(Parser* parser, AndOr* and_or)
{
    for (;;) {
        and_or->pipelines = xrealloc(and_or->pipelines, (and_or->count + 1) * sizeof(Pipeline));
        and_or->operators = xrealloc(and_or->operators, (and_or->count + 1) * sizeof(AndOrOperator));
        Pipeline* pipeline = &and_or->pipelines[and_or->count++];
        memset(pipeline, 0, sizeof(*pipeline));
        ParseStatus status = parse_pipeline(parser, pipeline);
        if (status != ParseOk)
            return status;
        if (accept(parser, TokenAndIf))
            and_or->operators[and_or->count - 1] = AndOrAnd;
        else if (accept(parser, TokenOrIf))
            and_or->operators[and_or->count - 1] = AndOrOr;
        else
            return ParseOk;
        skip_newlines(parser);
    }
}

// Parses items until `terminator` (TokenEnd or TokenCloseParen), which is
// left for the caller.
static ParseStatus parse_list(Parser* parser, List* list, TokenKind terminator)
{
    for (;;) {
        skip_newlines(parser);
        TokenKind kind = peek(parser)->kind;
        if (kind == terminator)
            return ParseOk;
        if (kind == TokenEnd)
            return ParseIncomplete;
        size_t first = parser->position;
        list->items = xrealloc(list->items, (list->count + 1) * sizeof(ListItem));
        ListItem* item = &list->items[list->count++];
        memset(item, 0, sizeof(*item));
        ParseStatus status = parse_and_or(parser, &item->and_or);
        if (status != ParseOk)
            return status;
        item->text = source_text(parser, first, parser->position);
        if (accept(parser, TokenAmpersand))
            item->background = true;
        else if (!accept(parser, TokenSemicolon) && !accept(parser, TokenNewline) && peek(parser)->kind != terminator)
            return unexpected(parser);
    }
}

ParseStatus parse(const char* input, List** out, char** error_token)
{
    Parser parser = { .input = input };
    *out = NULL;
    *error_token = NULL;
    if (lex(input, &parser.tokens) == LexIncomplete) {
        token_list_free(&parser.tokens);
        return ParseIncomplete;
    }
    List* list = xcalloc(1, sizeof(List));
    ParseStatus status = parse_list(&parser, list, TokenEnd);
    if (status == ParseOk && peek(&parser)->kind != TokenEnd)
        status = unexpected(&parser);
    if (status != ParseOk) {
        list_free(list);
        *error_token = parser.error_token;
    } else {
        *out = list;
    }
    token_list_free(&parser.tokens);
    return status;
}

static void command_free(Command* command)
{
    string_list_free(&command->words);
    for (size_t i = 0; i < command->redirect_count; ++i)
        free(command->redirects[i].word);
    free(command->redirects);
    list_free(command->body);
}

void list_free(List* list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; ++i) {
        AndOr* and_or = &list->items[i].and_or;
        for (size_t j = 0; j < and_or->count; ++j) {
            Pipeline* pipeline = &and_or->pipelines[j];
            for (size_t k = 0; k < pipeline->count; ++k)
                command_free(&pipeline->commands[k]);
            free(pipeline->commands);
            free(pipeline->text);
        }
        free(and_or->pipelines);
        free(and_or->operators);
        free(list->items[i].text);
    }
    free(list->items);
    free(list);
}
