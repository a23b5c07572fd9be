/*
 * Shared pieces of the MMU guest tests: exception vectors for EL1 and EL2
 * that record a synchronous exception taken at the current EL and skip the
 * faulting instruction, an EL2 "hypervisor" entry for exceptions from EL1
 * (full register frame, C handler), run_el1() to enter an EL1 function and
 * come back on HVC, and descriptor constants (Arm ARM D8.3).
 */
#ifndef MMU_GUEST_H
#define MMU_GUEST_H

#include <stdbool.h>

#include "guest.h"

/* Stage-1 descriptors */
#define D_TABLE   3ull
#define D_BLOCK   1ull
#define D_PAGE    3ull
#define D_AF      (1ull << 10)
#define D_SH_IS   (3ull << 8)
#define D_AP_EL0  (1ull << 6)     /* AP[1]: EL0 access */
#define D_AP_RO   (2ull << 6)     /* AP[2]: read-only */
#define D_IDX(n)  ((uint64_t)(n) << 2)
#define D_PXN     (1ull << 53)
#define D_UXN     (1ull << 54)
#define NORMAL    (D_AF | D_SH_IS | D_IDX(0))
#define DEVICE    (D_AF | D_IDX(1) | D_PXN | D_UXN)
/* Stage-2 descriptors */
#define S2_RW     (3ull << 6)
#define S2_NORMAL (D_AF | D_SH_IS | (0xfull << 2))

#define MAIR_VAL  0x04ffull          /* Attr0 Normal WB, Attr1 Device-nGnRE */

volatile uint64_t g_esr, g_far, g_hpfar, g_elr, g_exc_count;

#define DSB() __asm__ volatile("dsb ish" ::: "memory")

/* The vector tables. Synchronous exceptions from the current EL with
 * SP_ELx record ESR/FAR (and HPFAR at EL2), count, and return to the next
 * instruction; from a lower EL at EL2 they go to el2_lower_sync(); anything
 * else ends the test with status 99. */
__asm__(
    ".macro vec_unexpected\n"
    "    .balign 0x80\n"
    "    mov x0, #99\n"
    "    b guest_exit\n"
    ".endm\n"
    ".macro vec_record el\n"
    "    .balign 0x80\n"
    "    stp x0, x1, [sp, #-16]!\n"
    "    mrs x0, esr_\\el\n"
    "    adrp x1, g_esr\n"
    "    str x0, [x1, :lo12:g_esr]\n"
    "    mrs x0, far_\\el\n"
    "    adrp x1, g_far\n"
    "    str x0, [x1, :lo12:g_far]\n"
    "    mrs x0, elr_\\el\n"
    "    adrp x1, g_elr\n"
    "    str x0, [x1, :lo12:g_elr]\n"
    "    add x0, x0, #4\n"
    "    msr elr_\\el, x0\n"
    "    adrp x1, g_exc_count\n"
    "    ldr x0, [x1, :lo12:g_exc_count]\n"
    "    add x0, x0, #1\n"
    "    str x0, [x1, :lo12:g_exc_count]\n"
    "    ldp x0, x1, [sp], #16\n"
    "    eret\n"
    ".endm\n"
    "    .section .text.vectors, \"ax\"\n"
    "    .balign 2048\n"
    "    .global vectors_el1\n"
    "vectors_el1:\n"
    "    vec_unexpected\n vec_unexpected\n vec_unexpected\n vec_unexpected\n"
    "    vec_record el1\n vec_unexpected\n vec_unexpected\n vec_unexpected\n"
    "    vec_unexpected\n vec_unexpected\n vec_unexpected\n vec_unexpected\n"
    "    vec_unexpected\n vec_unexpected\n vec_unexpected\n vec_unexpected\n"
    "    .balign 2048\n"
    "    .global vectors_el2\n"
    "vectors_el2:\n"
    "    vec_unexpected\n vec_unexpected\n vec_unexpected\n vec_unexpected\n"
    "    vec_record el2\n vec_unexpected\n vec_unexpected\n vec_unexpected\n"
    "    .balign 0x80\n"
    "    b el2_lower_entry\n"
    "    vec_unexpected\n vec_unexpected\n vec_unexpected\n"
    "    vec_unexpected\n vec_unexpected\n vec_unexpected\n vec_unexpected\n"
    /* Exception from EL1 to EL2: save x0-x30, call el2_lower_sync(frame);
     * 0 = resume the guest, else return from run_el1() to the host. */
    "el2_lower_entry:\n"
    "    sub sp, sp, #256\n"
    "    stp x0, x1, [sp, #0]\n    stp x2, x3, [sp, #16]\n    stp x4, x5, [sp, #32]\n"
    "    stp x6, x7, [sp, #48]\n    stp x8, x9, [sp, #64]\n    stp x10, x11, [sp, #80]\n"
    "    stp x12, x13, [sp, #96]\n  stp x14, x15, [sp, #112]\n stp x16, x17, [sp, #128]\n"
    "    stp x18, x19, [sp, #144]\n stp x20, x21, [sp, #160]\n stp x22, x23, [sp, #176]\n"
    "    stp x24, x25, [sp, #192]\n stp x26, x27, [sp, #208]\n stp x28, x29, [sp, #224]\n"
    "    str x30, [sp, #240]\n"
    "    mov x0, sp\n"
    "    bl el2_lower_sync\n"
    "    cbnz x0, 1f\n"
    "    ldp x0, x1, [sp, #0]\n    ldp x2, x3, [sp, #16]\n    ldp x4, x5, [sp, #32]\n"
    "    ldp x6, x7, [sp, #48]\n    ldp x8, x9, [sp, #64]\n    ldp x10, x11, [sp, #80]\n"
    "    ldp x12, x13, [sp, #96]\n  ldp x14, x15, [sp, #112]\n ldp x16, x17, [sp, #128]\n"
    "    ldp x18, x19, [sp, #144]\n ldp x20, x21, [sp, #160]\n ldp x22, x23, [sp, #176]\n"
    "    ldp x24, x25, [sp, #192]\n ldp x26, x27, [sp, #208]\n ldp x28, x29, [sp, #224]\n"
    "    ldr x30, [sp, #240]\n"
    "    add sp, sp, #256\n"
    "    eret\n"
    "1:  adrp x9, host_ctx\n"
    "    add x9, x9, :lo12:host_ctx\n"
    "    ldp x19, x20, [x9, #0]\n   ldp x21, x22, [x9, #16]\n  ldp x23, x24, [x9, #32]\n"
    "    ldp x25, x26, [x9, #48]\n  ldp x27, x28, [x9, #64]\n  ldp x29, x30, [x9, #80]\n"
    "    ldr x10, [x9, #96]\n"
    "    mov sp, x10\n"
    "    ret\n"
    /* uint64_t run_el1(void (*fn)(uint64_t), uint64_t sp_el1, uint64_t arg) */
    "    .global run_el1\n"
    "run_el1:\n"
    "    adrp x9, host_ctx\n"
    "    add x9, x9, :lo12:host_ctx\n"
    "    stp x19, x20, [x9, #0]\n   stp x21, x22, [x9, #16]\n  stp x23, x24, [x9, #32]\n"
    "    stp x25, x26, [x9, #48]\n  stp x27, x28, [x9, #64]\n  stp x29, x30, [x9, #80]\n"
    "    mov x10, sp\n"
    "    str x10, [x9, #96]\n"
    "    msr elr_el2, x0\n"
    "    msr sp_el1, x1\n"
    "    mov x0, #0x3c5\n"
    "    msr spsr_el2, x0\n"
    "    mov x0, x2\n"
    "    eret\n"
    "    .text\n");

uint64_t host_ctx[16];
/* Called for every synchronous exception from EL1 taken to EL2 with the
 * saved x0..x30; returns 0 to resume EL1, non-zero to return from
 * run_el1(). Each test that uses EL2 defines it. */
uint64_t el2_lower_sync(uint64_t *regs);
extern char vectors_el1[], vectors_el2[];
uint64_t run_el1(void (*fn)(uint64_t), uint64_t sp_el1, uint64_t arg);

static inline void tlbi_vae1(uint64_t va)
{
    __asm__ volatile("dsb ishst\n tlbi vae1, %0\n dsb ish\n isb" ::"r"(va >> 12) : "memory");
}

/* Runs AT S1E1R and returns PAR_EL1 (Arm ARM D17.2.102). */
/* MSR PAN, #imm (FEAT_PAN), as raw encodings. */
/* MSR UAO, #on (FEAT_UAO) */
static inline void set_uao(int on)
{
    if (on)
        __asm__ volatile(".inst 0xd500417f" ::: "memory");
    else
        __asm__ volatile(".inst 0xd500407f" ::: "memory");
}

static inline void set_pan(int on)
{
    if (on)
        __asm__ volatile(".inst 0xd500419f" ::: "memory");
    else
        __asm__ volatile(".inst 0xd500409f" ::: "memory");
}

static inline uint64_t at_s1e1r(uint64_t va)
{
    __asm__ volatile("at s1e1r, %0\n isb" ::"r"(va) : "memory");
    return READ_SYSREG(par_el1);
}

/* PMCCNTR_EL0 after an ISB (the guest's clock in the model's cycles) */
static inline uint64_t ccnt(void)
{
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

/* EL2's stage 1 on with E2H = 0 (the EL2 regime of Xen): l1 (512 entries,
 * 4 KiB aligned) maps 0-1 GiB as Device and 1-2 GiB (RAM) as Normal with
 * 1 GiB blocks, identity; TCR_EL2: T0SZ = 25, IRGN0/ORGN0 WB, SH0 Inner
 * Shareable, TG0 4 KB, PS 40 bits, RES1 bits 31 and 23; SCTLR_EL2.M, C, I.
 * The EL2 vectors are installed first. */
static inline void el2_mmu_on(uint64_t *l1)
{
    WRITE_SYSREG(vbar_el2, (uint64_t)vectors_el2);
    l1[0] = 0x00000000ul | DEVICE | D_BLOCK;
    l1[1] = 0x40000000ul | NORMAL | D_BLOCK;
    WRITE_SYSREG(mair_el2, MAIR_VAL);
    WRITE_SYSREG(tcr_el2, 25 | (1ul << 8) | (1ul << 10) | (3ul << 12) | (2ul << 16) |
                              (1ul << 23) | (1ul << 31));
    WRITE_SYSREG(ttbr0_el2, (uint64_t)l1);
    DSB();
    ISB();
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | 1 | (1 << 2) | (1 << 12));
    ISB();
}

#endif
