// proc::join_path: the textual cwd that getcwd reports. CwdPath.cpp is
// portable (it uses only kernel/lib), so the host build compiles it in
// (tests/unit/CMakeLists.txt).
#include <cstring>
#include <gtest/gtest.h>
#include <kernel/proc/CwdPath.h>
#include <string>

namespace {

std::string join(const char* base, const char* path, usize capacity = 4096)
{
    char out[4096];
    auto result = proc::join_path(base, path, out, capacity);
    if (result.is_error())
        return std::string("error ") + std::to_string(result.error().code());
    EXPECT_EQ(result.value(), std::strlen(out));
    return out;
}

TEST(CwdPath, AbsolutePathsReplaceTheBase)
{
    EXPECT_EQ(join("/etc", "/usr/bin"), "/usr/bin");
    EXPECT_EQ(join("/etc", "/"), "/");
}

TEST(CwdPath, RelativePathsJoin)
{
    EXPECT_EQ(join("/", "etc"), "/etc");
    EXPECT_EQ(join("/usr", "lib/x"), "/usr/lib/x");
}

TEST(CwdPath, DotsAndSlashesNormalize)
{
    EXPECT_EQ(join("/usr/lib", ".."), "/usr");
    EXPECT_EQ(join("/usr", "../../.."), "/");
    EXPECT_EQ(join("/a", ".//b///./c/"), "/a/b/c");
    EXPECT_EQ(join("/a/b", "../c/../d"), "/a/d");
}

TEST(CwdPath, TooLongIsEnametoolong)
{
    EXPECT_EQ(join("/", "abcdef", 4), "error " + std::to_string(ENAMETOOLONG));
    EXPECT_EQ(join("/", "abc", 5), "/abc");
}

} // namespace
