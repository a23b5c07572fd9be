/*
 * The PSCI CPU_ON entry point of the SMP guest tests, shared (include once
 * per test, which defines secondary_main()). A CPU started with CPU_ON
 * (DEN0022D 5.6: MMU off, x0 = the context ID) enters secondary_entry,
 * takes its own 16 KiB stack, __stack_top + MPIDR_EL1.Aff0 x 16 KiB (the
 * per-CPU stacks of link.ld, as start.S gives them at boot), and calls
 * secondary_main with x0 untouched, so a test may declare it
 * secondary_main(void) or secondary_main(uint64_t context_id). If that
 * returns, the CPU waits in WFI forever.
 */
#ifndef GUEST_SECONDARY_H
#define GUEST_SECONDARY_H

void secondary_entry(void);

__asm__(".text\n"
        ".global secondary_entry\n"
        "secondary_entry:\n"
        "    mrs x1, mpidr_el1\n"
        "    and x1, x1, #0xff\n"
        "    ldr x2, =__stack_top\n"
        "    mov x3, #0x4000\n"
        "    madd x2, x1, x3, x2\n"
        "    mov sp, x2\n"
        "    bl secondary_main\n"
        "1:  wfi\n"
        "    b 1b\n");

#endif
