// Mounting, syncing and unmounting, and the map of live vnodes.
#include <fs/ext4/Ext4FileSystem.h>
#include <fs/ext4/Ext4Vnode.h>
#include <fs/ext4/Journal.h>
#include <kernel/lib/Allocator.h>

namespace ext4 {

namespace {

constexpr usize MIN_CACHE_BLOCKS = 64;
// Above this many cached vnodes, those nobody else references are dropped.
constexpr usize VNODE_MAP_LIMIT = 512;

ErrorOr<void> read_raw_superblock(block::BlockDevice& device, u8* out)
{
    u32 sector_size = device.sector_size();
    if (sector_size == 0 || (sector_size & (sector_size - 1)))
        return Error::from_errno(EINVAL);
    u64 first = SUPERBLOCK_OFFSET / sector_size;
    u64 end = (SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE + sector_size - 1) / sector_size;
    if (end > device.sector_count())
        return Error::from_errno(EINVAL);
    usize bytes = usize(end - first) * sector_size;
    u8* buffer = static_cast<u8*>(lib::allocate(bytes, 64));
    if (!buffer)
        return Error::from_errno(ENOMEM);
    auto result = device.read_sectors(first, { buffer, bytes });
    if (!result.is_error())
        copy_bytes(out, buffer + (SUPERBLOCK_OFFSET - first * sector_size), SUPERBLOCK_SIZE);
    lib::deallocate(buffer);
    return result;
}

StringView flavour_of(const Geometry& geometry)
{
    if (geometry.has_incompat(incompat::EXTENTS | incompat::FLEX_BG | incompat::BIT64)
        || geometry.has_ro_compat(ro_compat::HUGE_FILE | ro_compat::METADATA_CSUM | ro_compat::EXTRA_ISIZE))
        return "ext4";
    if (geometry.has_compat(compat::HAS_JOURNAL))
        return "ext3";
    return "ext2";
}

} // namespace

ErrorOr<NonnullRefPtr<Ext4FileSystem>> Ext4FileSystem::mount(
    NonnullRefPtr<block::BlockDevice> device, MountOptions options)
{
    u8 raw[SUPERBLOCK_SIZE];
    TRY(read_raw_superblock(*device, raw));
    Geometry geometry = TRY(parse_superblock(raw, device->size_in_bytes()));
    bool needs_recovery = geometry.has_incompat(incompat::RECOVER);
    bool read_only = options.read_only || device->is_read_only() || (geometry.ro_compat & ~ro_compat::WRITABLE)
        || geometry.has_incompat(incompat::META_BG | incompat::EA_INODE | incompat::LARGEDIR)
        || geometry.has_compat(compat::ORPHAN_FILE | compat::FAST_COMMIT);
    if (needs_recovery && (device->is_read_only() || options.read_only))
        return Error::from_errno(EROFS); // Linux too refuses to skip recovery silently

    usize capacity = max<usize>(MIN_CACHE_BLOCKS, options.cache_bytes / geometry.block_size);
    auto cache = TRY(block::BlockCache::try_create(device, geometry.block_size, capacity));
    auto file_system = TRY(try_make_ref_counted<Ext4FileSystem>(device, lib::move(cache), geometry, raw, read_only));
    {
        block::SleepLocker locker(file_system->m_lock);
        TRY(file_system->load_group_descriptors());
        if (needs_recovery) {
            TRY(replay_journal(*file_system));
            TRY(file_system->reload_metadata());
            file_system->m_journal_replayed = true;
        }
        auto root = TRY(file_system->vnode_for(ROOT_INODE));
        if (!root->is_directory())
            return Error::from_errno(EUCLEAN);
        file_system->m_root = lib::move(root);
        if (!read_only) {
            TRY(file_system->free_orphans());
            TRY(file_system->mark_mounted());
        }
        file_system->m_mounted = true;
    }
    if (!read_only)
        file_system->set_unreference_notices(true);
    return file_system;
}

Ext4FileSystem::Ext4FileSystem(NonnullRefPtr<block::BlockDevice> device, OwnPtr<block::BlockCache> cache,
    const Geometry& geometry, const u8* raw_superblock, bool read_only)
    : m_device(lib::move(device))
    , m_cache(lib::move(cache))
    , m_geometry(geometry)
    , m_read_only(read_only)
    , m_name(flavour_of(geometry))
{
    copy_bytes(m_superblock, raw_superblock, SUPERBLOCK_SIZE);
    m_lock.set_deferred_work(this);
    m_reserved_blocks = load32(m_superblock, sb::R_BLOCKS_COUNT_LO);
    if (geometry.is_64bit())
        m_reserved_blocks |= u64(load32(m_superblock, sb::R_BLOCKS_COUNT_HI)) << 32;
    m_was_clean = load16(m_superblock, sb::STATE) & STATE_VALID;
}

Ext4FileSystem::~Ext4FileSystem()
{
    set_unreference_notices(false);
    // A mount that failed half-way writes nothing back.
    if (m_mounted && !m_unmounted)
        (void)unmount();
    m_root.clear();
    for (auto item : m_vnodes)
        item.value->forget_file_system();
    m_vnodes.clear();
    lib::deallocate(m_descriptors);
    lib::deallocate(m_group_state);
}

NonnullRefPtr<fs::Vnode> Ext4FileSystem::root()
{
    return NonnullRefPtr<fs::Vnode>(*m_root);
}

bool Ext4FileSystem::is_valid_data_block(u64 block, u64 count) const
{
    // Nothing of a file may overlap the superblock and primary descriptors.
    u64 low = u64(m_geometry.first_data_block) + 1;
    return count > 0 && block >= low && block < m_geometry.blocks_count && count <= m_geometry.blocks_count - block;
}

ErrorOr<block::BlockHandle> Ext4FileSystem::read_block(u64 block)
{
    if (block >= m_geometry.blocks_count)
        return Error::from_errno(EUCLEAN);
    return m_cache->read(block);
}

ErrorOr<block::BlockHandle> Ext4FileSystem::overwrite_block(u64 block)
{
    if (m_read_only)
        return Error::from_errno(EROFS);
    if (block >= m_geometry.blocks_count)
        return Error::from_errno(EUCLEAN);
    return m_cache->overwrite(block);
}

ErrorOr<NonnullRefPtr<Ext4Vnode>> Ext4FileSystem::vnode_for(u32 inode_number)
{
    if (auto* existing = m_vnodes.get(inode_number))
        return NonnullRefPtr<Ext4Vnode>(**existing);
    if (inode_number == 0 || inode_number > m_geometry.inodes_count
        || (inode_number < m_geometry.first_inode && inode_number != ROOT_INODE))
        return Error::from_errno(EUCLEAN);
    InodeRecord record;
    TRY(read_inode(inode_number, record));
    // A name pointing at a free inode, or an inode of no known type.
    if (record.links() == 0 || record.type() == fs::FileType::Unknown)
        return Error::from_errno(EUCLEAN);
    return vnode_for_new(record);
}

ErrorOr<NonnullRefPtr<Ext4Vnode>> Ext4FileSystem::vnode_for_new(const InodeRecord& inode)
{
    if (m_vnodes.size() >= VNODE_MAP_LIMIT)
        reap_unused_vnodes(true);
    auto vnode = TRY(try_make_ref_counted<Ext4Vnode>(*this, inode));
    TRY(m_vnodes.try_set(u64(inode.number), RefPtr<Ext4Vnode>(vnode)));
    return vnode;
}

// An inode that just lost its last link: freed when nobody uses its vnode,
// put on the orphan list otherwise.
void Ext4FileSystem::settle_unlinked(u32 number)
{
    RefPtr<Ext4Vnode>* slot = m_vnodes.get(number);
    if (!slot || (*slot)->inode().links() != 0 || m_orphans.contains(number))
        return;
    if ((*slot)->ref_count() != 1)
        (void)add_orphan(**slot);
    else
        release_unlinked(number);
}

void Ext4FileSystem::reap_unused_vnodes(bool all)
{
    u64 victims[64];
    if (!m_read_only) {
        for (u32 number : m_just_unlinked)
            settle_unlinked(number);
    }
    m_just_unlinked.clear_with_capacity();
    if (m_unlinked_pending && !m_read_only) {
        // Inodes that just lost their last link: free those nobody uses,
        // put the others on the orphan list.
        m_unlinked_pending = false;
        for (;;) {
            usize count = 0;
            for (auto item : m_vnodes) {
                Ext4Vnode& vnode = *item.value;
                if (vnode.inode().links() != 0 || m_orphans.contains(u32(item.key)))
                    continue;
                if (vnode.ref_count() != 1)
                    (void)add_orphan(vnode);
                else if (count < 64)
                    victims[count++] = item.key;
            }
            for (usize i = 0; i < count; ++i)
                release_unlinked(victims[i]);
            if (count < 64)
                break;
        }
    }
    // Orphans whose last user has gone.
    for (usize i = m_orphans.size(); i-- > 0;) {
        u32 number = m_orphans[i];
        RefPtr<Ext4Vnode>* slot = m_vnodes.get(number);
        if (slot && (*slot)->ref_count() != 1)
            continue;
        if (remove_orphan(i).is_error())
            continue;
        release_unlinked(number);
    }
    if (!all)
        return;
    for (;;) {
        usize count = 0;
        for (auto item : m_vnodes) {
            Ext4Vnode& vnode = *item.value;
            if (vnode.ref_count() == 1 && (vnode.inode().links() != 0 || m_read_only) && count < 64)
                victims[count++] = item.key;
        }
        for (usize i = 0; i < count; ++i)
            m_vnodes.remove(victims[i]);
        if (count < 64)
            break;
    }
}

void Ext4FileSystem::release_unlinked(u64 number)
{
    RefPtr<Ext4Vnode>* slot = m_vnodes.get(number);
    if (!slot)
        return;
    // A failure (EIO) leaves the blocks allocated; e2fsck reclaims them.
    (void)release_inode((*slot)->inode());
    m_vnodes.remove(number);
}

ErrorOr<void> Ext4FileSystem::add_orphan(Ext4Vnode& vnode)
{
    // Without memory for the list the inode is still freed at its last
    // close, only not after a crash.
    TRY(m_orphans.try_append(vnode.inode().number));
    m_orphan_count.store(u32(m_orphans.size()));
    vnode.inode().set_dtime(load32(m_superblock, sb::LAST_ORPHAN));
    store32(m_superblock, sb::LAST_ORPHAN, vnode.inode().number);
    return write_inode(vnode.inode());
}

ErrorOr<void> Ext4FileSystem::remove_orphan(usize index)
{
    u32 next = index > 0 ? m_orphans[index - 1] : 0;
    if (index + 1 == m_orphans.size()) {
        store32(m_superblock, sb::LAST_ORPHAN, next);
    } else if (RefPtr<Ext4Vnode>* previous = m_vnodes.get(m_orphans[index + 1])) {
        (*previous)->inode().set_dtime(next);
        TRY(write_inode((*previous)->inode()));
    }
    m_orphans.remove(index);
    m_orphan_count.store(u32(m_orphans.size()));
    return {};
}

void Ext4FileSystem::vnode_unreferenced()
{
    // Only an orphan can be waiting for its last user to go.
    if (m_orphan_count.load() == 0)
        return;
    m_release_wanted.store(true);
    m_lock.run_deferred_work();
}

void Ext4FileSystem::run()
{
    m_release_wanted.store(false);
    // After unmount's final sync nothing may be written any more.
    if (!m_unmounted)
        reap_unused_vnodes();
}

ErrorOr<void> Ext4FileSystem::write_superblock()
{
    if (m_read_only)
        return {};
    u8* raw = m_superblock;
    store32(raw, sb::FREE_BLOCKS_COUNT_LO, u32(m_free_blocks));
    if (m_geometry.is_64bit())
        store32(raw, sb::FREE_BLOCKS_COUNT_HI, u32(m_free_blocks >> 32));
    store32(raw, sb::FREE_INODES_COUNT, u32(m_free_inodes));
    store32(raw, sb::WTIME, u32(fs::current_time().seconds));
    if (m_geometry.has_metadata_csum())
        store32(raw, sb::CHECKSUM, superblock_checksum(raw));
    u64 block = SUPERBLOCK_OFFSET / m_geometry.block_size;
    auto handle = TRY(m_cache->read(block));
    copy_bytes(handle.data() + SUPERBLOCK_OFFSET % m_geometry.block_size, raw, SUPERBLOCK_SIZE);
    handle.mark_dirty();
    return {};
}

ErrorOr<void> Ext4FileSystem::reload_metadata()
{
    TRY(m_cache->write_back());
    {
        auto handle = TRY(m_cache->read(SUPERBLOCK_OFFSET / m_geometry.block_size));
        copy_bytes(m_superblock, handle.data() + SUPERBLOCK_OFFSET % m_geometry.block_size, SUPERBLOCK_SIZE);
    }
    Geometry geometry = TRY(parse_superblock(m_superblock, m_device->size_in_bytes()));
    if (geometry.block_size != m_geometry.block_size)
        return Error::from_errno(EUCLEAN);
    m_geometry = geometry;
    m_geometry.incompat &= ~incompat::RECOVER;
    store32(m_superblock, sb::FEATURE_INCOMPAT, load32(m_superblock, sb::FEATURE_INCOMPAT) & ~incompat::RECOVER);
    lib::deallocate(m_descriptors);
    lib::deallocate(m_group_state);
    m_descriptors = nullptr;
    m_group_state = nullptr;
    TRY(load_group_descriptors());
    m_was_clean = load16(m_superblock, sb::STATE) & STATE_VALID;
    // The superblock with needs-recovery cleared goes out with the next sync.
    return write_superblock();
}

ErrorOr<void> Ext4FileSystem::mark_mounted()
{
    store16(m_superblock, sb::STATE, u16(load16(m_superblock, sb::STATE) & ~STATE_VALID));
    store16(m_superblock, sb::MNT_COUNT, u16(load16(m_superblock, sb::MNT_COUNT) + 1));
    store32(m_superblock, sb::MTIME, u32(fs::current_time().seconds));
    return sync_locked();
}

ErrorOr<void> Ext4FileSystem::free_orphans()
{
    // Inodes unlinked while open when the system stopped: the superblock
    // chains them through i_dtime. Free those with no links left.
    u32 next = load32(m_superblock, sb::LAST_ORPHAN);
    for (u32 steps = 0; next && steps < m_geometry.inodes_count; ++steps) {
        InodeRecord inode;
        TRY(read_inode(next, inode));
        u32 following = inode.dtime();
        if (inode.links() == 0) {
            TRY(release_inode(inode));
        } else {
            inode.set_dtime(0);
            TRY(write_inode(inode));
        }
        next = following;
    }
    store32(m_superblock, sb::LAST_ORPHAN, 0);
    return {};
}

ErrorOr<void> Ext4FileSystem::sync_locked()
{
    if (m_read_only)
        return {};
    TRY(refresh_bitmap_checksums());
    TRY(write_superblock());
    return m_cache->sync();
}

ErrorOr<void> Ext4FileSystem::sync()
{
    block::SleepLocker locker(m_lock);
    return sync_locked();
}

ErrorOr<void> Ext4FileSystem::unmount()
{
    block::SleepLocker locker(m_lock);
    if (m_unmounted)
        return {};
    if (m_read_only) {
        m_unmounted = true;
        return {};
    }
    m_unlinked_pending = true;
    reap_unused_vnodes();
    if (m_was_clean)
        store16(m_superblock, sb::STATE, u16(load16(m_superblock, sb::STATE) | STATE_VALID));
    TRY(sync_locked());
    m_unmounted = true;
    return {};
}

UsageCounts Ext4FileSystem::usage() const
{
    block::SleepLocker locker(m_lock);
    UsageCounts counts;
    counts.total_blocks = m_geometry.blocks_count;
    counts.free_blocks = m_free_blocks;
    counts.available_blocks = m_free_blocks > m_reserved_blocks ? m_free_blocks - m_reserved_blocks : 0;
    counts.total_inodes = m_geometry.inodes_count;
    counts.free_inodes = m_free_inodes;
    counts.block_size = m_geometry.block_size;
    return counts;
}

// statfs's ST_RDONLY (Linux's value).
constexpr u64 ST_RDONLY_FLAG = 1;

fs::FileSystemStatistics Ext4FileSystem::statistics() const
{
    UsageCounts counts = usage();
    fs::FileSystemStatistics statistics;
    statistics.magic = fs::magic::Ext4;
    statistics.block_size = counts.block_size;
    statistics.blocks = counts.total_blocks;
    statistics.free_blocks = counts.free_blocks;
    statistics.available_blocks = counts.available_blocks;
    statistics.files = counts.total_inodes;
    statistics.free_files = counts.free_inodes;
    statistics.mount_flags = m_read_only ? ST_RDONLY_FLAG : 0;
    return statistics;
}

} // namespace ext4
