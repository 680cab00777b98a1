// Tests for the kshell line-editing state machine. Besides checking the
// buffer, the tests run the editor's output through a small model of a
// terminal (printable text, BEL, LF, CUB, CUF, EL) and check that the screen
// row shows exactly the line with the cursor in the right column: that is the
// property both the serial terminal and the VGA console rely on.
#include <gtest/gtest.h>
#include <kernel/kshell/LineEditing.h>
#include <memory>
#include <random>
#include <string>

namespace {

using kshell::LineEditing;
using Result = LineEditing::Result;

class StringSink final : public FormatSink {
public:
    void write(StringView text) override { this->text.append(text.characters(), text.length()); }
    std::string text;
};

// The subset of a VT100 the editor may use. Anything else fails the test.
class TerminalModel {
public:
    void run(const std::string& output)
    {
        for (size_t i = 0; i < output.size(); ++i) {
            char c = output[i];
            if (c == '\a') {
                ++bells;
            } else if (c == '\n') {
                ++line_feeds;
                row.clear();
                column = 0;
            } else if (c == '\x1b') {
                ASSERT_LT(i + 1, output.size());
                ASSERT_EQ(output[i + 1], '[') << "only CSI sequences expected";
                size_t j = i + 2;
                size_t count = 0;
                bool has_count = false;
                while (j < output.size() && output[j] >= '0' && output[j] <= '9') {
                    count = count * 10 + (output[j] - '0');
                    has_count = true;
                    ++j;
                }
                ASSERT_LT(j, output.size());
                if (!has_count)
                    count = 1;
                switch (output[j]) {
                case 'D':
                    ASSERT_GE(column, count) << "cursor moved left past the prompt";
                    column -= count;
                    break;
                case 'C':
                    column += count;
                    ASSERT_LE(column, row.size()) << "cursor moved right past the text";
                    break;
                case 'K':
                    ASSERT_FALSE(has_count);
                    row.resize(column);
                    break;
                default:
                    FAIL() << "unexpected sequence final byte " << output[j];
                }
                i = j;
            } else {
                ASSERT_GE(static_cast<unsigned char>(c), 0x20) << "unexpected control byte";
                if (column == row.size())
                    row.push_back(c);
                else
                    row[column] = c;
                ++column;
            }
        }
    }

    std::string row;
    size_t column { 0 };
    int bells { 0 };
    int line_feeds { 0 };
};

class LineEditingTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_editor = std::make_unique<LineEditing>();
        m_editor->begin_line();
    }

    // Feeds `input` byte by byte; returns the last result and keeps the output.
    Result type(const std::string& input)
    {
        Result result = Result::Editing;
        m_output.clear();
        for (char c : input) {
            StringSink sink;
            result = m_editor->feed(c, sink);
            m_output += sink.text;
            m_terminal.run(sink.text);
            if (result != Result::Editing) {
                m_submitted.emplace_back(m_editor->line().characters(), m_editor->line().length());
                m_editor->begin_line();
            }
        }
        return result;
    }

    std::string line() const { return { m_editor->line().characters(), m_editor->line().length() }; }

    void expect_screen_matches()
    {
        EXPECT_EQ(m_terminal.row, line());
        EXPECT_EQ(m_terminal.column, m_editor->cursor());
    }

    std::unique_ptr<LineEditing> m_editor;
    TerminalModel m_terminal;
    std::string m_output;
    std::vector<std::string> m_submitted;
};

constexpr const char* LEFT = "\x1b[D";
constexpr const char* RIGHT = "\x1b[C";
constexpr const char* UP = "\x1b[A";
constexpr const char* DOWN = "\x1b[B";
constexpr const char* HOME = "\x1b[H";
constexpr const char* END = "\x1b[F";
constexpr const char* DELETE = "\x1b[3~";

TEST_F(LineEditingTest, TypingEchoesAndSubmits)
{
    EXPECT_EQ(type("echo hi"), Result::Editing);
    EXPECT_EQ(m_output, "echo hi");
    EXPECT_EQ(type("\r"), Result::Submitted);
    EXPECT_EQ(m_output, "\n");
    ASSERT_EQ(m_submitted.size(), 1u);
    EXPECT_EQ(m_submitted[0], "echo hi");
}

TEST_F(LineEditingTest, InsertInTheMiddleRedrawsTheTail)
{
    type("helo");
    type(LEFT);
    EXPECT_EQ(m_editor->cursor(), 3u);
    type("l");
    EXPECT_EQ(m_output, "lo\x1b[1D");
    EXPECT_EQ(line(), "hello");
    EXPECT_EQ(m_editor->cursor(), 4u);
    expect_screen_matches();
}

TEST_F(LineEditingTest, BackspaceAtStartDoesNothing)
{
    type("abc");
    type(HOME);
    EXPECT_EQ(m_editor->cursor(), 0u);
    type("\x7f\b");
    EXPECT_EQ(m_output, "");
    EXPECT_EQ(line(), "abc");
    expect_screen_matches();
}

TEST_F(LineEditingTest, BackspaceInTheMiddleAndAtTheEnd)
{
    type("abcd");
    type("\x7f");
    EXPECT_EQ(line(), "abc");
    expect_screen_matches();
    type(std::string(LEFT) + "\b");
    EXPECT_EQ(line(), "ac");
    EXPECT_EQ(m_editor->cursor(), 1u);
    expect_screen_matches();
}

TEST_F(LineEditingTest, ArrowsStopAtTheEnds)
{
    type("ab");
    type(RIGHT);
    EXPECT_EQ(m_output, "");
    type(std::string(LEFT) + LEFT + LEFT);
    EXPECT_EQ(m_editor->cursor(), 0u);
    type(RIGHT);
    EXPECT_EQ(m_editor->cursor(), 1u);
    expect_screen_matches();
}

TEST_F(LineEditingTest, DeleteKeyAndControlD)
{
    type("abcd");
    type(std::string(HOME) + DELETE);
    EXPECT_EQ(line(), "bcd");
    EXPECT_EQ(m_editor->cursor(), 0u);
    type("\x04");
    EXPECT_EQ(line(), "cd");
    type(std::string(END) + DELETE);
    EXPECT_EQ(line(), "cd");
    EXPECT_EQ(m_editor->cursor(), 2u);
    expect_screen_matches();
}

TEST_F(LineEditingTest, HomeAndEndInEveryForm)
{
    const char* homes[] = { "\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~", "\x01" };
    const char* ends[] = { "\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~", "\x05" };
    type("hello");
    for (size_t i = 0; i < 5; ++i) {
        type(homes[i]);
        EXPECT_EQ(m_editor->cursor(), 0u) << i;
        type(ends[i]);
        EXPECT_EQ(m_editor->cursor(), 5u) << i;
    }
    EXPECT_EQ(line(), "hello");
    expect_screen_matches();
}

TEST_F(LineEditingTest, ControlUClearsAndControlKCuts)
{
    type("hello world");
    type(HOME);
    for (int i = 0; i < 6; ++i)
        type(RIGHT);
    type("\x0b");
    EXPECT_EQ(line(), "hello ");
    expect_screen_matches();
    type(std::string(LEFT) + "\x15");
    EXPECT_EQ(line(), "");
    EXPECT_EQ(m_editor->cursor(), 0u);
    expect_screen_matches();
}

TEST_F(LineEditingTest, ControlCAbandonsTheLine)
{
    EXPECT_EQ(type("rebo\x03"), Result::Cancelled);
    EXPECT_EQ(m_output, "rebo^C\n");
    EXPECT_EQ(m_submitted.back(), "");
    EXPECT_EQ(m_editor->history_count(), 0u);
}

TEST_F(LineEditingTest, HistoryUpDownAndBackToTheDraft)
{
    type("one\r");
    type("two\r");
    type("dra");
    type(UP);
    EXPECT_EQ(line(), "two");
    expect_screen_matches();
    type("\x1bOA"); // SS3 form, as terminals in application cursor mode send
    EXPECT_EQ(line(), "one");
    type(UP); // no older entry: stays
    EXPECT_EQ(line(), "one");
    expect_screen_matches();
    type(DOWN);
    EXPECT_EQ(line(), "two");
    type(DOWN);
    EXPECT_EQ(line(), "dra");
    EXPECT_EQ(m_editor->cursor(), 3u);
    expect_screen_matches();
    type(DOWN);
    EXPECT_EQ(line(), "dra");
}

TEST_F(LineEditingTest, RecalledEntryCanBeEditedAndSubmitted)
{
    type("echo two\r");
    EXPECT_EQ(type(std::string(UP) + "\x7fo\r"), Result::Submitted);
    EXPECT_EQ(m_submitted.back(), "echo two");
    type(std::string(UP) + "\x10\x0e"); // ^P then ^N back to the draft
    EXPECT_EQ(line(), "");
}

TEST_F(LineEditingTest, HistorySkipsDuplicatesOfTheLastEntryAndBlankLines)
{
    type("a\ra\r  \r\rb\ra\r");
    ASSERT_EQ(m_editor->history_count(), 3u);
    EXPECT_EQ(m_editor->history_entry(0), StringView("a"));
    EXPECT_EQ(m_editor->history_entry(1), StringView("b"));
    EXPECT_EQ(m_editor->history_entry(2), StringView("a"));
    EXPECT_TRUE(m_editor->history_entry(3).is_empty());
}

TEST_F(LineEditingTest, HistoryRingKeepsTheNewestEntries)
{
    for (int i = 0; i < 40; ++i)
        type("cmd" + std::to_string(i) + "\r");
    ASSERT_EQ(m_editor->history_count(), LineEditing::HISTORY_SIZE);
    EXPECT_EQ(m_editor->history_entry(0), StringView("cmd39"));
    EXPECT_EQ(m_editor->history_entry(31), StringView("cmd8"));
    for (int i = 0; i < 50; ++i)
        type(UP);
    EXPECT_EQ(line(), "cmd8");
}

TEST_F(LineEditingTest, EscapeSequencesSplitAcrossCallsAndParameters)
{
    type("abc");
    // Each byte arrives in its own feed() call already; also interleave a
    // sequence with parameters, as Ctrl-Left/Right send.
    type("\x1b");
    EXPECT_EQ(line(), "abc");
    type("[");
    type("1;5");
    type("D");
    EXPECT_EQ(m_editor->cursor(), 2u);
    type("\x1b[1;5C");
    EXPECT_EQ(m_editor->cursor(), 3u);
    type("\x1b[5~\x1b[24~"); // page up, F12: ignored
    EXPECT_EQ(line(), "abc");
    expect_screen_matches();
}

TEST_F(LineEditingTest, BrokenSequencesDoNotEatKeys)
{
    type("\x1bx"); // ESC then a letter: the letter is typed
    EXPECT_EQ(line(), "x");
    EXPECT_EQ(type("\x1b[\r"), Result::Submitted); // Enter inside a sequence still submits
    EXPECT_EQ(m_submitted.back(), "x");
    // An overlong sequence is dropped after 16 bytes; the editor recovers.
    type("\x1b[" + std::string(40, '1') + "y");
    EXPECT_LT(line().size(), 40u);
    expect_screen_matches();
    type("\x15ok");
    EXPECT_EQ(line(), "ok");
    expect_screen_matches();
}

TEST_F(LineEditingTest, CrLfSubmitsOnce)
{
    type("ls\r\n");
    type("\n");
    ASSERT_EQ(m_submitted.size(), 2u);
    EXPECT_EQ(m_submitted[0], "ls");
    EXPECT_EQ(m_submitted[1], "");
}

TEST_F(LineEditingTest, OverlongInputIsBounded)
{
    type(std::string(300, 'x'));
    EXPECT_EQ(m_editor->line().length(), LineEditing::MAX_LINE);
    EXPECT_EQ(m_terminal.bells, 300 - static_cast<int>(LineEditing::MAX_LINE));
    type(std::string(HOME) + "y");
    EXPECT_EQ(line(), std::string(LineEditing::MAX_LINE, 'x'));
    expect_screen_matches();
    type(std::string(END) + "\x7fy");
    EXPECT_EQ(line().back(), 'y');
}

TEST_F(LineEditingTest, RandomKeysKeepTheScreenInStep)
{
    const std::string keys[] = { "a", "b", " ", "\x7f", "\b", "\x04", LEFT, RIGHT, UP, DOWN, HOME, END, DELETE,
        "\x1bOD", "\x1bOC", "\x01", "\x05", "\x15", "\x0b", "\x10", "\x0e", "\r", "\x03", "\x1b", "[", "\t" };
    std::mt19937 random(12345);
    std::uniform_int_distribution<size_t> pick(0, std::size(keys) - 1);
    for (int step = 0; step < 20000; ++step) {
        const std::string& key = keys[pick(random)];
        int lines_before = m_terminal.line_feeds;
        type(key);
        if (::testing::Test::HasFatalFailure())
            return;
        ASSERT_LE(m_editor->cursor(), m_editor->line().length());
        if (m_terminal.line_feeds == lines_before) {
            ASSERT_EQ(m_terminal.row, line()) << "step " << step;
            ASSERT_EQ(m_terminal.column, m_editor->cursor()) << "step " << step;
        } else {
            ASSERT_EQ(m_editor->line().length(), 0u);
        }
    }
    EXPECT_GT(m_submitted.size(), 100u);
    EXPECT_GT(m_editor->history_count(), 0u);
}

} // namespace
