/*
 * Soak guest (make check-full, label slow; docs/reliability.md): 4 CPUs at
 * EL1 hammer every device window and the system-register space with values
 * from a seeded PRNG (xorshift64*, one seed per CPU), catching every
 * exception this provokes (exc_harness.h: synchronous ones skip the
 * faulting instruction, interrupts and SErrors return masked), then the
 * guest ends the run itself with PSCI SYSTEM_OFF. What is checked (by
 * soak.sh): the guest's own exit (status 0, "soak: done"), no host error,
 * and the same digest in two runs.
 *
 * System registers: each round writes a block of random MRS/MSR words
 * (Arm ARM C5.2/C6.2.x: MRS 0xd5300000, MSR 0xd5100000 | o0 op1 CRn CRm
 * op2 Rt) into this CPU's code buffer, cleans/invalidates it (DC CVAU, IC
 * IVAU, Arm ARM D7.5.9 for self-modifying code) and runs it with x0-x7
 * random. Reads cover op0 = 2 and 3; writes cover op0 = 3 except the few
 * that would take the test harness away (the vector base, SCTLR_EL1 whose
 * M bit would turn the MMU on with random tables, and CRn = 4: SP, ELR,
 * SPSR, SPSel, DAIF and other PSTATE views); debug registers (op0 = 2) are
 * read only, since random breakpoints/watchpoints would hit the harness.
 * Devices: random 8/32/64-bit reads and writes at random aligned offsets of
 * the GIC distributor, the four redistributors, PL011, PL031, flash, the
 * reserved ITS and virtio-mmio windows and unmapped space; interrupts are
 * unmasked now and then so that what the writes raised is taken.
 */
#include "guest.h"
#include "../guest/exc/exc_harness.h"

#define NCPUS 4
#ifndef SOAK_ROUNDS
#define SOAK_ROUNDS 36000     /* per CPU; about 1.0 * 10^9 instructions in all */
#endif
#define SYS_BLOCK 48          /* random MRS/MSR per round */
#define MMIO_BLOCK 48         /* random device accesses per round */

static uint32_t code_buf[NCPUS][SYS_BLOCK + 1] __attribute__((aligned(64)));
volatile uint64_t done_mask;
volatile uint64_t sys_ops[NCPUS], mmio_ops[NCPUS];

static inline uint64_t rnd(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* A random MRS or MSR word (Rt in x0-x7), avoiding the writes listed above. */
static uint32_t sys_word(uint64_t *s)
{
    for (;;) {
        uint64_t r = rnd(s);
        unsigned l = r & 1, o0 = (r >> 1) & 1, op1 = (r >> 2) & 7, crn = (r >> 5) & 15;
        unsigned crm = (r >> 9) & 15, op2 = (r >> 13) & 7, rt = (r >> 16) & 7;
        if (!l) {               /* MSR */
            if (!o0 || crn == 4)
                continue;
            if (op1 == 0 && crn == 1 && crm == 0 && op2 == 0)
                continue;       /* SCTLR_EL1 */
            if (op1 == 0 && crn == 12 && crm == 0)
                continue;       /* VBAR_EL1, RVBAR_EL1, RMR_EL1 */
        }
        return 0xd5100000u | l << 21 | o0 << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt;
    }
}

static void sys_round(unsigned cpu, uint64_t *s)
{
    uint32_t *buf = code_buf[cpu];
    for (unsigned i = 0; i < SYS_BLOCK; i++)
        buf[i] = sys_word(s);
    buf[SYS_BLOCK] = 0xd65f03c0u;       /* ret */
    for (unsigned i = 0; i <= SYS_BLOCK; i += 16)
        __asm__ volatile("dc cvau, %0" ::"r"(&buf[i]) : "memory");
    __asm__ volatile("dsb ish" ::: "memory");
    for (unsigned i = 0; i <= SYS_BLOCK; i += 16)
        __asm__ volatile("ic ivau, %0" ::"r"(&buf[i]) : "memory");
    __asm__ volatile("dsb ish\n isb" ::: "memory");
    register uint64_t x0 __asm__("x0") = rnd(s), x1 __asm__("x1") = rnd(s);
    register uint64_t x2 __asm__("x2") = rnd(s), x3 __asm__("x3") = rnd(s);
    register uint64_t x4 __asm__("x4") = rnd(s), x5 __asm__("x5") = rnd(s);
    register uint64_t x6 __asm__("x6") = rnd(s), x7 __asm__("x7") = rnd(s);
    __asm__ volatile("blr %8"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
                     : "r"(buf)
                     : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x30",
                       "memory", "cc");
    sys_ops[cpu] += SYS_BLOCK;
}

/* Device windows (docs/board.md) and a few unmapped ranges. */
static const struct { uint64_t base, size; } windows[] = {
    { 0x08000000, 0x10000 },            /* GIC distributor */
    { 0x080A0000, 0x20000 * NCPUS },    /* GIC redistributors */
    { 0x09000000, 0x1000 },             /* PL011 */
    { 0x09010000, 0x1000 },             /* PL031 */
    { 0x00000000, 0x100000 },           /* flash (read-only) */
    { 0x08080000, 0x20000 },            /* ITS window (reserved) */
    { 0x0A000000, 0x4000 },             /* virtio-mmio window */
    { 0x0C000000, 0x100000 },           /* unmapped */
    { 0x3FF00000, 0x100000 },           /* unmapped, just below RAM */
};

static void mmio_round(unsigned cpu, uint64_t *s)
{
    for (unsigned i = 0; i < MMIO_BLOCK; i++) {
        uint64_t r = rnd(s), v = rnd(s);
        unsigned w = (unsigned)(r % (sizeof windows / sizeof windows[0]));
        unsigned kind = (r >> 8) & 7;   /* 0-2 read, 3-7 write; size from bits 11.. */
        unsigned size = ((r >> 11) & 3) == 0 ? 1 : ((r >> 11) & 3) == 1 ? 8 : 4;
        uint64_t a = windows[w].base + (((r >> 16) % windows[w].size) & ~(uint64_t)(size - 1));
        if (kind < 3) {
            uint64_t x;
            if (size == 1)
                __asm__ volatile("ldrb %w0, [%1]" : "=r"(x) : "r"(a) : "memory");
            else if (size == 4)
                __asm__ volatile("ldr %w0, [%1]" : "=r"(x) : "r"(a) : "memory");
            else
                __asm__ volatile("ldr %0, [%1]" : "=r"(x) : "r"(a) : "memory");
            (void)x;
        } else {
            if (size == 1)
                __asm__ volatile("strb %w0, [%1]" ::"r"(v), "r"(a) : "memory");
            else if (size == 4)
                __asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(a) : "memory");
            else
                __asm__ volatile("str %0, [%1]" ::"r"(v), "r"(a) : "memory");
        }
    }
    mmio_ops[cpu] += MMIO_BLOCK;
}

static void soak(unsigned cpu)
{
    uint64_t s = 0x9E3779B97F4A7C15ull ^ ((uint64_t)(cpu + 1) << 32);
    WRITE_SYSREG(vbar_el1, (uint64_t)guest_vectors);
    ISB();
    for (unsigned round = 0; round < SOAK_ROUNDS; round++) {
        sys_round(cpu, &s);
        mmio_round(cpu, &s);
        if ((round & 7) == 7)           /* take what is pending; returns masked */
            __asm__ volatile("msr daifclr, #0xf\n isb\n nop\n msr daifset, #0xf" ::: "memory");
    }
    uint64_t old, tmp;
    uint32_t fail;
    do {    /* done_mask |= 1 << cpu (exclusive pair: CPUs race) */
        __asm__ volatile("ldaxr %0, [%3]\n orr %1, %0, %4\n stlxr %w2, %1, [%3]"
                         : "=&r"(old), "=&r"(tmp), "=&r"(fail)
                         : "r"(&done_mask), "r"(1ull << cpu)
                         : "memory");
    } while (fail);
}

void secondary_main(uint64_t cpu);
void secondary_entry(void);
__asm__(".text\n"
        ".global secondary_entry\n"
        "secondary_entry:\n"
        "    ldr x1, =__stack_top\n"
        "    mov x2, #0x4000\n"
        "    madd x1, x0, x2, x1\n"
        "    mov sp, x1\n"
        "    bl secondary_main\n"
        "1:  wfi\n"
        "    b 1b\n"
        "    .ltorg\n");

void secondary_main(uint64_t cpu)
{
    soak((unsigned)cpu);
    firmware_call(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
    puts_("soak: start\n");
    for (uint64_t c = 1; c < NCPUS; c++)
        check_eq("CPU_ON", firmware_call(PSCI_CPU_ON_64, c, (uint64_t)secondary_entry, c), 0);
    soak(0);
    while (done_mask != (1u << NCPUS) - 1)
        __asm__ volatile("yield");
    /* The random writes may have left the UART disabled: UARTCR = UARTEN |
     * TXE | RXE, UARTIMSC = 0 (PL011 TRM 3.3.8, 3.3.10) before reporting. */
    volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;
    uart[0x38 / 4] = 0;
    uart[0x30 / 4] = 0x301;
    puts_("\nsoak: done\n");
    uint64_t sys = 0, mmio = 0;
    for (unsigned c = 0; c < NCPUS; c++) {
        sys += sys_ops[c];
        mmio += mmio_ops[c];
    }
    puts_("soak: system-register instructions ");
    putdec(sys);
    puts_(", device accesses ");
    putdec(mmio);
    puts_(", exceptions ");
    putdec(exc_rec.count);
    putc_('\n');
    return guest_failures ? 1 : 0;
}
