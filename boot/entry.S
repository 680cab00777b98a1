/*
 * Multiboot2 entry. GRUB jumps here in 32-bit protected mode with paging off,
 * eax = Multiboot2 magic and ebx = physical address of the boot information.
 *
 * We check the magic and that the CPU can run in long mode (printing a clear
 * message on serial and VGA otherwise), then build the early page tables:
 *   - identity map of the first 4 GiB (2 MiB pages), dropped later by the VMM,
 *   - the same 4 GiB at the direct-map base 0xffff800000000000,
 *   - the first 2 GiB at the kernel base 0xffffffff80000000 (-mcmodel=kernel).
 * Then PAE, EFER.LME (and NXE), paging, a 64-bit GDT, and a jump to the higher
 * half, where kernel_main(magic, info) takes over on the boot stack.
 */
#define MB2_MAGIC 0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define KERNEL_VMA 0xffffffff80000000
#define PTE_PRESENT 0x1
#define PTE_WRITE 0x2
#define PTE_HUGE 0x80

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long 0 /* i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
    /* End tag. */
    .balign 8
    .short 0
    .short 0
    .long 8
mb2_header_end:

/*
 * A Multiboot1 header too, so that a loader speaking only the old protocol
 * reaches _start and is told plainly that Osprey needs Multiboot2 (the magic
 * check below), instead of refusing the image silently.
 */
    .balign 4
mb1_header:
    .long 0x1badb002
    .long 0
    .long -(0x1badb002)

    .section .boot.bss, "aw", @nobits
    .balign 4096
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4096 * 4
boot_stack_bottom:
    .skip 4096 * 4
boot_stack_top:

    .section .boot.rodata, "a"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff /* 0x08: 64-bit code, ring 0 */
    .quad 0x00cf92000000ffff /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

msg_bad_magic:
    .asciz "Osprey: not started by a Multiboot2 boot loader (bad magic in eax); halting."
msg_no_long_mode:
    .asciz "Osprey: this CPU does not support 64-bit long mode; halting."

    .section .boot.data, "aw"
    .balign 8
    .global boot_multiboot_magic
boot_multiboot_magic:
    .long 0
    .global boot_multiboot_info
boot_multiboot_info:
    .long 0

    .section .boot.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    mov $boot_stack_top, %esp
    mov %eax, boot_multiboot_magic
    mov %ebx, boot_multiboot_info

    cmp $MB2_BOOTLOADER_MAGIC, %eax
    je 1f
    mov $msg_bad_magic, %esi
    jmp boot_fail
1:
    /* CPUID extended leaf 0x80000001, EDX bit 29: long mode. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb 2f
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jnz 3f
2:
    mov $msg_no_long_mode, %esi
    jmp boot_fail
3:
    mov %edx, %ebp /* keep the feature bits: bit 20 is NX */

    /* Four page directories of 2 MiB pages covering physical 0..4 GiB. */
    mov $boot_pd, %edi
    xor %ecx, %ecx
4:
    mov %ecx, %eax
    shl $21, %eax
    or $(PTE_PRESENT | PTE_WRITE | PTE_HUGE), %eax
    mov %eax, (%edi, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax /* high half of the physical address: (i * 2 MiB) >> 32 */
    mov %eax, 4(%edi, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jb 4b

    /* Low PDPT: entries 0..3 point at the four page directories. */
    mov $boot_pdpt_low, %edi
    mov $boot_pd + (PTE_PRESENT | PTE_WRITE), %eax
    mov %eax, 0(%edi)
    add $4096, %eax
    mov %eax, 8(%edi)
    add $4096, %eax
    mov %eax, 16(%edi)
    add $4096, %eax
    mov %eax, 24(%edi)

    /* High PDPT: entries 510 and 511 map physical 0..2 GiB at KERNEL_VMA. */
    mov $boot_pdpt_high, %edi
    mov $boot_pd + (PTE_PRESENT | PTE_WRITE), %eax
    mov %eax, 510 * 8(%edi)
    add $4096, %eax
    mov %eax, 511 * 8(%edi)

    /* PML4: 0 (identity), 256 (direct map), 511 (kernel). */
    mov $boot_pml4, %edi
    mov $boot_pdpt_low + (PTE_PRESENT | PTE_WRITE), %eax
    mov %eax, 0(%edi)
    mov %eax, 256 * 8(%edi)
    mov $boot_pdpt_high + (PTE_PRESENT | PTE_WRITE), %eax
    mov %eax, 511 * 8(%edi)

    mov %edi, %cr3

    /* CR4: PAE (5), PGE (7), OSFXSR (9), OSXMMEXCPT (10). */
    mov %cr4, %eax
    or $((1 << 5) | (1 << 7) | (1 << 9) | (1 << 10)), %eax
    mov %eax, %cr4

    /* EFER: LME (8), and NXE (11) when the CPU has NX. */
    mov $0xc0000080, %ecx
    rdmsr
    or $(1 << 8), %eax
    test $(1 << 20), %ebp
    jz 5f
    or $(1 << 11), %eax
5:
    wrmsr

    /* CR0: PG (31), WP (16), PE (0). */
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | 1), %eax
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $boot_long_mode

/* Prints the NUL-terminated string at esi on COM1 and the VGA screen, then halts. */
boot_fail:
    mov $0xb8000, %edi
6:
    lodsb
    test %al, %al
    jz 8f
    mov %al, %bl
    mov $0x3fd, %dx /* wait for the transmitter holding register */
7:
    in %dx, %al
    test $0x20, %al
    jz 7b
    mov $0x3f8, %dx
    mov %bl, %al
    out %al, %dx
    mov %bl, (%edi)
    movb $0x4f, 1(%edi) /* white on red */
    add $2, %edi
    jmp 6b
8:
    mov $0x3f8, %dx
    mov $'\r', %al
    out %al, %dx
    mov $'\n', %al
    out %al, %dx
9:
    cli
    hlt
    jmp 9b

    .code64
boot_long_mode:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $kernel_entry64, %rax
    jmp *%rax

    .text
    .code64
kernel_entry64:
    movabs $kernel_boot_stack_top, %rsp
    xor %ebp, %ebp
    mov boot_multiboot_magic, %edi
    mov boot_multiboot_info, %esi
    call kernel_main
10:
    cli
    hlt
    jmp 10b

    .bss
    .balign 16
    .global kernel_boot_stack_bottom
kernel_boot_stack_bottom:
    .skip 65536
    .global kernel_boot_stack_top
kernel_boot_stack_top:

    .section .note.GNU-stack, "", @progbits
