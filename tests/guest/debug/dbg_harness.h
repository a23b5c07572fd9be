/*
 * Harness for the self-hosted debug guest tests (tests/guest/debug).
 * Include it from exactly one .c file of a test.
 *
 * - dbg_install() points VBAR_EL1 (and VBAR_EL2 at EL2) at one vector table
 *   whose every entry saves x0-x30 on SP_ELx and calls dbg_handle(), which
 *   logs {vector offset, CurrentEL, ESR, ELR, SPSR, FAR} of the taking EL in
 *   dbg_log[]. Then:
 *     - SVC/HVC (EC 0x15/0x16) end the run: dbg_run() returns the x0 of the
 *       code that made the call (MDSCR_EL1.SS is cleared first);
 *     - any other exception returns with ERET after applying
 *       dbg_plan[index]: DBG_SS sets SPSR.SS (else it is cleared), DBG_SKIP
 *       adds 4 to ELR (skips the instruction that took a breakpoint or
 *       watchpoint).
 *   After DBG_MAX exceptions the run ends (a broken emulator cannot loop).
 * - dbg_run(pc, spsr, sp, x0) ERETs to pc with SPSR spsr (SP_EL0 and, at
 *   EL2, SP_EL1 = sp; x0 passed) from the current EL.
 */
#ifndef DBG_HARNESS_H
#define DBG_HARNESS_H

#include "guest.h"

#define DBG_MAX 16
#define DBG_SS 1u
#define DBG_SKIP 2u

struct dbg_entry {
    uint64_t vec, el, esr, elr, spsr, far;
};
struct dbg_entry dbg_log[DBG_MAX];
volatile unsigned dbg_n;
uint8_t dbg_plan[DBG_MAX];
extern char dbg_vectors[];
uint64_t dbg_run(uint64_t pc, uint64_t spsr, uint64_t sp, uint64_t x0);

#define EC(esr) ((esr) >> 26)
#define ESR_IL (1ull << 25)
#define SPSR_SS (1ull << 21)
#define SPSR_D (1ull << 9)
#define SPSR_EL0T 0x0ull            /* EL0, DAIF clear */
#define SPSR_EL1H 0x5ull            /* EL1h, DAIF clear */
#define SPSR_EL2H 0x9ull

/* MDSCR_EL1 */
#define MDSCR_SS (1ull << 0)
#define MDSCR_KDE (1ull << 13)
#define MDSCR_MDE (1ull << 15)
/* DBGBCR<n>_EL1: E, PMC[2:1], BAS[8:5], HMC[13], LBN[19:16], BT[23:20] */
#define BCR_E 1ull
#define BCR_PMC(x) ((uint64_t)(x) << 1)
#define BCR_BAS_A64 (0xfull << 5)
#define BCR_HMC (1ull << 13)
#define BCR_LBN(x) ((uint64_t)(x) << 16)
#define BCR_BT(x) ((uint64_t)(x) << 20)
/* DBGWCR<n>_EL1: E, PAC[2:1], LSC[4:3], BAS[12:5], HMC[13], MASK[28:24] */
#define WCR_E 1ull
#define WCR_PAC(x) ((uint64_t)(x) << 1)
#define WCR_LSC(x) ((uint64_t)(x) << 3)
#define WCR_BAS(x) ((uint64_t)(x) << 5)
#define WCR_HMC (1ull << 13)
#define WCR_MASK(x) ((uint64_t)(x) << 24)
#define LSC_LOAD 1
#define LSC_STORE 2
#define ISS_DBG 0x22ull             /* IFSC/DFSC: debug exception */

static uint8_t dbg_stack[8192] __attribute__((aligned(16)));
#define DBG_SP ((uint64_t)(dbg_stack + sizeof dbg_stack))

uint64_t dbg_handle(uint64_t *frame, uint64_t vec);
uint64_t dbg_handle(uint64_t *frame, uint64_t vec)
{
    (void)frame;
    unsigned el = current_el();
    uint64_t esr, elr, spsr, far;
    if (el == 2) {
        esr = READ_SYSREG(esr_el2); elr = READ_SYSREG(elr_el2);
        spsr = READ_SYSREG(spsr_el2); far = READ_SYSREG(far_el2);
    } else {
        esr = READ_SYSREG(esr_el1); elr = READ_SYSREG(elr_el1);
        spsr = READ_SYSREG(spsr_el1); far = READ_SYSREG(far_el1);
    }
    unsigned n = dbg_n;
    struct dbg_entry *e = &dbg_log[n < DBG_MAX ? n : DBG_MAX - 1];
    e->vec = vec; e->el = el; e->esr = esr; e->elr = elr; e->spsr = spsr; e->far = far;
    dbg_n = n + 1;
    uint64_t ec = EC(esr);
    if (ec == 0x15 || ec == 0x16 || n + 1 >= DBG_MAX) {
        WRITE_SYSREG(mdscr_el1, READ_SYSREG(mdscr_el1) & ~MDSCR_SS);
        ISB();
        return 1;
    }
    unsigned act = dbg_plan[n];
    spsr = (spsr & ~SPSR_SS) | ((act & DBG_SS) ? SPSR_SS : 0);
    elr += (act & DBG_SKIP) ? 4 : 0;
    if (el == 2) {
        WRITE_SYSREG(elr_el2, elr); WRITE_SYSREG(spsr_el2, spsr);
    } else {
        WRITE_SYSREG(elr_el1, elr); WRITE_SYSREG(spsr_el1, spsr);
    }
    return 0;
}

__asm__(
    "   .data\n"
    "   .balign 8\n"
    "dbg_saved: .skip 112\n"
    "   .text\n"
    "   .balign 2048\n"
    "   .global dbg_vectors\n"
    "dbg_vectors:\n"
    "   .irp idx, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "   .balign 128\n"
    "   sub sp, sp, #256\n"
    "   stp x0, x1, [sp, #0]\n"
    "   mov x1, #(\\idx * 0x80)\n"
    "   b dbg_common\n"
    "   .endr\n"
    "dbg_common:\n"
    "   stp x2, x3, [sp, #16]\n   stp x4, x5, [sp, #32]\n   stp x6, x7, [sp, #48]\n"
    "   stp x8, x9, [sp, #64]\n   stp x10, x11, [sp, #80]\n stp x12, x13, [sp, #96]\n"
    "   stp x14, x15, [sp, #112]\n stp x16, x17, [sp, #128]\n stp x18, x19, [sp, #144]\n"
    "   stp x20, x21, [sp, #160]\n stp x22, x23, [sp, #176]\n stp x24, x25, [sp, #192]\n"
    "   stp x26, x27, [sp, #208]\n stp x28, x29, [sp, #224]\n str x30, [sp, #240]\n"
    "   mov x0, sp\n"
    "   bl dbg_handle\n"
    "   cbnz x0, 1f\n"
    "   ldp x2, x3, [sp, #16]\n   ldp x4, x5, [sp, #32]\n   ldp x6, x7, [sp, #48]\n"
    "   ldp x8, x9, [sp, #64]\n   ldp x10, x11, [sp, #80]\n ldp x12, x13, [sp, #96]\n"
    "   ldp x14, x15, [sp, #112]\n ldp x16, x17, [sp, #128]\n ldp x18, x19, [sp, #144]\n"
    "   ldp x20, x21, [sp, #160]\n ldp x22, x23, [sp, #176]\n ldp x24, x25, [sp, #192]\n"
    "   ldp x26, x27, [sp, #208]\n ldp x28, x29, [sp, #224]\n ldr x30, [sp, #240]\n"
    "   ldp x0, x1, [sp, #0]\n"
    "   add sp, sp, #256\n"
    "   eret\n"
    "1: ldr x0, [sp, #0]\n"
    "   ldr x9, =dbg_saved\n"
    "   ldp x19, x20, [x9, #0]\n   ldp x21, x22, [x9, #16]\n"
    "   ldp x23, x24, [x9, #32]\n  ldp x25, x26, [x9, #48]\n"
    "   ldp x27, x28, [x9, #64]\n  ldp x29, x30, [x9, #80]\n"
    "   ldr x10, [x9, #96]\n"
    "   mov sp, x10\n"
    "   ret\n"
    "   .ltorg\n"
    "   .global dbg_run\n"
    "dbg_run:\n"
    "   ldr x9, =dbg_saved\n"
    "   stp x19, x20, [x9, #0]\n   stp x21, x22, [x9, #16]\n"
    "   stp x23, x24, [x9, #32]\n  stp x25, x26, [x9, #48]\n"
    "   stp x27, x28, [x9, #64]\n  stp x29, x30, [x9, #80]\n"
    "   mov x10, sp\n   str x10, [x9, #96]\n"
    "   mrs x10, CurrentEL\n"
    "   cmp x10, #8\n"
    "   b.eq 2f\n"
    "   msr elr_el1, x0\n   msr spsr_el1, x1\n   msr sp_el0, x2\n   mov x0, x3\n   eret\n"
    "2: msr elr_el2, x0\n   msr spsr_el2, x1\n   msr sp_el0, x2\n   msr sp_el1, x2\n"
    "   mov x0, x3\n   eret\n"
    "   .ltorg\n");

static inline void dbg_install(void)
{
    if (current_el() == 2)
        WRITE_SYSREG(vbar_el2, (uint64_t)dbg_vectors);
    WRITE_SYSREG(vbar_el1, (uint64_t)dbg_vectors);
    WRITE_SYSREG(oslar_el1, 0);      /* OSLK is set at reset: unlock */
    ISB();
}

static inline void dbg_clear(void)
{
    dbg_n = 0;
    for (unsigned i = 0; i < DBG_MAX; i++) {
        dbg_plan[i] = 0;
        dbg_log[i] = (struct dbg_entry){ 0 };
    }
}

#endif
