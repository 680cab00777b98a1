// Tests for the PS/2 scan code set 1 decoder (drivers/ps2/KeyDecoder.h): the
// keyboard must produce the same bytes a serial terminal sends for the keys
// kshell's line editor understands.
#include <drivers/ps2/KeyDecoder.h>
#include <gtest/gtest.h>
#include <initializer_list>
#include <string>

namespace {

using ps2::KeyDecoder;

std::string decode(KeyDecoder& decoder, std::initializer_list<int> codes)
{
    std::string out;
    for (int code : codes) {
        ps2::KeyBytes key = decoder.feed(static_cast<u8>(code));
        out.append(key.bytes, key.length);
    }
    return out;
}

// Make then break for each plain key.
std::string press(KeyDecoder& decoder, std::initializer_list<int> keys)
{
    std::string out;
    for (int key : keys)
        out += decode(decoder, { key, key | 0x80 });
    return out;
}

TEST(KeyDecoder, LettersDigitsAndPunctuation)
{
    KeyDecoder decoder;
    // h e l p Space 1 0 - / Enter
    EXPECT_EQ(press(decoder, { 0x23, 0x12, 0x26, 0x19, 0x39, 0x02, 0x0b, 0x0c, 0x35, 0x1c }), "help 10-/\r");
    EXPECT_EQ(press(decoder, { 0x0e, 0x0f, 0x01 }), "\x7f\t\x1b");
    EXPECT_EQ(press(decoder, { 0x29, 0x2b, 0x28, 0x1a, 0x1b }), "`\\'[]");
}

TEST(KeyDecoder, BreakCodesProduceNothing)
{
    KeyDecoder decoder;
    EXPECT_EQ(decode(decoder, { 0x1e }), "a");
    EXPECT_EQ(decode(decoder, { 0x9e }), "");
    EXPECT_EQ(decode(decoder, { 0x1e, 0x1e }), "aa"); // typematic repeat
}

TEST(KeyDecoder, ShiftAppliesWhileHeld)
{
    KeyDecoder decoder;
    EXPECT_EQ(decode(decoder, { 0x2a, 0x1e, 0x02, 0x9e, 0x82, 0xaa, 0x1e, 0x9e }), "A!a");
    EXPECT_EQ(decode(decoder, { 0x36, 0x27, 0x28, 0x33, 0xb6, 0x27 }), ":\"<;");
    EXPECT_FALSE(decoder.shift());
}

TEST(KeyDecoder, CapsLockTogglesLettersOnly)
{
    KeyDecoder decoder;
    EXPECT_EQ(press(decoder, { 0x3a, 0x1e, 0x02 }), "A1");
    EXPECT_TRUE(decoder.caps_lock());
    EXPECT_EQ(decode(decoder, { 0x2a, 0x1e, 0x02, 0xaa }), "a!");
    EXPECT_EQ(press(decoder, { 0x3a, 0x1e }), "a");
}

TEST(KeyDecoder, ControlLetters)
{
    KeyDecoder decoder;
    EXPECT_EQ(decode(decoder, { 0x1d, 0x2e, 0xae, 0x1e, 0x9e, 0x16, 0x96, 0x9d }), "\x03\x01\x15");
    EXPECT_EQ(press(decoder, { 0x2e }), "c");
    // Right Ctrl is E0 1D.
    EXPECT_EQ(decode(decoder, { 0xe0, 0x1d, 0x12 }), "\x05");
    EXPECT_TRUE(decoder.ctrl());
    EXPECT_EQ(decode(decoder, { 0xe0, 0x9d, 0x12 }), "e");
}

TEST(KeyDecoder, ExtendedKeysBecomeTerminalSequences)
{
    KeyDecoder decoder;
    EXPECT_EQ(decode(decoder, { 0xe0, 0x48, 0xe0, 0xc8 }), "\x1b[A");
    EXPECT_EQ(decode(decoder, { 0xe0, 0x50 }), "\x1b[B");
    EXPECT_EQ(decode(decoder, { 0xe0, 0x4d }), "\x1b[C");
    EXPECT_EQ(decode(decoder, { 0xe0, 0x4b }), "\x1b[D");
    EXPECT_EQ(decode(decoder, { 0xe0, 0x47 }), "\x1b[H");
    EXPECT_EQ(decode(decoder, { 0xe0, 0x4f }), "\x1b[F");
    EXPECT_EQ(decode(decoder, { 0xe0, 0x53 }), "\x1b[3~");
    EXPECT_EQ(decode(decoder, { 0xe0, 0x1c, 0xe0, 0x35 }), "\r/");
}

TEST(KeyDecoder, FakeShiftsAroundExtendedKeysAreIgnored)
{
    KeyDecoder decoder;
    // Shifted Home with Num Lock on: E0 AA E0 47 ... E0 C7 E0 2A.
    EXPECT_EQ(decode(decoder, { 0x2a, 0xe0, 0xaa, 0xe0, 0x47, 0xe0, 0xc7, 0xe0, 0x2a, 0x1e }), "\x1b[HA");
    EXPECT_TRUE(decoder.shift());
}

TEST(KeyDecoder, KeypadFollowsNumLock)
{
    KeyDecoder decoder;
    EXPECT_EQ(press(decoder, { 0x48, 0x4b, 0x4e, 0x37 }), "\x1b[A\x1b[D+*");
    EXPECT_EQ(press(decoder, { 0x45, 0x48, 0x4b, 0x53, 0x52 }), "84.0");
    EXPECT_TRUE(decoder.num_lock());
}

TEST(KeyDecoder, PauseRepliesAndUnknownCodesProduceNothing)
{
    KeyDecoder decoder;
    EXPECT_EQ(decode(decoder, { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 }), "");
    EXPECT_EQ(decode(decoder, { 0xfa, 0xfe, 0xee, 0x00, 0xff }), "");
    EXPECT_EQ(press(decoder, { 0x3b, 0x44, 0x57, 0x58, 0x46 }), ""); // F1, F10, F11, F12, Scroll Lock
    EXPECT_FALSE(decoder.ctrl());
    EXPECT_FALSE(decoder.num_lock()); // Pause's 1D 45 touched neither Ctrl nor Num Lock
    EXPECT_EQ(press(decoder, { 0x1e }), "a");
}

} // namespace
