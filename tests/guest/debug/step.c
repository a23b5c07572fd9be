/*
 * Software step (entered at EL1, no EL2): an EL1 debugger (KDE = 0) steps
 * EL0 code. Arm ARM D2.12: PSTATE.SS from SPSR_EL1.SS on ERET when step is
 * disabled at the source and enabled at the destination (active-not-
 * pending), SSAdvance() after each instruction (active-pending), the
 * Software Step exception EC 0x32 with ISS.ISV = 1 and EX = 1 after a
 * load-exclusive, ISV = 0 when entered active-pending by an ERET with
 * SPSR.SS = 0, SPSR.SS = 0 and ELR = the next instruction; a stepped SVC
 * completes (SPSR_EL1.SS = 0, ELR = after the SVC); a stepped instruction
 * that faults leaves SPSR.SS = 1; MDSCR_EL1.SS = 0 ignores SPSR.SS.
 */
#include "dbg_harness.h"

static volatile uint64_t word __attribute__((aligned(16)));

extern char s_code[], s_fault[];
__asm__(".text\n"
        "s_fault: ldr x1, [x0]\n"
        "   mov x0, #5\n"
        "   svc #0\n"
        "s_code: mov x0, #1\n"
        "   ldxr x1, [x2]\n"
        "   add x0, x0, #1\n"
        "   svc #0\n");

#define SS_ESR(isv, ex) ((0x32ull << 26) | ESR_IL | ((uint64_t)(isv) << 24) | \
                         ((uint64_t)(ex) << 6) | ISS_DBG)

int main(void)
{
    check_eq("CurrentEL", current_el(), 1);
    dbg_install();
    uint64_t s = (uint64_t)s_code;

    /* Step enabled, KDE = 0: EL1 itself is never stepped. */
    WRITE_SYSREG(mdscr_el1, MDSCR_SS);
    ISB();
    dbg_clear();
    dbg_plan[0] = DBG_SS;      /* after mov: continue stepping */
    dbg_plan[1] = 0;           /* after ldxr: ERET with SPSR.SS = 0 */
    dbg_plan[2] = DBG_SS;      /* immediate step exception, ISV = 0 */
    dbg_plan[3] = DBG_SS;      /* after add */
    /* dbg_run's third argument (x2, the EL0 stack pointer) is also the
     * address s_code's LDXR reads: `word`. */
    uint64_t r;
    {
        register uint64_t a0 __asm__("x0") = s;
        register uint64_t a1 __asm__("x1") = SPSR_EL0T | SPSR_SS;
        register uint64_t a2 __asm__("x2") = (uint64_t)&word;
        __asm__ volatile("mov x3, #0\n"
                         "bl dbg_run\n"
                         : "+r"(a0), "+r"(a1), "+r"(a2)
                         :
                         : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                           "x13", "x14", "x15", "x16", "x17", "x18", "x30", "memory", "cc");
        r = a0;
    }
    check_eq("n", dbg_n, 5);
    check_eq("0 esr", dbg_log[0].esr, SS_ESR(1, 0));
    check_eq("0 elr", dbg_log[0].elr, s + 4);
    check_eq("0 vec", dbg_log[0].vec, 0x400);
    check_eq("0 spsr.ss", dbg_log[0].spsr & SPSR_SS, 0);
    check_eq("1 esr", dbg_log[1].esr, SS_ESR(1, 1));
    check_eq("1 elr", dbg_log[1].elr, s + 8);
    check_eq("2 esr", dbg_log[2].esr, SS_ESR(0, 0));
    check_eq("2 elr", dbg_log[2].elr, s + 8);
    check_eq("3 esr", dbg_log[3].esr, SS_ESR(1, 0));
    check_eq("3 elr", dbg_log[3].elr, s + 12);
    check_eq("4 svc esr", dbg_log[4].esr, (0x15ull << 26) | ESR_IL);
    check_eq("4 svc elr", dbg_log[4].elr, s + 16);
    check_eq("4 svc spsr.ss", dbg_log[4].spsr & SPSR_SS, 0);
    check_eq("x0", r, 2);

    /* SPSR.SS = 0 on the first ERET: step exception before any instruction */
    WRITE_SYSREG(mdscr_el1, MDSCR_SS);
    ISB();
    dbg_clear();
    dbg_plan[0] = 0;
    {
        register uint64_t a0 __asm__("x0") = s;
        register uint64_t a1 __asm__("x1") = SPSR_EL0T;
        register uint64_t a2 __asm__("x2") = (uint64_t)&word;
        __asm__ volatile("mov x3, #0\n"
                         "bl dbg_run\n"
                         : "+r"(a0), "+r"(a1), "+r"(a2)
                         :
                         : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                           "x13", "x14", "x15", "x16", "x17", "x18", "x30", "memory", "cc");
    }
    check_eq("ss0 n", dbg_n, DBG_MAX);
    check_eq("ss0 esr", dbg_log[0].esr, SS_ESR(0, 0));
    check_eq("ss0 elr", dbg_log[0].elr, s);

    /* MDSCR_EL1.SS = 0: SPSR.SS is ignored, nothing is stepped */
    WRITE_SYSREG(mdscr_el1, 0);
    ISB();
    dbg_clear();
    {
        register uint64_t a0 __asm__("x0") = s;
        register uint64_t a1 __asm__("x1") = SPSR_EL0T | SPSR_SS;
        register uint64_t a2 __asm__("x2") = (uint64_t)&word;
        __asm__ volatile("mov x3, #0\n"
                         "bl dbg_run\n"
                         : "+r"(a0), "+r"(a1), "+r"(a2)
                         :
                         : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                           "x13", "x14", "x15", "x16", "x17", "x18", "x30", "memory", "cc");
        r = a0;
    }
    check_eq("off n", dbg_n, 1);
    check_eq("off svc spsr.ss", dbg_log[0].spsr & SPSR_SS, 0);
    check_eq("off x0", r, 2);

    /* A stepped instruction that faults does not complete: the Data Abort
     * (alignment: MMU off, Device memory) saves SPSR.SS = 1, so after the
     * return the next instruction is still stepped (ISV = 1). */
    WRITE_SYSREG(mdscr_el1, MDSCR_SS);
    ISB();
    dbg_clear();
    dbg_plan[0] = DBG_SS | DBG_SKIP;
    dbg_plan[1] = DBG_SS;
    r = dbg_run((uint64_t)s_fault, SPSR_EL0T | SPSR_SS, DBG_SP, (uint64_t)&word + 1);
    check_eq("fault n", dbg_n, 3);
    check_eq("fault ec", EC(dbg_log[0].esr), 0x24);
    check_eq("fault elr", dbg_log[0].elr, (uint64_t)s_fault);
    check_eq("fault spsr.ss", dbg_log[0].spsr & SPSR_SS, SPSR_SS);
    check_eq("fault step esr", dbg_log[1].esr, SS_ESR(1, 0));
    check_eq("fault step elr", dbg_log[1].elr, (uint64_t)s_fault + 8);
    check_eq("fault svc ec", EC(dbg_log[2].esr), 0x15);
    check_eq("fault x0", r, 5);

    puts_("step: done\n");
    return 0;
}
