// The terminal line discipline with scripted input: canonical editing and
// its echo bytes, EOF, signals (recorded through the sink), non-canonical
// VMIN/VTIME decisions on a scripted clock, output processing, and the
// termios values against the host's Linux UAPI headers.
#include <asm/ioctls.h>
#include <asm/termios.h>
#include <cstddef>
#include <gtest/gtest.h>
#include <kernel/tty/LineDiscipline.h>
#include <string>
#include <utility>
#include <vector>

namespace {

using Kind = tty::LineDiscipline::ReadOutcome::Kind;

class RecordingOutput final : public tty::LineDiscipline::Output {
public:
    void write_output(ReadonlyBytes bytes) override
    {
        text.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    std::string text;
};

std::vector<std::pair<int, int>> s_signals;

void record_signal(int group, int signal)
{
    s_signals.emplace_back(group, signal);
}

class LineDisciplineTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        s_signals.clear();
        tty::set_signal_sink(record_signal);
    }
    void TearDown() override { tty::set_signal_sink(nullptr); }

    void type(const std::string& input, u64 now_ns = 0)
    {
        for (char c : input) {
            int signal = m_discipline.receive(static_cast<u8>(c), now_ns);
            if (signal)
                tty::send_terminal_signal(m_discipline.foreground_group(), signal);
        }
    }

    // A read of up to `size` bytes that must complete now.
    std::string read(usize size = 100, u64 start_ns = 0, u64 now_ns = 0)
    {
        std::string buffer(size, '\0');
        auto outcome = m_discipline.read({ reinterpret_cast<u8*>(buffer.data()), size }, start_ns, now_ns);
        EXPECT_EQ(outcome.kind, Kind::Data);
        buffer.resize(outcome.count);
        return buffer;
    }

    Kind read_kind(usize size = 100, u64 start_ns = 0, u64 now_ns = 0, u64* deadline = nullptr)
    {
        std::string buffer(size, '\0');
        auto outcome = m_discipline.read({ reinterpret_cast<u8*>(buffer.data()), size }, start_ns, now_ns);
        if (deadline)
            *deadline = outcome.deadline_ns;
        EXPECT_EQ(outcome.count, 0u);
        return outcome.kind;
    }

    void set_raw(u8 minimum, u8 time)
    {
        auto termios = m_discipline.termios();
        termios.c_lflag &= ~(tty::lflag::CANONICAL | tty::lflag::ECHO_INPUT);
        termios.c_cc[tty::cc::MINIMUM] = minimum;
        termios.c_cc[tty::cc::TIME] = time;
        m_discipline.set_termios(termios, false);
    }

    RecordingOutput m_output;
    tty::LineDiscipline m_discipline { m_output };
};

TEST_F(LineDisciplineTest, CanonicalLineIsReadableOnlyAfterNewlineAndIsEchoed)
{
    type("ls -l");
    EXPECT_EQ(read_kind(), Kind::WaitForInput);
    EXPECT_EQ(m_discipline.readable_bytes(), 0u);
    type("\r"); // ICRNL
    EXPECT_EQ(m_discipline.readable_bytes(), 6u);
    EXPECT_EQ(read(), "ls -l\n");
    EXPECT_EQ(m_output.text, "ls -l\r\n"); // ONLCR on the echo
}

TEST_F(LineDisciplineTest, EraseAndKillEditTheLineAndEchoBackspaces)
{
    type("cax\x7f\x7ft\n");
    EXPECT_EQ(read(), "ct\n");
    EXPECT_EQ(m_output.text, "cax\b \b\b \bt\r\n");
    m_output.text.clear();
    type("\x01z\x7f\x7f"); // a control character echoes as two columns
    EXPECT_EQ(m_output.text, "^Az\b \b\b \b\b \b");
    m_output.text.clear();
    type("junk\x15ok\n"); // VKILL with ECHOKE erases each character
    EXPECT_EQ(read(), "ok\n");
    EXPECT_EQ(m_output.text, "junk\b \b\b \b\b \b\b \bok\r\n");
    type("\x7f\x7f\n"); // erase at the line start does nothing
    EXPECT_EQ(read(), "\n");
}

TEST_F(LineDisciplineTest, WordEraseRemovesTheLastWordAndTheBlanksAfterIt)
{
    type("echo one two  \x17three\n");
    EXPECT_EQ(read(), "echo one three\n");
    auto termios = m_discipline.termios();
    termios.c_lflag &= ~tty::lflag::EXTENSIONS; // without IEXTEN ^W is an ordinary character
    m_discipline.set_termios(termios, false);
    type("a\x17\n");
    EXPECT_EQ(read(), "a\x17\n");
}

TEST_F(LineDisciplineTest, CtrlDEndsTheLineOrIsEndOfFileAtTheStart)
{
    type("abc\x04");
    EXPECT_EQ(read(), "abc"); // no delimiter stored
    type("\x04");
    EXPECT_EQ(read(), ""); // end of file
    EXPECT_EQ(read_kind(), Kind::WaitForInput);
}

TEST_F(LineDisciplineTest, ReadsReturnOneLineAtATimeAndSplitLongLines)
{
    type("first\nsecond\n");
    EXPECT_EQ(read(3), "fir");
    EXPECT_EQ(read(), "st\n");
    EXPECT_EQ(read(), "second\n");
}

TEST_F(LineDisciplineTest, SignalCharactersGoToTheForegroundGroupAndFlush)
{
    m_discipline.set_foreground_group(42);
    type("half a line\x03");
    type("x\x1a");
    type("\x1c");
    EXPECT_EQ(s_signals, (std::vector<std::pair<int, int>> { { 42, 2 }, { 42, 20 }, { 42, 3 } }));
    EXPECT_NE(m_output.text.find("^C"), std::string::npos);
    type("\n");
    EXPECT_EQ(read(), "\n"); // the half line was flushed
    auto termios = m_discipline.termios();
    termios.c_lflag &= ~tty::lflag::SIGNALS;
    m_discipline.set_termios(termios, false);
    type("\x03\n");
    EXPECT_EQ(read(), "\x03\n");
    EXPECT_EQ(s_signals.size(), 3u);
}

TEST_F(LineDisciplineTest, RawModeMinWithoutTimeWaitsForMinBytes)
{
    set_raw(3, 0);
    type("ab");
    EXPECT_EQ(read_kind(), Kind::WaitForInput);
    type("c\rd");
    EXPECT_EQ(read(), "abc\nd"); // ICRNL still applies; no line editing
    type("xy");
    EXPECT_EQ(read(1), "x");      // MIN is capped by the request size
    EXPECT_EQ(m_output.text, ""); // ECHO off
}

TEST_F(LineDisciplineTest, RawModePollingReadReturnsAtOnce)
{
    set_raw(0, 0);
    EXPECT_EQ(read(), "");
    type("\x7fq");
    EXPECT_EQ(read(), "\x7fq");
}

TEST_F(LineDisciplineTest, RawModeTimeAloneIsAReadTimeout)
{
    set_raw(0, 5); // 0.5 s
    u64 deadline = 0;
    EXPECT_EQ(read_kind(100, 1'000'000'000, 1'200'000'000, &deadline), Kind::WaitUntil);
    EXPECT_EQ(deadline, 1'500'000'000u);
    EXPECT_EQ(read(100, 1'000'000'000, 1'500'000'000), ""); // timed out: 0 bytes
    type("k", 1'600'000'000);
    EXPECT_EQ(read(100, 1'550'000'000, 1'600'000'000), "k");
}

TEST_F(LineDisciplineTest, RawModeMinAndTimeUseAnInterByteTimer)
{
    set_raw(4, 2);                                                   // 0.2 s between bytes
    EXPECT_EQ(read_kind(100, 0, 5'000'000'000), Kind::WaitForInput); // no timer before the first byte
    type("ab", 1'000'000'000);
    u64 deadline = 0;
    EXPECT_EQ(read_kind(100, 0, 1'100'000'000, &deadline), Kind::WaitUntil);
    EXPECT_EQ(deadline, 1'200'000'000u);
    type("c", 1'150'000'000); // restarts the timer
    EXPECT_EQ(read_kind(100, 0, 1'300'000'000, &deadline), Kind::WaitUntil);
    EXPECT_EQ(deadline, 1'350'000'000u);
    EXPECT_EQ(read(100, 0, 1'350'000'000), "abc");
    type("wxyz", 2'000'000'000);
    EXPECT_EQ(read(100, 0, 2'000'000'000), "wxyz"); // MIN reached before the timer
}

TEST_F(LineDisciplineTest, LeavingCanonicalModeReleasesTheEditedLineAndTcsetsfFlushes)
{
    type("partial");
    set_raw(1, 0);
    EXPECT_EQ(read(), "partial");
    type("zz");
    auto termios = m_discipline.termios();
    m_discipline.set_termios(termios, true);
    EXPECT_EQ(m_discipline.readable_bytes(), 0u);
}

TEST_F(LineDisciplineTest, OutputProcessingTurnsNewlinesIntoCrLfUnlessOpostIsOff)
{
    const char text[] = "a\nb\n\nc";
    m_discipline.write({ reinterpret_cast<const u8*>(text), sizeof(text) - 1 });
    EXPECT_EQ(m_output.text, "a\r\nb\r\n\r\nc");
    m_output.text.clear();
    auto termios = m_discipline.termios();
    termios.c_oflag &= ~tty::oflag::POST_PROCESS;
    m_discipline.set_termios(termios, false);
    m_discipline.write({ reinterpret_cast<const u8*>(text), sizeof(text) - 1 });
    EXPECT_EQ(m_output.text, "a\nb\n\nc");
}

TEST_F(LineDisciplineTest, AFullBufferStillAcceptsTheNewline)
{
    type(std::string(tty::LineDiscipline::BUFFER_SIZE + 100, 'x'));
    type("\n");
    std::string line = read(tty::LineDiscipline::BUFFER_SIZE + 10);
    EXPECT_EQ(line.size(), tty::LineDiscipline::BUFFER_SIZE);
    EXPECT_EQ(line.back(), '\n');
}

TEST_F(LineDisciplineTest, WithoutASinkSignalsAreCountedAndDropped)
{
    tty::set_signal_sink(nullptr);
    u64 before = tty::dropped_terminal_signals();
    type("\x03");
    EXPECT_EQ(tty::dropped_terminal_signals(), before + 1);
}

TEST(Termios, ValuesAndLayoutMatchLinux)
{
    static_assert(sizeof(tty::KernelTermios) == sizeof(struct termios));
    static_assert(offsetof(tty::KernelTermios, c_lflag) == offsetof(struct termios, c_lflag));
    static_assert(offsetof(tty::KernelTermios, c_cc) == offsetof(struct termios, c_cc));
    static_assert(tty::CONTROL_CHARACTER_COUNT == NCCS);
    static_assert(sizeof(tty::WindowSize) == sizeof(struct winsize));
    static_assert(tty::cc::INTERRUPT == VINTR && tty::cc::QUIT == VQUIT && tty::cc::ERASE == VERASE);
    static_assert(tty::cc::KILL == VKILL && tty::cc::END_OF_FILE == VEOF && tty::cc::TIME == VTIME);
    static_assert(tty::cc::MINIMUM == VMIN && tty::cc::SUSPEND == VSUSP && tty::cc::END_OF_LINE == VEOL
        && tty::cc::END_OF_LINE_2 == VEOL2);
    static_assert(
        tty::iflag::INPUT_CR_TO_LF == ICRNL && tty::iflag::IGNORE_CR == IGNCR && tty::iflag::INPUT_LF_TO_CR == INLCR);
    static_assert(tty::oflag::POST_PROCESS == OPOST && tty::oflag::OUTPUT_LF_TO_CRLF == ONLCR);
    static_assert(tty::lflag::CANONICAL == ICANON && tty::lflag::ECHO_INPUT == ECHO && tty::lflag::ECHO_ERASE == ECHOE);
    static_assert(
        tty::lflag::SIGNALS == ISIG && tty::lflag::EXTENSIONS == IEXTEN && tty::lflag::ECHO_CONTROL == ECHOCTL);
    static_assert(
        tty::lflag::ECHO_KILL == ECHOK && tty::lflag::ECHO_KILL_ERASE == ECHOKE && tty::lflag::NO_FLUSH == NOFLSH);
    static_assert(tty::lflag::ECHO_NEWLINE == ECHONL);
    static_assert(tty::ioctl::GET_ATTRIBUTES == TCGETS && tty::ioctl::SET_ATTRIBUTES == TCSETS);
    static_assert(tty::ioctl::SET_ATTRIBUTES_DRAIN == TCSETSW && tty::ioctl::SET_ATTRIBUTES_FLUSH == TCSETSF);
    static_assert(tty::ioctl::GET_WINDOW_SIZE == TIOCGWINSZ && tty::ioctl::SET_WINDOW_SIZE == TIOCSWINSZ);
    static_assert(tty::ioctl::GET_FOREGROUND_GROUP == TIOCGPGRP && tty::ioctl::SET_FOREGROUND_GROUP == TIOCSPGRP);
    static_assert(tty::ioctl::BYTES_READABLE == FIONREAD);
    auto termios = tty::default_termios();
    EXPECT_EQ(termios.c_cc[VINTR], 3);
    EXPECT_EQ(termios.c_cc[VERASE], 0x7f);
    EXPECT_EQ(termios.c_cc[VMIN], 1);
    EXPECT_EQ(termios.c_lflag & (ICANON | ECHO | ISIG), static_cast<u32>(ICANON | ECHO | ISIG));
}

} // namespace
