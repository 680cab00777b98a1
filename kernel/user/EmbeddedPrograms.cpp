// The table of embedded programs, laid out by the generated assembly
// (build/userland/test/embedded_programs.S) as EmbeddedProgram records.
#include <kernel/user/EmbeddedPrograms.h>

extern "C" const user::EmbeddedProgram osprey_embedded_programs[];
extern "C" const u64 osprey_embedded_program_count;

namespace user {

Span<const EmbeddedProgram> embedded_programs()
{
    return { osprey_embedded_programs, static_cast<usize>(osprey_embedded_program_count) };
}

const EmbeddedProgram* find_embedded_program(StringView name)
{
    for (const EmbeddedProgram& program : embedded_programs()) {
        if (name == StringView(program.name))
            return &program;
    }
    return nullptr;
}

} // namespace user
