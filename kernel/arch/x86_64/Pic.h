#pragma once

// The legacy 8259A PIC pair: remapped to vectors 32-47 and fully masked at
// boot, so no stray IRQ lands on an exception vector.
#include <kernel/irq/Irq.h>

namespace x86 {

void pic_remap_and_mask();
// The PIC as an irq::Controller, for use until the APICs take over.
irq::Controller& pic_controller();

} // namespace x86
