// kshell commands for the filesystem, run as root in the kernel's root
// directory:
//   ls [path]     one line per entry: "<type><mode> <size> <name>", e.g.
//                 "-rw-r--r--       19 motd" or "drwxr-xr-x       60 etc"
//                 (a symlink adds " -> target"); a non-directory lists itself
//   cat <path>    the file's bytes
//   stat <path>   "  File: <path>", then Size/Blocks/Type, Inode/Links,
//                 Mode/Uid/Gid, Device and the three times, one per line
//   mounts        "<mount point> <filesystem>" per mount
// Errors print "<command>: <path>: <ERRNO NAME>", e.g. "ls: /x: ENOENT".
#include <fs/vfs/Vfs.h>
#include <kernel/console/Console.h>
#include <kernel/kshell/Command.h>

namespace {

bool vfs_ready()
{
    if (fs::vfs().root().is_valid())
        return true;
    console::print("no root filesystem mounted\n");
    return false;
}

fs::Context kernel_context()
{
    return { fs::vfs().root(), fs::Credentials::root() };
}

char type_letter(fs::FileType type)
{
    switch (type) {
    case fs::FileType::Directory:
        return 'd';
    case fs::FileType::Symlink:
        return 'l';
    case fs::FileType::CharacterDevice:
        return 'c';
    case fs::FileType::BlockDevice:
        return 'b';
    case fs::FileType::Fifo:
        return 'p';
    case fs::FileType::Socket:
        return 's';
    case fs::FileType::Regular:
    case fs::FileType::Unknown:
        break;
    }
    return '-';
}

StringView type_name(fs::FileType type)
{
    switch (type) {
    case fs::FileType::Regular:
        return "regular file";
    case fs::FileType::Directory:
        return "directory";
    case fs::FileType::Symlink:
        return "symbolic link";
    case fs::FileType::CharacterDevice:
        return "character device";
    case fs::FileType::BlockDevice:
        return "block device";
    case fs::FileType::Fifo:
        return "fifo";
    case fs::FileType::Socket:
        return "socket";
    case fs::FileType::Unknown:
        break;
    }
    return "unknown";
}

// "drwxr-xr-x" with s/S and t/T as ls shows setuid, setgid and sticky.
void format_mode(u32 mode, char (&out)[11])
{
    out[0] = type_letter(fs::file_type_of(mode));
    const char* letters = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        out[1 + i] = (mode & (0400u >> i)) ? letters[i] : '-';
    if (mode & fs::mode::SetUid)
        out[3] = (mode & 0100) ? 's' : 'S';
    if (mode & fs::mode::SetGid)
        out[6] = (mode & 0010) ? 's' : 'S';
    if (mode & fs::mode::Sticky)
        out[9] = (mode & 0001) ? 't' : 'T';
    out[10] = '\0';
}

void print_entry(const fs::Location& directory, StringView name)
{
    auto context = kernel_context();
    auto attributes = fs::vfs().stat(context, directory, name, fs::FollowFinal::No);
    if (attributes.is_error()) {
        console::print("?????????? {:>8} {} ({})\n", 0, name, attributes.error());
        return;
    }
    char mode[11];
    format_mode(attributes.value().mode, mode);
    console::print("{} {:>8} {}", mode, attributes.value().size, name);
    if (attributes.value().is_symlink()) {
        char target[256];
        auto length = fs::vfs().read_link(context, directory, name, { reinterpret_cast<u8*>(target), sizeof(target) });
        if (!length.is_error())
            console::print(" -> {}", StringView(target, length.value()));
    }
    console::print("\n");
}

class ListPrinter final : public fs::DirectoryVisitor {
public:
    explicit ListPrinter(const fs::Location& directory)
        : m_directory(directory)
    {
    }
    bool visit(const fs::DirectoryEntry& entry) override
    {
        print_entry(m_directory, entry.name);
        return true;
    }

private:
    const fs::Location& m_directory;
};

void ls(kshell::Arguments args)
{
    if (!vfs_ready())
        return;
    StringView path = args.size() > 1 ? args[1] : StringView("/");
    auto context = kernel_context();
    auto location = fs::vfs().resolve(context, context.root, path, fs::FollowFinal::Yes);
    if (location.is_error()) {
        console::print("ls: {}: {}\n", path, location.error());
        return;
    }
    if (!location.value().vnode->is_directory()) {
        print_entry(context.root, path);
        return;
    }
    ListPrinter printer(location.value());
    if (auto result = location.value().vnode->read_directory(0, printer); result.is_error())
        console::print("ls: {}: {}\n", path, result.error());
}
KSHELL_COMMAND("ls", "list a directory: ls [path]", ls);

void cat(kshell::Arguments args)
{
    if (args.size() < 2) {
        console::print("usage: cat <path>\n");
        return;
    }
    if (!vfs_ready())
        return;
    auto context = kernel_context();
    auto file = fs::vfs().open(context, context.root, args[1], fs::open_flag::ReadOnly, 0);
    if (file.is_error()) {
        console::print("cat: {}: {}\n", args[1], file.error());
        return;
    }
    u8 buffer[512];
    for (;;) {
        auto count = file.value()->read({ buffer, sizeof(buffer) });
        if (count.is_error()) {
            console::print("cat: {}: {}\n", args[1], count.error());
            return;
        }
        if (count.value() == 0)
            return;
        console::write({ reinterpret_cast<const char*>(buffer), count.value() });
    }
}
KSHELL_COMMAND("cat", "print a file: cat <path>", cat);

void print_time(StringView label, fs::Timespec time)
{
    console::print("{}: {}.{:09} s\n", label, time.seconds, time.nanoseconds);
}

void stat(kshell::Arguments args)
{
    if (args.size() < 2) {
        console::print("usage: stat <path>\n");
        return;
    }
    if (!vfs_ready())
        return;
    auto context = kernel_context();
    auto result = fs::vfs().stat(context, context.root, args[1], fs::FollowFinal::No);
    if (result.is_error()) {
        console::print("stat: {}: {}\n", args[1], result.error());
        return;
    }
    const auto& attributes = result.value();
    char mode[11];
    format_mode(attributes.mode, mode);
    console::print("  File: {}\n", args[1]);
    console::print(
        "  Size: {}  Blocks: {}  Type: {}\n", attributes.size, attributes.blocks, type_name(attributes.type()));
    console::print(" Inode: {}  Links: {}\n", attributes.inode, attributes.link_count);
    console::print("  Mode: ({:04o}/{})  Uid: {}  Gid: {}\n", attributes.mode & fs::mode::PermissionMask, mode,
        attributes.uid, attributes.gid);
    console::print("Device: {}  Rdev: {:#x}\n", attributes.device, attributes.rdev);
    print_time("Access", attributes.access_time);
    print_time("Modify", attributes.modify_time);
    print_time("Change", attributes.change_time);
}
KSHELL_COMMAND("stat", "file attributes: stat <path>", stat);

void mounts(kshell::Arguments)
{
    RefPtr<fs::Mount> list[fs::MountTable::MAX_MOUNTS];
    usize count = fs::vfs().mounts().snapshot({ list, fs::MountTable::MAX_MOUNTS });
    for (usize i = 0; i < count; ++i)
        console::print("{} {}\n", list[i]->path(), list[i]->file_system().name());
}
KSHELL_COMMAND("mounts", "list mounted filesystems", mounts);

} // namespace
