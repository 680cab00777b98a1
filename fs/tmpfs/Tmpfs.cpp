// tmpfs options and creation; see Tmpfs.h.
#include <fs/tmpfs/Tmpfs.h>

namespace fs::tmpfs {

namespace {

ErrorOr<u64> parse_size(StringView text)
{
    if (text.is_empty())
        return Error::from_errno(EINVAL);
    u64 value = 0;
    usize i = 0;
    for (; i < text.length() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, u64(text[i] - '0'), &value))
            return Error::from_errno(EINVAL);
    }
    if (i == 0)
        return Error::from_errno(EINVAL);
    u64 scale = 1;
    if (i + 1 == text.length()) {
        switch (text[i]) {
        case 'k':
        case 'K':
            scale = KiB;
            break;
        case 'm':
        case 'M':
            scale = MiB;
            break;
        case 'g':
        case 'G':
            scale = GiB;
            break;
        default:
            return Error::from_errno(EINVAL);
        }
    } else if (i != text.length()) {
        return Error::from_errno(EINVAL);
    }
    u64 bytes;
    if (__builtin_mul_overflow(value, scale, &bytes))
        return Error::from_errno(EINVAL);
    return align_up<u64>(bytes, PAGE_SIZE) / PAGE_SIZE;
}

ErrorOr<u32> parse_mode(StringView text)
{
    if (text.is_empty() || text.length() > 4)
        return Error::from_errno(EINVAL);
    u32 mode = 0;
    for (char c : text) {
        if (c < '0' || c > '7')
            return Error::from_errno(EINVAL);
        mode = mode * 8 + static_cast<u32>(c - '0');
    }
    return mode;
}

} // namespace

ErrorOr<Options> parse_options(StringView text, u64 default_pages)
{
    Options options;
    options.page_limit = default_pages;
    while (!text.is_empty()) {
        usize comma = text.find(',');
        StringView option = comma == StringView::npos ? text : text.substring(0, comma);
        text = comma == StringView::npos ? StringView() : text.substring(comma + 1);
        if (option.is_empty())
            continue;
        if (option.starts_with("size="))
            options.page_limit = TRY(parse_size(option.substring(5)));
        else if (option.starts_with("mode="))
            options.root_mode = TRY(parse_mode(option.substring(5)));
        else
            return Error::from_errno(EINVAL);
    }
    return options;
}

ErrorOr<NonnullRefPtr<ramfs::RamFileSystem>> try_create(const Options& options)
{
    return ramfs::RamFileSystem::try_create(options.root_mode, { 0, 0 }, ramfs::RamFlavor::Tmpfs, options.page_limit);
}

} // namespace fs::tmpfs
