// Messages; see Message.h.
#include <ipc/Message.h>
#include <kernel/lib/Allocator.h>
#include <kernel/lib/Placement.h>

namespace ipc {

ErrorOr<Message*> Message::allocate(u32 payload_length)
{
    void* memory = lib::allocate(sizeof(Message) + payload_length);
    if (!memory)
        return Error::from_errno(ENOMEM);
    return new (memory) Message;
}

void Message::destroy(Message* message)
{
    // The capabilities close here (PortRef destructors) if nobody took them.
    message->~Message();
    lib::deallocate(message);
}

} // namespace ipc
