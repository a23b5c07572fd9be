/*
 * exitbench entry, vectors and PSCI conduit (docs/exitbench.md).
 *
 * The guest runs at EL1 with the MMU off on QEMU's virt board under KVM, or on
 * arm83emu's own virt board without EL2 (-M virt): both enter at _start on
 * CPU 0 with a PSCI HVC conduit. CPU 1 is started with PSCI CPU_ON at
 * secondary_entry. Stacks: 16 KiB per CPU below __stack_top (link.ld).
 */
    .section .text.start, "ax"
    .global _start
_start:
#ifdef EXITBENCH_XEN
/* As a Xen domU (docs/xen.md), the image is a raw binary with the arm64
 * Linux Image header (Documentation/arm64/booting.rst), which Xen's domain
 * builder (libxenguest's zImage64 loader) needs: it loads the image at the
 * guest's RAM base (0x40000000) + text_offset, where link.ld links it, and
 * enters at the first instruction with the MMU off. */
    b       0f                      /* code0 */
    .long   0                       /* code1 */
    .quad   0x80000                 /* text_offset: link.ld's 0x40080000 */
    .quad   __end - 0x40080000      /* image_size, with BSS and stacks */
    .quad   0x2                     /* flags: little-endian, 4 KiB pages */
    .quad   0, 0, 0                 /* res2..res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5 */
0:
#endif
    mov     x9, #0
    b       common_entry

    .global secondary_entry
secondary_entry:                    /* x0 = context_id = CPU index (PSCI CPU_ON) */
    mov     x9, x0
common_entry:
    ldr     x10, =__stack_top
    mov     x11, #0x4000
    madd    x10, x9, x11, x10
    mov     sp, x10
    ldr     x10, =vectors
    msr     vbar_el1, x10
    isb
    cbnz    x9, 2f                  /* CPU 1 does not clear BSS */
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
1:  cmp     x0, x1
    b.hs    3f
    str     xzr, [x0], #8
    b       1b
3:  bl      main
    b       4f
2:  mov     x0, x9
    bl      secondary_main
4:  wfi
    b       4b

/* x0 = SMCCC function ID, x1..x3 arguments; returns x0. HVC #0 is the
 * conduit KVM (and arm83emu's board without EL2) answers (SMCCC 1.1 2.5). */
    .text
    .global smccc_hvc
smccc_hvc:
    hvc     #0
    ret

#ifdef EXITBENCH_XEN
/* x0 = hypercall number, x1..x3 = its arguments 1..3: Xen's hypercall ABI
 * on Arm is HVC #0xEA1 with the number in x16 and the arguments in x0..x4
 * (xen/include/public/arch-arm.h); returns x0. */
    .global xen_hypercall
xen_hypercall:
    mov     x16, x0
    mov     x0, x1
    mov     x1, x2
    mov     x2, x3
    hvc     #0xEA1
    ret
#endif

/* Vector table (Arm ARM D1.10.2). IRQs taken from EL1 with SP_EL1 (+0x280)
 * call irq_entry(); everything else is fatal (bad_exception prints ESR/ELR). */
.macro vent label
    .balign 128
    b       \label
.endm
    .balign 2048
    .global vectors
vectors:
    vent bad
    vent bad
    vent bad
    vent bad
    vent bad
    vent irq
    vent bad
    vent bad
    vent bad
    vent bad
    vent bad
    vent bad
    vent bad
    vent bad
    vent bad
    vent bad
irq:
    sub     sp, sp, #176
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x30, [sp, #144]
    bl      irq_entry
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x30, [sp, #144]
    add     sp, sp, #176
    eret
bad:
    bl      bad_exception
    b       bad
