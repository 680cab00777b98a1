// Directory name hashes against debugfs's dx_hash, for the three hash
// versions with and without a seed, over names that cross the 16/32-byte
// block boundaries and contain bytes >= 0x80 (where the signed variants
// differ). debugfs 1.47 cannot compute the unsigned variants, so those are
// checked to agree with the signed ones on ASCII names only.
#include "Ext4Fixture.h"
#include <fs/ext4/Htree.h>
#include <regex>

namespace {

using namespace ext4_test;

TEST_F(ImageTest, HashesMatchDebugfs)
{
    REQUIRE_E2FSPROGS();
    std::string image = path("image");
    ASSERT_EQ(make_image(image, 8, ""), "");
    const char* versions[] = { "legacy", "half_md4", "tea" };
    const std::string names[] = { "a", "hello", "file_0123456789", std::string(31, 'q'), std::string(33, 'z'),
        "caf\xc3\xa9-\xff\x80", std::string(255, 'n') };
    const u32 seed[4] = { 0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321 };
    const u32 no_seed[4] = {};
    for (int version = 0; version < 3; ++version) {
        for (bool is_unsigned : { false }) {
            for (bool seeded : { false, true }) {
                for (auto& name : names) {
                    std::string request = std::string("dx_hash -h ") + versions[version]
                        + (seeded ? " -s 78563412-f0de-bc9a-a9cb-ed0f21436587" : "") + " " + name;
                    std::string output = debugfs(image, request);
                    std::smatch match;
                    ASSERT_TRUE(std::regex_search(output, match, std::regex("is 0x([0-9a-f]+)"))) << output;
                    u32 expected = u32(std::stoul(match[1].str(), nullptr, 16));
                    u8 full_version = u8(version + (is_unsigned ? ext4::htree::UNSIGNED_OFFSET : 0));
                    EXPECT_EQ(
                        ext4::htree::hash_name(full_version, seeded ? seed : no_seed, { name.data(), name.size() }),
                        expected)
                        << request;
                    if (name.find('\xc3') == std::string::npos) {
                        u8 unsigned_version = u8(version + ext4::htree::UNSIGNED_OFFSET);
                        EXPECT_EQ(ext4::htree::hash_name(
                                      unsigned_version, seeded ? seed : no_seed, { name.data(), name.size() }),
                            expected);
                    }
                }
            }
        }
    }
}

} // namespace
