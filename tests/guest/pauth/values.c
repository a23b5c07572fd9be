/*
 * PAuth values at EL1 (no EL2, MMU off): AddPAC / Auth / Strip / PACGA
 * results for fixed keys, pointers and modifiers, printed one per line.
 * The expectation file is cross-checked against qemu-system-aarch64
 * -cpu max (QEMU 7.2: FEAT_PAuth with the architected QARMA5, no PAuth2/
 * FPAC), see tests/guest/pauth/qemu_check.sh and docs/pauth.md; the only
 * difference is XPAC* with every key disabled (QEMU does not strip). Covers: all
 * four pointer keys, the Z and SP forms, the HINT forms in a function
 * prologue/epilogue (PACIASP/AUTIASP), TxSZ 16/25 and TBI0, the upper VA
 * range, a non-canonical input (AddPAC flips PAC<62>), failed Auth error
 * codes (Arm ARM Auth: key A 01, key B 10 at <62:61> or <54:53>), XPAC*,
 * EnIA = 0 making the hints NOPs, and a failed LDRAA faulting on use with
 * the MMU off (address size fault) and on (translation fault).
 */
#include "../exc/exc_harness.h"

#define A83 ".arch armv8.3-a\n"

#define PAC2(name)                                                                  \
    static uint64_t name(uint64_t p, uint64_t m)                                   \
    {                                                                               \
        __asm__ volatile(A83 #name " %0, %1" : "+r"(p) : "r"(m));                  \
        return p;                                                                   \
    }
PAC2(pacia) PAC2(pacib) PAC2(pacda) PAC2(pacdb)
PAC2(autia) PAC2(autib) PAC2(autda) PAC2(autdb)

#define PAC1(name)                                                                  \
    static uint64_t name(uint64_t p)                                               \
    {                                                                               \
        __asm__ volatile(A83 #name " %0" : "+r"(p));                               \
        return p;                                                                   \
    }
PAC1(paciza) PAC1(pacdzb) PAC1(autiza) PAC1(autdzb) PAC1(xpaci) PAC1(xpacd)

static uint64_t pacga(uint64_t n, uint64_t m)
{
    uint64_t d;
    __asm__ volatile(A83 "pacga %0, %1, %2" : "=r"(d) : "r"(n), "r"(m));
    return d;
}

/* Prologue/epilogue with the SP-based hints; returns the signed LR seen
 * inside, and (second function) the LR after AUTIASP of a corrupted value. */
extern uint64_t signed_lr(void);
extern uint64_t corrupt_lr(void);
extern uint64_t nop_hint_delta(void);
extern uint64_t lr_with_1716(uint64_t x17, uint64_t x16);
__asm__(".text\n" A83
        ".global signed_lr\nsigned_lr:\n"
        "   paciasp\n   stp x29, x30, [sp, #-16]!\n   mov x0, x30\n"
        "   ldp x29, x30, [sp], #16\n   autiasp\n   ret\n"
        ".global corrupt_lr\ncorrupt_lr:\n"
        "   mov x9, x30\n   pacibsp\n   eor x30, x30, #(1 << 50)\n   autibsp\n"
        "   mov x0, x30\n   mov x30, x9\n   ret\n"
        ".global nop_hint_delta\nnop_hint_delta:\n"
        "   mov x9, x30\n   paciasp\n   pacibz\n   sub x0, x30, x9\n   mov x30, x9\n   ret\n"
        ".global lr_with_1716\nlr_with_1716:\n"
        "   mov x17, x0\n   mov x16, x1\n   pacib1716\n   mov x0, x17\n   autib1716\n"
        "   sub x1, x17, x0\n   eor x0, x0, x1\n   ret\n");

static uint64_t ldraa(uint64_t p)
{
    uint64_t v = 0x5555;
    __asm__ volatile(A83 "ldraa %0, [%1, #8]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

#define SCTLR_EnIA (1ull << 31)
#define SCTLR_EnIB (1ull << 30)
#define SCTLR_EnDA (1ull << 27)
#define SCTLR_EnDB (1ull << 13)
#define TCR_TBI0 (1ull << 37)

static void set_keys(void)
{
    WRITE_SYSREG(s3_0_c2_c1_0, 0xfedcba9876543210ull);   /* APIAKeyLo_EL1 */
    WRITE_SYSREG(s3_0_c2_c1_1, 0x0123456789abcdefull);   /* APIAKeyHi_EL1 */
    WRITE_SYSREG(s3_0_c2_c1_2, 0x5555666677778888ull);   /* APIBKeyLo_EL1 */
    WRITE_SYSREG(s3_0_c2_c1_3, 0x1111222233334444ull);   /* APIBKeyHi_EL1 */
    WRITE_SYSREG(s3_0_c2_c2_0, 0xec2802d4e0a488e9ull);   /* APDAKeyLo_EL1 */
    WRITE_SYSREG(s3_0_c2_c2_1, 0x84be85ce9804e94bull);   /* APDAKeyHi_EL1 */
    WRITE_SYSREG(s3_0_c2_c2_2, 0x0706050403020100ull);   /* APDBKeyLo_EL1 */
    WRITE_SYSREG(s3_0_c2_c2_3, 0x0f0e0d0c0b0a0908ull);   /* APDBKeyHi_EL1 */
    WRITE_SYSREG(s3_0_c2_c3_0, 0x3c3c3c3cc3c3c3c3ull);   /* APGAKeyLo_EL1 */
    WRITE_SYSREG(s3_0_c2_c3_1, 0xa5a5a5a55a5a5a5aull);   /* APGAKeyHi_EL1 */
    ISB();
}

static void set_ctl(uint64_t en, uint64_t tcr)
{
    uint64_t s = READ_SYSREG(sctlr_el1) & ~(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB);
    WRITE_SYSREG(sctlr_el1, s | en);
    WRITE_SYSREG(tcr_el1, tcr);
    ISB();
}

static const uint64_t ptrs[] = { 0x0000000040081234ull, 0x0000ffffffff0000ull, 0,
                                 0x00007fffdeadbee0ull };
static const uint64_t mods[] = { 0, 0xdeadbeefull, 0x40ffff00ull, 0xffffffffffffffffull };

int main(void)
{
    exc_install();
    set_keys();
    puts_("ID_AA64ISAR1 APA/GPA: ");
    putdec((READ_SYSREG(id_aa64isar1_el1) >> 4) & 0xf);
    putc_(' ');
    putdec((READ_SYSREG(id_aa64isar1_el1) >> 24) & 0xf);
    putc_('\n');

    set_ctl(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB, 16 | (16ull << 16));
    for (unsigned i = 0; i < 4; i++) {
        for (unsigned j = 0; j < 4; j++) {
            uint64_t p = ptrs[i], m = mods[j];
            uint64_t a = pacia(p, m), b = pacib(p, m), c = pacda(p, m), d = pacdb(p, m);
            putreg("pacia", a);
            putreg("pacib", b);
            putreg("pacda", c);
            putreg("pacdb", d);
            check_eq("autia", autia(a, m), p);
            check_eq("autib", autib(b, m), p);
            check_eq("autda", autda(c, m), p);
            check_eq("autdb", autdb(d, m), p);
            check_eq("xpaci", xpaci(a), p);
            check_eq("xpacd", xpacd(d), p);
            putreg("autia bad", autia(a, m ^ 1));
            putreg("autdb bad", autdb(d, m + 16));
            putreg("pacga", pacga(p, m));
        }
    }
    putreg("paciza", paciza(0x40001000));
    putreg("pacdzb", pacdzb(0x40001000));
    check_eq("autiza", autiza(paciza(0x40001000)), 0x40001000);
    check_eq("autdzb", autdzb(pacdzb(0x40001000)), 0x40001000);

    /* upper range (bit 55 = 1), T1SZ = 16 */
    putreg("pacia upper", pacia(0xffff000012345678ull, 7));
    check_eq("autia upper", autia(pacia(0xffff000012345678ull, 7), 7), 0xffff000012345678ull);
    putreg("autia upper bad", autia(pacia(0xffff000012345678ull, 7), 8));
    /* non-canonical input: bit 48 set with T0SZ = 16 */
    putreg("pacia noncanon", pacia(0x0001000040081234ull, 5));
    putreg("autia noncanon", autia(pacia(0x0001000040081234ull, 5), 5));

    /* T0SZ = 25 (bottom PAC bit 39), and TBI0 for data keys */
    set_ctl(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB, 25 | (16ull << 16));
    putreg("pacia t0sz25", pacia(0x40081234, 99));
    putreg("autib t0sz25 bad", autib(pacib(0x40081234, 99), 98));
    set_ctl(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB, 25 | (16ull << 16) | TCR_TBI0);
    putreg("pacda tbi", pacda(0x5a00000040081234ull, 3));
    putreg("pacia tbi", pacia(0x0000000040081234ull, 3));
    check_eq("autda tbi", autda(pacda(0x5a00000040081234ull, 3), 3), 0x5a00000040081234ull);
    putreg("autda tbi bad", autda(pacda(0x5a00000040081234ull, 3), 4));
    putreg("autdb tbi bad", autdb(pacdb(0x5a00000040081234ull, 3), 4));
    putreg("xpacd tbi", xpacd(0xa57fff8040081234ull));
    putreg("xpaci tbi", xpaci(0xa57fff8040081234ull));

    /* TBI1 = 1, TBI0 = 0 (the pseudocode's "awkward case"): selbit is
     * bit 55 for data keys; instruction keys with TBID1 use bit 63. */
    set_ctl(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB,
            20 | (24ull << 16) | (1ull << 38));
    putreg("pacda tbi1 lo-tag", pacda(0x0080000000001000ull, 9));
    putreg("pacda tbi1 hi", pacda(0x12ffff0000001000ull, 9));
    putreg("pacia tbi1 hi", pacia(0xffffff0000001000ull, 9));
    putreg("autda tbi1 hi bad", autda(pacda(0x12ffff0000001000ull, 9), 8));
    set_ctl(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB,
            20 | (24ull << 16) | (1ull << 38) | (1ull << 52));
    putreg("pacia tbi1+tbid1", pacia(0xffffff0000001000ull, 9));
    putreg("pacda tbi1+tbid1", pacda(0x12ffff0000001000ull, 9));
    putreg("xpaci tbi1+tbid1", xpaci(0x12ffff0000001000ull));

    /* The SP-based hints in a prologue/epilogue, 1716 forms, and EnIA = 0 */
    set_ctl(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB, 16 | (16ull << 16));
    putreg("signed lr", signed_lr());
    putreg("corrupt lr", corrupt_lr());
    putreg("1716 (pac xor bad)", lr_with_1716(0x40081000, 0x1234));
    putreg("hint delta (enabled)", nop_hint_delta() != 0);
    set_ctl(0, 16 | (16ull << 16));
    putreg("hint delta (EnIA=EnIB=0)", nop_hint_delta());
    check_eq("pacia disabled", pacia(0x40081234, 1), 0x40081234);
    /* Strip has no enable: XPAC* strip with every key disabled (QEMU
     * differs here; qemu_check.sh skips these lines) */
    putreg("xpaci (keys off)", xpaci(0x3fd4737d3ae4790dull));
    putreg("xpacd (keys off)", xpacd(0x80ff000000001234ull));

    /* LDRAA with a pointer signed by the other key: the Auth error code
     * makes the address non-canonical; the load takes a data abort. */
    set_ctl(SCTLR_EnDA | SCTLR_EnDB, 16 | (16ull << 16));
    static uint64_t buf[4] = { 1, 2, 3, 4 };
    uint64_t good = pacda((uint64_t)buf, 0);
    check_eq("ldraa ok", ldraa(good), 2);
    exc_clear();
    (void)ldraa(pacdb((uint64_t)buf, 0));
    putreg("ldraa bad ESR", exc_rec.esr);
    check_eq("ldraa bad FAR", exc_rec.far, ((uint64_t)buf | (1ull << 61)) + 8);

    /* The same with the stage 1 MMU on (identity map, 39-bit VAs, level 1
     * blocks): the error-coded address is outside the TTBR0 range, so the
     * load takes a Translation fault (Arm ARM D8: fault on use). */
    static uint64_t l1[512] __attribute__((aligned(4096)));
    l1[0] = 0x00000000ull | (1ull << 10) | (1ull << 2) | 1;             /* Device (Attr1) */
    l1[1] = 0x40000000ull | (1ull << 10) | (3ull << 8) | (0ull << 2) | 1; /* Normal (Attr0) */
    __asm__ volatile("dsb sy" ::: "memory");
    WRITE_SYSREG(mair_el1, 0x04ffull);
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    /* T0SZ = 25, IRGN0/ORGN0 = WB, SH0 = inner, TG0 = 4K, EPD1, IPS = 40 bits */
    WRITE_SYSREG(tcr_el1, 25 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) |
                              (2ull << 32));
    __asm__ volatile("tlbi vmalle1\n dsb sy\n isb" ::: "memory");
    uint64_t sctlr = READ_SYSREG(sctlr_el1);
    WRITE_SYSREG(sctlr_el1, sctlr | 1 | SCTLR_EnDA | SCTLR_EnDB);
    ISB();
    good = pacda((uint64_t)buf, 0);
    putreg("pacda mmu on", good);
    check_eq("ldraa mmu on", ldraa(good), 2);
    exc_clear();
    (void)ldraa(pacdb((uint64_t)buf, 0));
    putreg("ldraa bad ESR (mmu on)", exc_rec.esr);
    putreg("ldraa bad FAR (mmu on)", exc_rec.far);
    WRITE_SYSREG(sctlr_el1, sctlr);
    ISB();
    puts_("pauth values: done\n");
    return guest_failures;
}
