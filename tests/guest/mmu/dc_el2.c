/*
 * DC ZVA, DC CVAC and DC CIVAC at EL2 with its stage 1 on and E2H = 0 (the
 * EL2 regime of Xen, which scrubs and cleans its RAM with loops of them).
 * The translator inlines their host-TLB hits at EL2 (src/jit/
 * jit_inline_sys.c); this test runs each path, with the expected results
 * from the Arm ARM:
 *  - DC ZVA (C6.2.81, DCZID_EL0.BS = 4) zeroes exactly the 64-byte block
 *    containing Xt, on RAM already written and on RAM never written;
 *  - DC ZVA to Device memory is an Alignment fault (D7.4.11: "DC ZVA to
 *    any type of Device memory generates an Alignment fault"): ESR_EL2 EC
 *    0x25, WnR = 1, CM = 0, DFSC 0x21;
 *  - DC CVAC/CIVAC (C6.2.76, C6.2.78) change no memory; on an unmapped VA
 *    they take a Data Abort with CM = 1 and WnR = 1 (D7.4.11: cache
 *    maintenance instructions report WnR = 1), DFSC a level 1 translation
 *    fault (0x05);
 *  - a DC ZVA between LDXR and STXR on the same block makes the STXR fail
 *    (the block is written, and the monitor model clears a monitor on any
 *    write to its block: docs/ARCHITECTURE.md "Memory");
 *  - the cycles of 64 DC ZVA on written RAM, on unwritten RAM and of 64
 *    DC CIVAC (PMCCNTR_EL0): the translator must charge what the
 *    interpreter does (guest-jit compares the counters, and this output).
 */
#include "mmu_guest.h"

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint8_t buf[4096] __attribute__((aligned(4096)));
static uint8_t page_w[4096] __attribute__((aligned(4096)));

/* RAM no one has written: 64 MiB above the RAM base, far beyond the image */
#define FRESH 0x44000000ul
#define UART  0x09000000ul
#define UNMAPPED 0xc0000000ul    /* l1[3]: invalid */

uint64_t el2_lower_sync(uint64_t *regs)
{
    (void)regs;
    return 1;
}

/* DC ZVA over [p, p + len) in 64-byte steps, one translated loop */
static void zva_loop(uint64_t p, uint64_t len)
{
    uint64_t end = p + len;
    __asm__ volatile("1: dc zva, %0\n add %0, %0, #64\n cmp %0, %1\n b.lo 1b"
                     : "+r"(p) : "r"(end) : "memory", "cc");
}

static void civac_loop(uint64_t p, uint64_t len)
{
    uint64_t end = p + len;
    __asm__ volatile("1: dc civac, %0\n add %0, %0, #64\n cmp %0, %1\n b.lo 1b"
                     : "+r"(p) : "r"(end) : "memory", "cc");
}

static unsigned count_zero(const uint8_t *p, unsigned n)
{
    unsigned z = 0;
    for (unsigned i = 0; i < n; i++)
        z += p[i] == 0;
    return z;
}

int main(void)
{
    el2_mmu_on(l1);
    putreg("CurrentEL", current_el());
    putreg("SCTLR_EL2.M", READ_SYSREG(sctlr_el2) & 1);
    WRITE_SYSREG(pmcr_el0, 1);                      /* PMCR_EL0.E */
    WRITE_SYSREG(pmcntenset_el0, 1ul << 31);        /* the cycle counter */
    WRITE_SYSREG(pmccfiltr_el0, 1ul << 27);         /* NSH: count at EL2 too */

    /* written RAM: two blocks in the middle of a page of 0xa5 */
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = 0xa5;
    zva_loop((uint64_t)buf + 64 + 5, 128);       /* Xt need not be aligned */
    putreg("written: zero bytes", count_zero(buf, sizeof buf));
    check_eq("written: byte 63", buf[63], 0xa5);
    check_eq("written: byte 64", buf[64], 0);
    check_eq("written: byte 191", buf[191], 0);
    check_eq("written: byte 192", buf[192], 0xa5);

    /* never written RAM: reads as zero before and after */
    zva_loop(FRESH, 4096);
    putreg("fresh: zero bytes", count_zero((const uint8_t *)FRESH, 4096));
    *(volatile uint64_t *)(FRESH + 8) = 0x5a5a;
    zva_loop(FRESH, 64);
    check_eq("fresh: written then zeroed", *(volatile uint64_t *)(FRESH + 8), 0);

    /* Device memory: Alignment fault */
    g_exc_count = 0;
    __asm__ volatile("dc zva, %0" ::"r"(UART) : "memory");
    putreg("Device: aborts", g_exc_count);
    putreg("Device: ESR_EL2", g_esr);
    putreg("Device: FAR_EL2", g_far);

    /* cleaning changes nothing; unmapped: a Data Abort with CM = 1 */
    civac_loop((uint64_t)buf, sizeof buf);
    __asm__ volatile("dc cvac, %0" ::"r"((uint64_t)buf + 200) : "memory");
    putreg("clean: zero bytes", count_zero(buf, sizeof buf));
    g_exc_count = 0;
    __asm__ volatile("dc cvac, %0" ::"r"(UNMAPPED + 0x40) : "memory");
    putreg("unmapped CVAC: ESR_EL2", g_esr);
    __asm__ volatile("dc civac, %0" ::"r"(UNMAPPED + 0x80) : "memory");
    putreg("unmapped CIVAC: ESR_EL2", g_esr);
    putreg("unmapped: aborts", g_exc_count);
    putreg("unmapped: FAR_EL2", g_far);

    /* a monitor on the block: the STXR after DC ZVA fails */
    uint64_t *w = (uint64_t *)page_w;
    *w = 7;
    uint64_t v;
    uint32_t status;
    __asm__ volatile("ldxr %0, [%2]\n dc zva, %2\n stxr %w1, %0, [%2]"
                     : "=&r"(v), "=&r"(status) : "r"(w) : "memory");
    putreg("LDXR; DC ZVA; STXR: status", status);
    putreg("LDXR; DC ZVA; STXR: value", *w);

    /* the cycles: buf's page is in the TLBs by now, FRESH + 4096 is not
     * (its first DC ZVA walks) */
    uint64_t t0 = ccnt();
    zva_loop((uint64_t)buf, sizeof buf);
    uint64_t t1 = ccnt();
    zva_loop(FRESH + 4096, 4096);
    uint64_t t2 = ccnt();
    civac_loop((uint64_t)buf, sizeof buf);
    uint64_t t3 = ccnt();
    putreg("cycles: 64 DC ZVA, written", t1 - t0);
    putreg("cycles: 64 DC ZVA, fresh", t2 - t1);
    putreg("cycles: 64 DC CIVAC", t3 - t2);
    return 0;
}
