/*
 * Loads/stores seen from a guest with its own exception vectors:
 *  - an unaligned LDXR takes an alignment fault (EC 0x25, DFSC 0b100001,
 *    FAR = the address; Arm ARM B2.5.2 and D17.2.37);
 *  - an exception return clears the local monitor, so STXR after an SVC
 *    fails (Arm ARM B2.9.x, AArch64.ExceptionReturn: ClearExclusiveLocal);
 *    without the SVC it succeeds;
 *  - CASP with an odd register is UNDEFINED (EC 0x00);
 *  - an LDP whose second element is outside RAM takes a synchronous
 *    external abort (DFSC 0b010000) and writes neither register.
 */
#include "guest.h"

struct trap { uint64_t esr, far, count; };
volatile struct trap last_trap;

/* Vector table: only "current EL with SP_ELx, synchronous" (offset 0x200)
 * is used. The handler records ESR_EL1/FAR_EL1, skips the faulting
 * instruction (SVC already returns past itself) and returns. It uses only
 * x9 and x10, which the test's asm statements declare clobbered. */
__asm__(".section .text.vectors, \"ax\"\n"
        ".balign 2048\n"
        ".global vectors\n"
        "vectors:\n"
        ".org vectors + 0x200\n"
        "    adr x10, last_trap\n"
        "    mrs x9, esr_el1\n"
        "    str x9, [x10]\n"
        "    mrs x9, far_el1\n"
        "    str x9, [x10, #8]\n"
        "    ldr x9, [x10, #16]\n"
        "    add x9, x9, #1\n"
        "    str x9, [x10, #16]\n"
        "    mrs x9, esr_el1\n"
        "    lsr x9, x9, #26\n"
        "    cmp x9, #0x15\n"              /* EC_SVC64: ELR is already the next insn */
        "    b.eq 1f\n"
        "    mrs x9, elr_el1\n"
        "    add x9, x9, #4\n"
        "    msr elr_el1, x9\n"
        "1:  eret\n"
        ".org vectors + 0x800\n"
        ".text\n");
extern char vectors[];

static volatile uint64_t buf[4] __attribute__((aligned(16)));

int main(void)
{
    WRITE_SYSREG(vbar_el1, (uint64_t)vectors);
    ISB();

    /* 1. unaligned LDXR */
    uint64_t v = 0x1234, addr = (uint64_t)&buf[0] + 4;
    __asm__ volatile("ldxr %0, [%1]" : "+r"(v) : "r"(addr) : "x9", "x10", "memory");
    check_eq("ldxr esr", last_trap.esr, 0x96000021u);
    check_eq("ldxr far", last_trap.far, addr);
    check_eq("ldxr rt unchanged", v, 0x1234);

    /* 2. STXR after an exception return fails; without one it succeeds */
    uint64_t status = 7, tmp;
    buf[1] = 5;
    __asm__ volatile("ldxr %0, [%2]\n\t"
                     "svc #0\n\t"
                     "stxr %w1, %0, [%2]"
                     : "=&r"(tmp), "=&r"(status) : "r"(&buf[1]) : "x9", "x10", "memory");
    check_eq("svc esr", last_trap.esr, 0x56000000u);
    check_eq("stxr after eret", status, 1);
    __asm__ volatile("ldxr %0, [%2]\n\t"
                     "add %0, %0, #1\n\t"
                     "stxr %w1, %0, [%2]"
                     : "=&r"(tmp), "=&r"(status) : "r"(&buf[1]) : "memory");
    check_eq("stxr", status, 0);
    check_eq("stxr value", buf[1], 6);

    /* 3. CASP w1, w2, w2, w3, [x4]: Rs odd -> UNDEFINED */
    uint64_t before = last_trap.count;
    __asm__ volatile("mov x4, %0\n\t"
                     ".inst 0x08217c82"
                     :: "r"(&buf[2]) : "x4", "x9", "x10", "memory");
    check_eq("casp odd esr", last_trap.esr, 0x02000000u);
    check_eq("casp odd trapped", last_trap.count, before + 1);

    /* 4. LDP across the end of RAM (128 MiB at 0x40000000) */
    uint64_t a = 0x1111, b = 0x2222, end = 0x40000000ull + (128ull << 20);
    __asm__ volatile("ldp %0, %1, [%2]" : "+r"(a), "+r"(b) : "r"(end - 8) : "x9", "x10", "memory");
    check_eq("ldp esr", last_trap.esr, 0x96000010u);
    check_eq("ldp far", last_trap.far, end);
    check_eq("ldp rt", a, 0x1111);
    check_eq("ldp rt2", b, 0x2222);

    puts_(guest_failures ? "excl_exc: FAILED\n" : "excl_exc: ok\n");
    return guest_failures;
}
