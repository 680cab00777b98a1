#pragma once

// Archives for the cpio and initramfs tests: made by the host's GNU cpio
// (`cpio -o -H newc`, run at test time on a temporary tree) and by Osprey's
// own packer (tools/mkinitramfs.py), plus a builder for crafted entries.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace cpio_test {

inline std::string source_root()
{
    // This file is tests/unit/fs/CpioArchives.h.
    return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path().string();
}

inline std::vector<unsigned char> read_binary(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

inline bool host_has_cpio()
{
    return std::system("command -v cpio > /dev/null 2>&1") == 0;
}

// A temporary directory removed with its contents at the end of scope.
class TemporaryTree {
public:
    TemporaryTree()
    {
        char pattern[] = "/tmp/osprey-cpio-XXXXXX";
        m_path = mkdtemp(pattern);
    }
    ~TemporaryTree() { std::filesystem::remove_all(m_path); }
    const std::string& path() const { return m_path; }

    void write(const std::string& relative, const std::string& text)
    {
        std::filesystem::create_directories(std::filesystem::path(m_path + "/" + relative).parent_path());
        std::ofstream(m_path + "/" + relative, std::ios::binary) << text;
    }

private:
    std::string m_path;
};

// Runs `cpio -o -H newc` in `tree` on the names `find .` lists, sorted.
inline std::vector<unsigned char> host_cpio_archive(const TemporaryTree& tree, const std::string& format = "newc")
{
    std::string output = tree.path() + ".cpio";
    std::string command
        = "cd '" + tree.path() + "' && find . | LC_ALL=C sort | cpio --quiet -o -H " + format + " > '" + output + "'";
    if (std::system(command.c_str()) != 0)
        return {};
    auto bytes = read_binary(output);
    std::filesystem::remove(output);
    return bytes;
}

// Builds newc entries by hand, for malformed-archive tests.
struct EntryBuilder {
    unsigned mode = 0100644;
    unsigned name_size_override = 0; // 0: the real size
    unsigned file_size_override = ~0u;
    unsigned link_count = 1;
    unsigned inode = 1;
    std::string magic = "070701";

    std::string build(const std::string& name, const std::string& data) const
    {
        unsigned name_size = name_size_override ? name_size_override : unsigned(name.size() + 1);
        unsigned file_size = file_size_override != ~0u ? file_size_override : unsigned(data.size());
        char header[111];
        std::snprintf(header, sizeof(header), "%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", magic.c_str(),
            inode, mode, 0u, 0u, link_count, 0u, file_size, 0u, 0u, 0u, 0u, name_size, 0u);
        std::string out(header, 110);
        out += name;
        out += '\0';
        while (out.size() % 4)
            out += '\0';
        out += data;
        while (out.size() % 4)
            out += '\0';
        return out;
    }
};

inline std::string trailer()
{
    EntryBuilder builder;
    builder.mode = 0;
    builder.inode = 0;
    builder.link_count = 1;
    return builder.build("TRAILER!!!", "");
}

} // namespace cpio_test
