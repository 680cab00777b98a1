#include <gtest/gtest.h>
#include <kernel/core/Symbols.h>
#include <string>

namespace {

std::string str(StringView view)
{
    return std::string(view.characters() ? view.characters() : "", view.length());
}

// A table shaped like the build's nm output, with the awkward cases: names
// with spaces and parentheses, a linker marker sharing a function's address,
// an absolute symbol, data after the code, and broken lines.
constexpr const char TABLE[] = "ffffffff80000000 A KERNEL_VMA\n"
                               "ffffffff80100000 T _text_start\n"
                               "ffffffff80100000 T boot::parse(unsigned char const*, unsigned long)\n"
                               "ffffffff80100200 t kshell::(anonymous namespace)::trigger_page_fault()\n"
                               "this line is not a symbol\n"
                               "ffffffff80100280 W lib::Span<char>::size() const\n"
                               "zzzzzzzzzzzzzzzz T bad_address\n"
                               "ffffffff80100300 T\n"
                               "ffffffff80100400 t x86::handle_exception(x86::InterruptFrame&)\r\n"
                               "ffffffff80100100 T out_of_order\n"
                               "ffffffff80100500 T _text_end\n"
                               "ffffffff80101000 R _rodata_start\n"
                               "ffffffff80101040 r vtable for console::Sink\n"
                               "ffffffff80102000 B _kernel_end";

class SymbolsTest : public ::testing::Test {
protected:
    void SetUp() override { symbols::init(TABLE); }
};

TEST_F(SymbolsTest, CountsOnlyWellFormedPlaces)
{
    // _text_start and boot::parse share one slot; the absolute symbol, the
    // out-of-order line and the broken lines are dropped.
    EXPECT_EQ(symbols::count(), 8u);
    EXPECT_TRUE(symbols::available());
}

TEST_F(SymbolsTest, ExactHit)
{
    auto symbol = symbols::lookup(0xffffffff80100200);
    EXPECT_EQ(symbol.address, 0xffffffff80100200u);
    EXPECT_EQ(str(symbol.name), "kshell::(anonymous namespace)::trigger_page_fault()");
}

TEST_F(SymbolsTest, BetweenSymbols)
{
    auto symbol = symbols::lookup(0xffffffff8010027f);
    EXPECT_EQ(symbol.address, 0xffffffff80100200u);
    EXPECT_EQ(str(symbol.name), "kshell::(anonymous namespace)::trigger_page_fault()");
    EXPECT_EQ(str(symbols::lookup(0xffffffff80100290).name), "lib::Span<char>::size() const");
}

TEST_F(SymbolsTest, FunctionNameBeatsLinkerMarkerAtTheSameAddress)
{
    EXPECT_EQ(str(symbols::lookup(0xffffffff80100010).name), "boot::parse(unsigned char const*, unsigned long)");
}

TEST_F(SymbolsTest, CarriageReturnIsNotPartOfTheName)
{
    EXPECT_EQ(str(symbols::lookup(0xffffffff80100404).name), "x86::handle_exception(x86::InterruptFrame&)");
}

TEST_F(SymbolsTest, OutOfOrderLineIsIgnored)
{
    EXPECT_EQ(str(symbols::lookup(0xffffffff80100100).name), "boot::parse(unsigned char const*, unsigned long)");
}

TEST_F(SymbolsTest, BeforeTheFirstSymbol)
{
    EXPECT_TRUE(symbols::lookup(0xffffffff800fffff).name.is_empty());
    EXPECT_TRUE(symbols::lookup(0).name.is_empty());
}

TEST_F(SymbolsTest, DataIsNotCode)
{
    EXPECT_TRUE(symbols::lookup(0xffffffff80101000).name.is_empty());
    EXPECT_TRUE(symbols::lookup(0xffffffff80101050).name.is_empty());
}

TEST_F(SymbolsTest, AfterTheLastSymbol)
{
    EXPECT_TRUE(symbols::lookup(0xffffffff80102000).name.is_empty());
    EXPECT_TRUE(symbols::lookup(~u64(0)).name.is_empty());
}

TEST(Symbols, LastCodeSymbolCoversTheRestWhenNothingFollows)
{
    symbols::init("0000000000001000 T first\n0000000000002000 t second\n");
    EXPECT_EQ(symbols::count(), 2u);
    EXPECT_EQ(str(symbols::lookup(0x2fff).name), "second");
    EXPECT_EQ(str(symbols::lookup(0x1fff).name), "first");
}

TEST(Symbols, EmptyAndGarbageTables)
{
    symbols::init("");
    EXPECT_FALSE(symbols::available());
    EXPECT_TRUE(symbols::lookup(0x1000).name.is_empty());
    symbols::init("\n\n   \nnot hex T name\n12345 T\n");
    EXPECT_EQ(symbols::count(), 0u);
}

TEST(Symbols, TruncatedTableDoesNotClaimAddressesPastItsEnd)
{
    std::string table;
    char line[64];
    for (usize i = 0; i < symbols::MAX_SYMBOLS + 10; ++i) {
        snprintf(line, sizeof(line), "%016zx T f%zu\n", 0x1000 + i * 0x10, i);
        table += line;
    }
    EXPECT_EQ(symbols::init({ table.data(), table.size() }), symbols::MAX_SYMBOLS);
    EXPECT_EQ(str(symbols::lookup(0x1000 + 100 * 0x10 + 4).name), "f100");
    EXPECT_TRUE(symbols::lookup(0x1000 + (symbols::MAX_SYMBOLS + 5) * 0x10).name.is_empty());
}

TEST(Symbols, LookupIsBinarySearchOverManyEntries)
{
    std::string table;
    char line[64];
    for (usize i = 0; i < 5000; ++i) {
        snprintf(line, sizeof(line), "%016zx t fn%zu()\n", 0x100000 + i * 0x40, i);
        table += line;
    }
    symbols::init({ table.data(), table.size() });
    for (usize i = 0; i < 5000; i += 7) {
        auto symbol = symbols::lookup(0x100000 + i * 0x40 + 0x3f);
        EXPECT_EQ(symbol.address, 0x100000 + i * 0x40);
        EXPECT_EQ(str(symbol.name), "fn" + std::to_string(i) + "()");
    }
}

TEST(Symbols, FunctionName)
{
    using symbols::function_name;
    EXPECT_EQ(str(function_name("kshell::(anonymous namespace)::trigger_page_fault()")),
        "kshell::(anonymous namespace)::trigger_page_fault");
    EXPECT_EQ(str(function_name("boot::parse(unsigned char const*, unsigned long)")), "boot::parse");
    EXPECT_EQ(str(function_name("lib::Span<char>::size() const")), "lib::Span<char>::size");
    EXPECT_EQ(str(function_name("f(void (*)(int), char)")), "f");
    EXPECT_EQ(str(function_name("Foo::operator()(int) const")), "Foo::operator()");
    EXPECT_EQ(str(function_name("g() [clone .cold]")), "g");
    EXPECT_EQ(str(function_name("kernel_main")), "kernel_main");
    EXPECT_EQ(str(function_name("isr_stub_14")), "isr_stub_14");
    EXPECT_EQ(str(function_name("(weird)")), "(weird)");
    EXPECT_EQ(str(function_name("")), "");
    EXPECT_EQ(str(function_name("void kernel::panic<>(lib::StringView)")), "kernel::panic<>");
    EXPECT_EQ(
        str(function_name("lib::StringView const& lib::Span<lib::StringView const>::operator[](unsigned long) const")),
        "lib::Span<lib::StringView const>::operator[]");
    EXPECT_EQ(str(function_name("operator new(unsigned long)")), "operator new");
    EXPECT_EQ(str(function_name("lib::Error::operator bool() const")), "lib::Error::operator bool");
    EXPECT_EQ(str(function_name("bool lib::operator<(lib::A, lib::B)")), "lib::operator<");
    EXPECT_EQ(str(function_name("ns::(anonymous namespace)::f(int)")), "ns::(anonymous namespace)::f");
}

} // namespace
