/*
 * Exception harness for the sys guest tests (tests/guest/exc, sysreg,
 * el2traps). Include it from exactly one .c file of a test.
 *
 * - exc_install() points VBAR_EL1 (and VBAR_EL2 at EL2) at one vector
 *   table. Every vector counts the exception in exc_rec.count and, for the
 *   first one since exc_clear(), records {vector offset, CurrentEL, ESR, ELR, SPSR,
 *   FAR} of the EL that took it in `exc_rec`; it clears SPSR.IL and
 *   returns: for synchronous exceptions to ELR + 4 (skipping the faulting
 *   instruction), except SVC/HVC (EC 0x15/0x16) whose ELR already is the
 *   next instruction, and PC alignment faults (EC 0x22), which resume at
 *   x30; for IRQ/FIQ/SError to ELR with the interrupt masked in
 *   SPSR (I, F or A).
 * - run_lower(fn, spsr, sp) runs fn() at a lower EL (SPSR value spsr, SP =
 *   sp) and returns its result once fn returns: the lower EL leaves with
 *   SVC #0xffff (from EL0) or HVC #0xffff (from EL1), which the vector
 *   recognises (as it does an SMC #0xffff trapped to EL2 by HCR_EL2.TSC).
 */
#ifndef EXC_HARNESS_H
#define EXC_HARNESS_H

#include "guest.h"

struct exc_rec {
    uint64_t vec, el, esr, elr, spsr, far, count;
};
extern volatile struct exc_rec exc_rec;
extern char guest_vectors[];
uint64_t run_lower(uint64_t (*fn)(void), uint64_t spsr, uint64_t sp);

#define EC(esr) ((esr) >> 26)
#define ESR_IL (1ull << 25)

__asm__(
    "   .data\n"
    "   .balign 8\n"
    "   .global exc_rec\n"
    "exc_rec: .skip 56\n"
    "lower_frame: .skip 112\n"
    "   .text\n"
    "   .balign 2048\n"
    "   .global guest_vectors\n"
    "guest_vectors:\n"
    "   .irp idx, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "   .balign 128\n"
    "   stp x0, x1, [sp, #-32]!\n"
    "   stp x2, x3, [sp, #16]\n"
    "   mov x0, #(\\idx * 0x80)\n"
    "   b exc_common\n"
    "   .endr\n"
    "exc_common:\n"
    "   stp x4, x5, [sp, #-32]!\n"
    "   stp x6, x7, [sp, #16]\n"
    "   mrs x7, CurrentEL\n"
    "   cmp x7, #8\n"
    "   b.eq 2f\n"
    "   mrs x4, esr_el1\n   mrs x2, elr_el1\n   mrs x3, spsr_el1\n   mrs x5, far_el1\n"
    "   b 3f\n"
    "2: mrs x4, esr_el2\n   mrs x2, elr_el2\n   mrs x3, spsr_el2\n   mrs x5, far_el2\n"
    /* record the first exception since exc_clear(); count all */
    "3: ldr x1, =exc_rec\n"
    "   ldr x6, [x1, #48]\n"
    "   cbnz x6, 31f\n"
    "   stp x0, x7, [x1, #0]\n"
    "   stp x4, x2, [x1, #16]\n"
    "   stp x3, x5, [x1, #32]\n"
    "31: add x6, x6, #1\n"
    "   str x6, [x1, #48]\n"
    "   ldp x6, x7, [sp, #16]\n"
    "   ldp x4, x5, [sp], #32\n"
    /* x3 = SPSR with IL cleared; x2 = ELR */
    "   and x3, x3, #~(1 << 20)\n"
    "   and x0, x0, #0x180\n"
    "   cbz x0, 5f\n"
    /* asynchronous: mask the class that was taken (IRQ I, FIQ F, SError A) */
    "   cmp x0, #0x80\n   b.ne 4f\n   orr x3, x3, #0x80\n   b 8f\n"
    "4: cmp x0, #0x100\n  b.ne 41f\n  orr x3, x3, #0x40\n   b 8f\n"
    "41: orr x3, x3, #0x100\n  b 8f\n"
    /* synchronous */
    "5: mrs x0, CurrentEL\n"
    "   cmp x0, #8\n"
    "   b.eq 51f\n"
    "   mrs x1, esr_el1\n   b 52f\n"
    "51: mrs x1, esr_el2\n"
    "52: lsr x0, x1, #26\n"
    "   cmp x0, #0x15\n   b.eq 6f\n"
    "   cmp x0, #0x16\n   b.eq 6f\n"
    "   cmp x0, #0x17\n   b.ne 54f\n"      /* SMC #0xffff trapped: leave too */
    "   and x0, x1, #0xffff\n   mov x1, #0xffff\n   cmp x0, x1\n   b.eq 7f\n"
    "   add x2, x2, #4\n   b 8f\n"
    "54: cmp x0, #0x22\n   b.ne 53f\n"
    "   mov x2, x30\n   b 8f\n"          /* PC alignment: resume at x30 */
    "53: add x2, x2, #4\n"
    "   b 8f\n"
    "6: and x0, x1, #0xffff\n"
    "   mov x1, #0xffff\n"
    "   cmp x0, x1\n"
    "   b.ne 8f\n"
    /* return from run_lower: result = the lower EL's x0 */
    "7: ldr x0, [sp, #0]\n"
    "   ldr x9, =lower_frame\n"
    "   ldp x19, x20, [x9, #0]\n   ldp x21, x22, [x9, #16]\n"
    "   ldp x23, x24, [x9, #32]\n  ldp x25, x26, [x9, #48]\n"
    "   ldp x27, x28, [x9, #64]\n  ldp x29, x30, [x9, #80]\n"
    "   ldr x10, [x9, #96]\n"
    "   mov sp, x10\n"
    "   ret\n"
    "8: mrs x0, CurrentEL\n"
    "   cmp x0, #8\n"
    "   b.eq 9f\n"
    "   msr elr_el1, x2\n   msr spsr_el1, x3\n   b 10f\n"
    "9: msr elr_el2, x2\n   msr spsr_el2, x3\n"
    "10: ldp x2, x3, [sp, #16]\n"
    "   ldp x0, x1, [sp], #32\n"
    "   eret\n"
    "   .ltorg\n"
    /* run_lower(fn = x0, spsr = x1, sp = x2) */
    "   .global run_lower\n"
    "run_lower:\n"
    "   ldr x9, =lower_frame\n"
    "   stp x19, x20, [x9, #0]\n   stp x21, x22, [x9, #16]\n"
    "   stp x23, x24, [x9, #32]\n  stp x25, x26, [x9, #48]\n"
    "   stp x27, x28, [x9, #64]\n  stp x29, x30, [x9, #80]\n"
    "   mov x10, sp\n   str x10, [x9, #96]\n"
    "   mov x20, x0\n"
    "   ubfx x21, x1, #2, #2\n"           /* target EL: 0 -> SVC, 1 -> HVC */
    "   ldr x11, =lower_tramp\n"
    "   mrs x10, CurrentEL\n"
    "   cmp x10, #8\n"
    "   b.eq 1f\n"
    "   msr elr_el1, x11\n   msr spsr_el1, x1\n   msr sp_el0, x2\n   eret\n"
    "1: msr elr_el2, x11\n   msr spsr_el2, x1\n   msr sp_el0, x2\n   msr sp_el1, x2\n   eret\n"
    "lower_tramp:\n"
    "   blr x20\n"
    "   cbnz x21, 2f\n"
    "   svc #0xffff\n"
    "2: hvc #0xffff\n"
    "   .ltorg\n");

static inline void exc_install(void)
{
    if (current_el() == 2)
        WRITE_SYSREG(vbar_el2, (uint64_t)guest_vectors);
    WRITE_SYSREG(vbar_el1, (uint64_t)guest_vectors);
    ISB();
}

static inline void exc_clear(void)
{
    exc_rec.vec = exc_rec.el = exc_rec.esr = exc_rec.elr = exc_rec.spsr = exc_rec.far = 0;
    exc_rec.count = 0;
}

/* Stacks for lower ELs */
static uint8_t lower_stack[8192] __attribute__((aligned(16)));
#define LOWER_SP ((uint64_t)(lower_stack + sizeof lower_stack))

/* SPSR values */
#define SPSR_EL0T 0x3c0ull      /* EL0, DAIF masked */
#define SPSR_EL0T_UNMASKED 0x0ull
#define SPSR_EL1H 0x3c5ull

#endif
