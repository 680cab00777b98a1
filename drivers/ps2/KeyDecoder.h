#pragma once

// Scan code set 1 (what the 8042 delivers with translation on) to the bytes a
// VT100-style serial terminal sends for the same keys, so kshell's line
// editor has one input language: printable ASCII, CR for Enter, DEL for
// Backspace, Tab, ESC, Ctrl-letter as 0x01-0x1a, and for the E0-prefixed
// navigation keys `ESC [ A/B/C/D` (arrows), `ESC [ H/F` (Home/End),
// `ESC [ 2~/3~/5~/6~` (Insert, Delete, Page Up/Down). US layout.
//
// Set 1 (IBM PC/AT Technical Reference; Microsoft "Keyboard Scan Code
// Specification" rev 1.3a, appendix C): a make code below 0x80, its break
// code with bit 7 set, E0 before extended keys, and Pause as the six bytes
// E1 1D 45 E1 9D C5. E0 2A/E0 AA and E0 36/E0 B6 are "fake shifts" the
// keyboard wraps around some extended keys: they are ignored. Keyboard
// replies (ACK FA, resend FE, echo EE, errors 00/FF) are not keys.
//
// Portable: plain state, no hardware access; drivers/ps2/Keyboard.cpp owns
// the instance and serializes calls with its lock.
#include <kernel/lib/Types.h>

namespace ps2 {

struct KeyBytes {
    char bytes[4];
    u8 length;
};

class KeyDecoder {
public:
    constexpr KeyDecoder() = default;

    // Consumes one scan code byte and returns the bytes for the key it
    // completed (often none: prefixes, releases and modifiers give nothing).
    KeyBytes feed(u8 code)
    {
        if (m_skip) {
            --m_skip;
            return {};
        }
        if (code == 0xfa || code == 0xfe || code == 0xee || code == 0x00 || code == 0xff)
            return {};
        if (code == 0xe0) {
            m_extended = true;
            return {};
        }
        if (code == 0xe1) {
            m_skip = 2; // Pause: E1 1D 45, then E1 9D C5 on release
            return {};
        }
        bool extended = m_extended;
        m_extended = false;
        bool released = code & 0x80;
        u8 key = code & 0x7f;

        if (extended)
            return extended_key(key, released);
        if (update_modifier(key, released) || released)
            return {};
        if (key >= KEYPAD_FIRST && key <= KEYPAD_LAST)
            return keypad_key(key);
        return character_key(key);
    }

    bool shift() const { return m_left_shift || m_right_shift; }
    bool ctrl() const { return m_left_ctrl || m_right_ctrl; }
    bool caps_lock() const { return m_caps_lock; }
    bool num_lock() const { return m_num_lock; }

private:
    static constexpr u8 LEFT_CTRL = 0x1d;
    static constexpr u8 LEFT_SHIFT = 0x2a;
    static constexpr u8 RIGHT_SHIFT = 0x36;
    static constexpr u8 LEFT_ALT = 0x38;
    static constexpr u8 CAPS_LOCK = 0x3a;
    static constexpr u8 NUM_LOCK = 0x45;
    static constexpr u8 KEYPAD_FIRST = 0x47;
    static constexpr u8 KEYPAD_LAST = 0x53;
    static constexpr u8 KEYPAD_ENTER = 0x1c; // with E0
    static constexpr u8 KEYPAD_SLASH = 0x35; // with E0

    // Make codes 0x00-0x39, US layout; 0 for keys that produce no character.
    static constexpr char UNSHIFTED[] = "\0\x1b"
                                        "1234567890-=\x7f\t"
                                        "qwertyuiop[]\r\0"
                                        "asdfghjkl;'`\0\\"
                                        "zxcvbnm,./\0*\0 ";
    static constexpr char SHIFTED[] = "\0\x1b"
                                      "!@#$%^&*()_+\x7f\t"
                                      "QWERTYUIOP{}\r\0"
                                      "ASDFGHJKL:\"~\0|"
                                      "ZXCVBNM<>?\0*\0 ";
    static_assert(sizeof(UNSHIFTED) == 0x3a + 1 && sizeof(SHIFTED) == 0x3a + 1);

    // Keypad 0x47-0x53 with Num Lock on.
    static constexpr char KEYPAD_DIGITS[] = "789-456+1230.";

    static KeyBytes bytes(const char* text)
    {
        KeyBytes result {};
        while (text[result.length] && result.length < sizeof(result.bytes)) {
            result.bytes[result.length] = text[result.length];
            ++result.length;
        }
        return result;
    }

    static KeyBytes one(char c) { return { { c, 0, 0, 0 }, 1 }; }

    // Returns true if `key` is a modifier (its state is updated).
    bool update_modifier(u8 key, bool released)
    {
        switch (key) {
        case LEFT_SHIFT:
            m_left_shift = !released;
            return true;
        case RIGHT_SHIFT:
            m_right_shift = !released;
            return true;
        case LEFT_CTRL:
            m_left_ctrl = !released;
            return true;
        case LEFT_ALT:
            return true;
        case CAPS_LOCK:
            if (!released)
                m_caps_lock = !m_caps_lock;
            return true;
        case NUM_LOCK:
            if (!released)
                m_num_lock = !m_num_lock;
            return true;
        default:
            return false;
        }
    }

    // The navigation keys shared by the E0 block and the keypad without Num Lock.
    static KeyBytes navigation_key(u8 key)
    {
        switch (key) {
        case 0x47:
            return bytes("\x1b[H");
        case 0x48:
            return bytes("\x1b[A");
        case 0x49:
            return bytes("\x1b[5~");
        case 0x4b:
            return bytes("\x1b[D");
        case 0x4d:
            return bytes("\x1b[C");
        case 0x4f:
            return bytes("\x1b[F");
        case 0x50:
            return bytes("\x1b[B");
        case 0x51:
            return bytes("\x1b[6~");
        case 0x52:
            return bytes("\x1b[2~");
        case 0x53:
            return bytes("\x1b[3~");
        default:
            return {};
        }
    }

    KeyBytes extended_key(u8 key, bool released)
    {
        if (key == LEFT_CTRL) { // right Ctrl
            m_right_ctrl = !released;
            return {};
        }
        if (released)
            return {};
        if (key == KEYPAD_ENTER)
            return one('\r');
        if (key == KEYPAD_SLASH)
            return one('/');
        return navigation_key(key); // fake shifts, right Alt, GUI keys: nothing
    }

    KeyBytes keypad_key(u8 key)
    {
        if (key == 0x4a || key == 0x4e || m_num_lock)
            return one(KEYPAD_DIGITS[key - KEYPAD_FIRST]);
        return navigation_key(key);
    }

    KeyBytes character_key(u8 key)
    {
        if (key >= sizeof(UNSHIFTED) - 1)
            return {}; // F-keys, Scroll Lock, and keys beyond the table
        char c = UNSHIFTED[key];
        if (c == 0)
            return {};
        bool is_letter = c >= 'a' && c <= 'z';
        if (ctrl() && (is_letter || c == '[' || c == '\\' || c == ']'))
            return one(static_cast<char>(c & 0x1f));
        bool upper = shift();
        if (is_letter && m_caps_lock)
            upper = !upper;
        return one(upper ? SHIFTED[key] : c);
    }

    bool m_extended { false };
    u8 m_skip { 0 };
    bool m_left_shift { false };
    bool m_right_shift { false };
    bool m_left_ctrl { false };
    bool m_right_ctrl { false };
    bool m_caps_lock { false };
    bool m_num_lock { false };
};

} // namespace ps2
