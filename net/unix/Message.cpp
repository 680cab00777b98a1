// Messages, their rights and queues (see Message.h).
#include <kernel/lib/Allocator.h>
#include <kernel/lib/Placement.h>
#include <net/unix/Message.h>
#include <net/unix/UnixSocket.h>

namespace net {

ErrorOr<FileRights*> FileRights::try_create(usize capacity)
{
    void* memory = lib::allocate(sizeof(FileRights) + capacity * sizeof(RefPtr<fs::OpenFile>));
    if (!memory)
        return Error::from_errno(ENOMEM);
    auto* rights = new (memory) FileRights;
    rights->m_capacity = capacity;
    rights->m_files = reinterpret_cast<RefPtr<fs::OpenFile>*>(rights + 1);
    for (usize i = 0; i < capacity; ++i)
        new (&rights->m_files[i]) RefPtr<fs::OpenFile>();
    return rights;
}

void FileRights::destroy(FileRights* rights)
{
    if (!rights)
        return;
    for (usize i = 0; i < rights->m_capacity; ++i)
        rights->m_files[i].~RefPtr<fs::OpenFile>();
    rights->~FileRights();
    lib::deallocate(rights);
}

void FileRights::append(NonnullRefPtr<fs::OpenFile> file)
{
    m_files[m_count++] = lib::move(file);
}

void FileRights::take_all(RefPtr<fs::OpenFile>* out)
{
    for (usize i = 0; i < m_count; ++i)
        out[i] = lib::move(m_files[i]);
    m_count = 0;
}

ErrorOr<Message*> Message::try_create(usize size)
{
    void* memory = lib::allocate(sizeof(Message) + size);
    if (!memory)
        return Error::from_errno(ENOMEM);
    auto* message = new (memory) Message;
    message->size = size;
    return message;
}

void Message::destroy(Message* message)
{
    if (!message)
        return;
    FileRights::destroy(message->rights);
    message->~Message();
    lib::deallocate(message);
}

void MessageQueue::push(Message* message)
{
    message->next = nullptr;
    if (m_tail)
        m_tail->next = message;
    else
        m_head = message;
    m_tail = message;
    ++m_count;
    m_bytes += message->unread();
}

Message* MessageQueue::pop()
{
    Message* message = m_head;
    if (!message)
        return nullptr;
    m_head = message->next;
    if (!m_head)
        m_tail = nullptr;
    message->next = nullptr;
    --m_count;
    m_bytes -= message->unread();
    return message;
}

void MessageQueue::take_all(MessageQueue& other)
{
    while (Message* message = other.pop())
        push(message);
}

void MessageQueue::destroy_all()
{
    while (Message* message = pop())
        Message::destroy(message);
}

} // namespace net
