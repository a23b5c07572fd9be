/*
 * examples/nested: nested virtualization with FEAT_NV and FEAT_NV2 on
 * arm83emu (Arm ARM D8 "Nested virtualization"; the NEVE design, Lim et al.,
 * SOSP 2017). Three levels in one bare-metal image:
 *
 *   L0  a tiny hypervisor at the real EL2 (E2H = 0). It runs the guest
 *       hypervisor L1 at EL1 with HCR_EL2.NV = 1 ("virtual EL2"), emulates
 *       every access L1 makes that traps, emulates L1's ERET, reflects L2's
 *       exits to L1's vectors, and keeps a shadow of L1's EL2 state (vel2[])
 *       and of L2's EL1 state (l2[]).
 *   L1  a guest hypervisor written as an ordinary EL2 program, in a
 *       non-VHE (E2H = 0) and a VHE (E2H = 1) variant of the same source.
 *       It runs L2, handles its hypercalls with a KVM-like world switch
 *       (saves and restores L2's EL1 context) and turns L2's timer
 *       interrupt into a virtual IRQ (HCR_EL2.VI).
 *   L2  a guest at EL1 that makes hypercalls and takes a timer interrupt.
 *
 * Every exception taken to the real EL2 increments g_exits; L2 reads it
 * around each hypercall, so "exits per hypercall" is what L0 pays. The
 * configurations: L1 at the real EL2 (no nesting), NV (v8.3), NV2 (v8.4),
 * each with E2H = 0 and 1. README.md derives the expected counts.
 */
#include "guest.h"

/* ---- architecture constants ------------------------------------------- */

#define HCR_IMO (1ull << 4)
#define HCR_VI  (1ull << 7)
#define HCR_TGE (1ull << 27)
#define HCR_RW  (1ull << 31)
#define HCR_E2H (1ull << 34)
#define HCR_NV  (1ull << 42)
#define HCR_NV1 (1ull << 43)
#define HCR_NV2 (1ull << 45)

#define SPSR_EL1H_MASKED 0x3c5ull     /* EL1h, DAIF = 1111 */
#define SPSR_EL2H_MASKED 0x3c9ull     /* EL2h, DAIF = 1111 */
#define SPSR_EL_SHIFT 2
#define EC_SHIFT 26
#define EC_HVC64 0x16
#define EC_SYSREG 0x18
#define EC_ERET 0x1a

#define CNTV_CTL_ENABLE 1ull
#define CNTV_CTL_IMASK 2ull

#define VEC_SYNC_LOWER 0x400
#define VEC_IRQ_LOWER 0x480

/* GICv3 (GICv3 spec 12.x): distributor, redistributor of CPU 0, CPU interface */
#define GICD 0x08000000ul
#define GICR0 0x080A0000ul
#define GICR_SGI 0x10000ul
#define PPI_CNTV 27                   /* the EL1 virtual timer's PPI on virt */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

#define RSR(r) READ_SYSREG(r)
#define WSR(r, v) WRITE_SYSREG(r, v)

/* hypercalls of L2 (HVC immediates) */
#define HC_NULL 1          /* x0 = x0 + 1 */
#define HC_VIRQ_ACK 2      /* the virtual IRQ was taken: clear HCR_EL2.VI */
#define HC_DONE 3          /* L2 finished: back to L1's main */
#define HC_L1_DONE 0xfff   /* L1 finished (to L0, from vEL2) */

#define NCALLS 4
#define CONTEXTIDR_MAGIC 0x5151ull

/* ---- configuration of the current run --------------------------------- */

static int g_native;       /* L1 runs at the real EL2 */
static int g_vhe;          /* L1's HCR_EL2.E2H */
static int g_nv2;          /* L0 uses FEAT_NV2 */
volatile uint64_t g_exits; /* exceptions taken to the real EL2 */

/* results from L1/L2 */
static volatile uint64_t r_call_exits[NCALLS], r_call_ok, r_timer_exits, r_irq_seen;
static volatile uint64_t r_l1_currentel, r_ctxid;

/* ======================================================================== */
/* L1: the guest hypervisor (an ordinary EL2 program)                        */
/* ======================================================================== */

/* L1's EL2 registers: with E2H = 1 the VHE way (ELR_EL1 ... reach the EL2
 * registers, Arm ARM D5.6), else by their EL2 names. HCR_EL2 and
 * VTTBR_EL2 have no EL1 alias. */
enum hreg { H_HCR, H_VTTBR, H_VBAR, H_ELR, H_SPSR, H_ESR };

static uint64_t h_rd(enum hreg r)
{
    switch (r) {
    case H_HCR: return RSR(hcr_el2);
    case H_VTTBR: return RSR(vttbr_el2);
    case H_VBAR: return g_vhe ? RSR(vbar_el1) : RSR(vbar_el2);
    case H_ELR: return g_vhe ? RSR(elr_el1) : RSR(elr_el2);
    case H_SPSR: return g_vhe ? RSR(spsr_el1) : RSR(spsr_el2);
    case H_ESR: return g_vhe ? RSR(esr_el1) : RSR(esr_el2);
    }
    return 0;
}

static void h_wr(enum hreg r, uint64_t v)
{
    switch (r) {
    case H_HCR: WSR(hcr_el2, v); break;
    case H_VTTBR: WSR(vttbr_el2, v); break;
    case H_VBAR: if (g_vhe) WSR(vbar_el1, v); else WSR(vbar_el2, v); break;
    case H_ELR: if (g_vhe) WSR(elr_el1, v); else WSR(elr_el2, v); break;
    case H_SPSR: if (g_vhe) WSR(spsr_el1, v); else WSR(spsr_el2, v); break;
    case H_ESR: if (g_vhe) WSR(esr_el1, v); else WSR(esr_el2, v); break;
    }
    ISB();
}

/* L2's EL1 context, as L1 sees it: the EL1 names (E2H = 0) or the _EL12 /
 * _EL02 aliases (E2H = 1). SP_EL1 is SP_EL1 in both. */
enum l2reg {
    G_SCTLR, G_CPACR, G_TTBR0, G_TTBR1, G_TCR, G_ESR, G_FAR, G_MAIR, G_AMAIR, G_VBAR,
    G_CONTEXTIDR, G_ELR, G_SPSR, G_CNTV_CTL, G_CNTV_CVAL, G_SP, G__COUNT
};
#define G_SWITCHED G_SP   /* the world switch saves/restores [0, G_SP) */

#define L2ACC(op, el1, el12)                                   \
    if (g_vhe) { op(el12); } else { op(el1); }

static uint64_t l2_rd(enum l2reg r)
{
    uint64_t v = 0;
#define RD(n) (v = RSR(n))
    switch (r) {
    case G_SCTLR: L2ACC(RD, sctlr_el1, S3_5_C1_C0_0); break;
    case G_CPACR: L2ACC(RD, cpacr_el1, S3_5_C1_C0_2); break;
    case G_TTBR0: L2ACC(RD, ttbr0_el1, S3_5_C2_C0_0); break;
    case G_TTBR1: L2ACC(RD, ttbr1_el1, S3_5_C2_C0_1); break;
    case G_TCR: L2ACC(RD, tcr_el1, S3_5_C2_C0_2); break;
    case G_ESR: L2ACC(RD, esr_el1, S3_5_C5_C2_0); break;
    case G_FAR: L2ACC(RD, far_el1, S3_5_C6_C0_0); break;
    case G_MAIR: L2ACC(RD, mair_el1, S3_5_C10_C2_0); break;
    case G_AMAIR: L2ACC(RD, amair_el1, S3_5_C10_C3_0); break;
    case G_VBAR: L2ACC(RD, vbar_el1, S3_5_C12_C0_0); break;
    case G_CONTEXTIDR: L2ACC(RD, contextidr_el1, S3_5_C13_C0_1); break;
    case G_ELR: L2ACC(RD, elr_el1, S3_5_C4_C0_1); break;
    case G_SPSR: L2ACC(RD, spsr_el1, S3_5_C4_C0_0); break;
    case G_CNTV_CTL: L2ACC(RD, cntv_ctl_el0, S3_5_C14_C3_1); break;
    case G_CNTV_CVAL: L2ACC(RD, cntv_cval_el0, S3_5_C14_C3_2); break;
    case G_SP: RD(sp_el1); break;
    default: break;
    }
#undef RD
    return v;
}

static void l2_wr(enum l2reg r, uint64_t v)
{
#define WR(n) WSR(n, v)
    switch (r) {
    case G_SCTLR: L2ACC(WR, sctlr_el1, S3_5_C1_C0_0); break;
    case G_CPACR: L2ACC(WR, cpacr_el1, S3_5_C1_C0_2); break;
    case G_TTBR0: L2ACC(WR, ttbr0_el1, S3_5_C2_C0_0); break;
    case G_TTBR1: L2ACC(WR, ttbr1_el1, S3_5_C2_C0_1); break;
    case G_TCR: L2ACC(WR, tcr_el1, S3_5_C2_C0_2); break;
    case G_ESR: L2ACC(WR, esr_el1, S3_5_C5_C2_0); break;
    case G_FAR: L2ACC(WR, far_el1, S3_5_C6_C0_0); break;
    case G_MAIR: L2ACC(WR, mair_el1, S3_5_C10_C2_0); break;
    case G_AMAIR: L2ACC(WR, amair_el1, S3_5_C10_C3_0); break;
    case G_VBAR: L2ACC(WR, vbar_el1, S3_5_C12_C0_0); break;
    case G_CONTEXTIDR: L2ACC(WR, contextidr_el1, S3_5_C13_C0_1); break;
    case G_ELR: L2ACC(WR, elr_el1, S3_5_C4_C0_1); break;
    case G_SPSR: L2ACC(WR, spsr_el1, S3_5_C4_C0_0); break;
    case G_CNTV_CTL: L2ACC(WR, cntv_ctl_el0, S3_5_C14_C3_1); break;
    case G_CNTV_CVAL: L2ACC(WR, cntv_cval_el0, S3_5_C14_C3_2); break;
    case G_SP: WR(sp_el1); break;
    default: break;
    }
#undef WR
    ISB();
}

static uint64_t l1_guest_hcr, l1_host_hcr;
static uint64_t l1_l2save[G__COUNT];

extern char l1_vectors[], l2_vectors[], l1_after_l2[];
void l1_enter_l2(void);
void l2_main(void);
static uint8_t l2_stack[8192] __attribute__((aligned(16)));
static uint8_t l1_stack[16384] __attribute__((aligned(16)));

/* One exit from L2 to L1 (frame: L2's x0..x30; kind: vector offset). */
void l1_handle(uint64_t *frame, unsigned kind);
void l1_handle(uint64_t *frame, unsigned kind)
{
    if (g_native)
        g_exits++;
    if (kind == VEC_IRQ_LOWER) {
        /* L2's timer: mask it in L2's context and inject a virtual IRQ.
         * At the real EL2, L1 also owns the GIC; nested, L0 does. */
        uint64_t intid = 0;
        if (g_native)
            intid = RSR(ICC_IAR1_EL1);
        l2_wr(G_CNTV_CTL, l2_rd(G_CNTV_CTL) | CNTV_CTL_IMASK);
        if (g_native)
            WSR(ICC_EOIR1_EL1, intid);
        l1_guest_hcr |= HCR_VI;
        h_wr(H_HCR, l1_guest_hcr);
        return;
    }
    uint64_t esr = h_rd(H_ESR);
    if ((esr >> EC_SHIFT) != EC_HVC64) {
        puts_("L1: unexpected exit\n");
        guest_exit(1);
    }
    /* World switch out: save L2's EL1 context, the return state, and
     * switch HCR_EL2 to the host configuration (as KVM does). */
    for (int i = 0; i < G_SWITCHED; i++)
        l1_l2save[i] = l2_rd((enum l2reg)i);
    uint64_t elr = h_rd(H_ELR), spsr = h_rd(H_SPSR);
    h_wr(H_HCR, l1_host_hcr);

    switch (esr & 0xffff) {
    case HC_NULL:
        frame[0] += 1;
        break;
    case HC_VIRQ_ACK:
        l1_guest_hcr &= ~HCR_VI;
        break;
    case HC_DONE:
        elr = (uint64_t)l1_after_l2;
        spsr = SPSR_EL2H_MASKED;
        break;
    }

    /* World switch in */
    for (int i = 0; i < G_SWITCHED; i++)
        l2_wr((enum l2reg)i, l1_l2save[i]);
    h_wr(H_HCR, l1_guest_hcr);
    h_wr(H_VTTBR, 1ull << 48);            /* L2's VMID (stage 2 off) */
    h_wr(H_ELR, elr);
    h_wr(H_SPSR, spsr);
}

/* L1's main: set up and run L2 until it says HC_DONE. */
void l1_main(void);
void l1_main(void)
{
    r_l1_currentel = current_el();
    h_wr(H_VBAR, (uint64_t)l1_vectors);
    l2_wr(G_VBAR, (uint64_t)l2_vectors);
    l2_wr(G_SP, (uint64_t)(l2_stack + sizeof l2_stack));
    l2_wr(G_CONTEXTIDR, CONTEXTIDR_MAGIC);
    l2_wr(G_CNTV_CTL, 0);
    l1_guest_hcr = HCR_RW | HCR_IMO | (g_vhe ? HCR_E2H : 0);
    l1_host_hcr = HCR_RW | (g_vhe ? HCR_E2H | HCR_TGE : 0);
    h_wr(H_HCR, l1_guest_hcr);
    h_wr(H_VTTBR, 1ull << 48);
    h_wr(H_ELR, (uint64_t)l2_main);
    h_wr(H_SPSR, SPSR_EL1H_MASKED);
    l1_enter_l2();            /* ERET into L2; back here after HC_DONE */
}

/* L1's vectors (at its VBAR_EL2): lower-EL synchronous and IRQ call
 * l1_handle(frame, kind) with L2's registers in frame, then ERET. */
#define SAVE_FRAME                                                               \
    "sub sp, sp, #256\n"                                                         \
    "stp x0, x1, [sp, #0]\n stp x2, x3, [sp, #16]\n stp x4, x5, [sp, #32]\n"     \
    "stp x6, x7, [sp, #48]\n stp x8, x9, [sp, #64]\n stp x10, x11, [sp, #80]\n"  \
    "stp x12, x13, [sp, #96]\n stp x14, x15, [sp, #112]\n"                       \
    "stp x16, x17, [sp, #128]\n stp x18, x19, [sp, #144]\n"                      \
    "stp x20, x21, [sp, #160]\n stp x22, x23, [sp, #176]\n"                      \
    "stp x24, x25, [sp, #192]\n stp x26, x27, [sp, #208]\n"                      \
    "stp x28, x29, [sp, #224]\n str x30, [sp, #240]\n"
#define RESTORE_FRAME                                                            \
    "ldp x0, x1, [sp, #0]\n ldp x2, x3, [sp, #16]\n ldp x4, x5, [sp, #32]\n"     \
    "ldp x6, x7, [sp, #48]\n ldp x8, x9, [sp, #64]\n ldp x10, x11, [sp, #80]\n"  \
    "ldp x12, x13, [sp, #96]\n ldp x14, x15, [sp, #112]\n"                       \
    "ldp x16, x17, [sp, #128]\n ldp x18, x19, [sp, #144]\n"                      \
    "ldp x20, x21, [sp, #160]\n ldp x22, x23, [sp, #176]\n"                      \
    "ldp x24, x25, [sp, #192]\n ldp x26, x27, [sp, #208]\n"                      \
    "ldp x28, x29, [sp, #224]\n ldr x30, [sp, #240]\n"                           \
    "add sp, sp, #256\n"

__asm__(".text\n"
        ".balign 2048\n"
        ".global l1_vectors\n"
        "l1_vectors:\n"
        ".rept 8\n .balign 128\n b l1_bad\n .endr\n"
        ".balign 128\n b l1_sync\n"          /* 0x400 */
        ".balign 128\n b l1_irq\n"           /* 0x480 */
        ".rept 6\n .balign 128\n b l1_bad\n .endr\n"
        "l1_sync:\n" SAVE_FRAME
        "mov x0, sp\n mov x1, #0x400\n bl l1_handle\n" RESTORE_FRAME "eret\n"
        "l1_irq:\n" SAVE_FRAME
        "mov x0, sp\n mov x1, #0x480\n bl l1_handle\n" RESTORE_FRAME "eret\n"
        "l1_bad:\n mov x0, #2\n bl guest_exit\n"
        /* l1_enter_l2: keep L1's callee-saved state, ERET (ELR/SPSR set) */
        ".global l1_enter_l2\n"
        "l1_enter_l2:\n"
        "ldr x9, =l1_ctx\n"
        "stp x19, x20, [x9, #0]\n stp x21, x22, [x9, #16]\n stp x23, x24, [x9, #32]\n"
        "stp x25, x26, [x9, #48]\n stp x27, x28, [x9, #64]\n stp x29, x30, [x9, #80]\n"
        "mov x10, sp\n str x10, [x9, #96]\n"
        "eret\n"
        ".global l1_after_l2\n"
        "l1_after_l2:\n"
        "ldr x9, =l1_ctx\n"
        "ldp x19, x20, [x9, #0]\n ldp x21, x22, [x9, #16]\n ldp x23, x24, [x9, #32]\n"
        "ldp x25, x26, [x9, #48]\n ldp x27, x28, [x9, #64]\n ldp x29, x30, [x9, #80]\n"
        "ldr x10, [x9, #96]\n mov sp, x10\n"
        "ret\n"
        ".ltorg\n"
        ".data\n .balign 16\n l1_ctx: .skip 112\n .text\n");

/* ======================================================================== */
/* L2: the nested guest                                                      */
/* ======================================================================== */

static uint64_t hvc_null(uint64_t x)
{
    register uint64_t x0 __asm__("x0") = x;
    __asm__ volatile("hvc #1" : "+r"(x0)::"x1", "x2", "x3", "memory");
    return x0;
}

void l2_irq(void);
void l2_irq(void)
{
    r_irq_seen = 1;
    WSR(cntv_ctl_el0, 0);
    ISB();
    __asm__ volatile("hvc #2" ::: "x0", "memory");
}

void l2_main(void)
{
    uint64_t ok = 0;
    for (int i = 0; i < NCALLS; i++) {
        uint64_t c0 = g_exits;
        uint64_t r = hvc_null(100 + (uint64_t)i);
        uint64_t c1 = g_exits;
        r_call_exits[i] = c1 - c0;
        ok += r == 101 + (uint64_t)i;
    }
    r_call_ok = ok;
    /* the virtual timer, taken as a virtual IRQ injected by L1 */
    uint64_t c0 = g_exits;
    WSR(cntv_tval_el0, 200);
    WSR(cntv_ctl_el0, CNTV_CTL_ENABLE);
    ISB();
    for (;;) {
        __asm__ volatile("msr daifset, #2" ::: "memory");
        if (r_irq_seen)
            break;
        __asm__ volatile("wfi" ::: "memory");
        __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    }
    r_timer_exits = g_exits - c0;
    r_ctxid = RSR(contextidr_el1);
    __asm__ volatile("hvc #3" ::: "memory");
    for (;;)
        ;
}

__asm__(".text\n"
        ".balign 2048\n"
        ".global l2_vectors\n"
        "l2_vectors:\n"
        ".rept 5\n .balign 128\n b l2_bad\n .endr\n"
        ".balign 128\n b l2_irqv\n"          /* 0x280: IRQ, current EL, SP_EL1 */
        ".rept 10\n .balign 128\n b l2_bad\n .endr\n"
        "l2_irqv:\n" SAVE_FRAME "bl l2_irq\n" RESTORE_FRAME "eret\n"
        "l2_bad:\n mov x0, #3\n bl guest_exit\n");

/* ======================================================================== */
/* L0: the host hypervisor at the real EL2                                   */
/* ======================================================================== */

/* L1's virtual EL2 registers that L0 keeps (where they are not in the
 * hardware or the VNCR page) */
enum { V_HCR, V_VTTBR, V_VBAR, V_ELR, V_SPSR, V_ESR, V_FAR, V__COUNT };
static uint64_t vel2[V__COUNT];
static uint64_t l2[G__COUNT];      /* L2's EL1 context while L1 runs */
static uint64_t l1hw[G__COUNT];    /* L1's EL1 hardware state while L2 runs */
static int in_l2;
static uint64_t pending_eoi;       /* INTID acknowledged by L0, to EOI */
static volatile uint64_t vncr_page[512] __attribute__((aligned(4096)));

/* VNCR_EL2 offsets of L2's context registers (Arm ARM, accessor
 * pseudocode NVMem[]): with NVx = '111' all of them; with '101' the
 * _EL12 ones, SP_EL1 and the CTL/CVAL _EL02 timer aliases (which only
 * FEAT_ECV's CNTHCTL_EL2.EL1NVVCT would trap; this L0 leaves it 0). */
static const uint16_t l2_vncr_off[G__COUNT] = {
    [G_SCTLR] = 0x110, [G_CPACR] = 0x100, [G_TTBR0] = 0x200, [G_TTBR1] = 0x210,
    [G_TCR] = 0x120, [G_ESR] = 0x138, [G_FAR] = 0x220, [G_MAIR] = 0x140,
    [G_AMAIR] = 0x148, [G_VBAR] = 0x250, [G_CONTEXTIDR] = 0x108, [G_ELR] = 0x230,
    [G_SPSR] = 0x160, [G_CNTV_CTL] = 0x170, [G_CNTV_CVAL] = 0x168, [G_SP] = 0x240,
};
/* VMIDs that L0 gives its two guests (VTTBR_EL2.VMID, bits [63:48]): the
 * exit trace (arm83emu-trace) tells L2 from L1 by them */
#define L0_VMID_L1 (0ull << 48)
#define L0_VMID_L2 (1ull << 48)
#define VNCR_HCR 0x78
#define VNCR_VTTBR 0x20

static int in_vncr_page(int i)
{
    return g_nv2;
}

/* Which of L2's EL1 registers are in the hardware only while L2 runs (L1
 * has its own values there). With NV and E2H = 0 (NV1 = 1) L1 reaches the
 * other EL1 registers of L2 directly in the hardware; only ELR_EL1,
 * SPSR_EL1, VBAR_EL1 (NV1 traps) and SP_EL1 are L1's own. */
static int switched(int i)
{
    if (g_vhe || g_nv2)
        return 1;
    return i == G_ELR || i == G_SPSR || i == G_VBAR || i == G_SP;
}

static uint64_t hw_rd(int i)
{
    switch (i) {
    case G_SCTLR: return RSR(sctlr_el1);
    case G_CPACR: return RSR(cpacr_el1);
    case G_TTBR0: return RSR(ttbr0_el1);
    case G_TTBR1: return RSR(ttbr1_el1);
    case G_TCR: return RSR(tcr_el1);
    case G_ESR: return RSR(esr_el1);
    case G_FAR: return RSR(far_el1);
    case G_MAIR: return RSR(mair_el1);
    case G_AMAIR: return RSR(amair_el1);
    case G_VBAR: return RSR(vbar_el1);
    case G_CONTEXTIDR: return RSR(contextidr_el1);
    case G_ELR: return RSR(elr_el1);
    case G_SPSR: return RSR(spsr_el1);
    case G_CNTV_CTL: return RSR(cntv_ctl_el0);
    case G_CNTV_CVAL: return RSR(cntv_cval_el0);
    case G_SP: return RSR(sp_el1);
    }
    return 0;
}

static void hw_wr(int i, uint64_t v)
{
    switch (i) {
    case G_SCTLR: WSR(sctlr_el1, v); break;
    case G_CPACR: WSR(cpacr_el1, v); break;
    case G_TTBR0: WSR(ttbr0_el1, v); break;
    case G_TTBR1: WSR(ttbr1_el1, v); break;
    case G_TCR: WSR(tcr_el1, v); break;
    case G_ESR: WSR(esr_el1, v); break;
    case G_FAR: WSR(far_el1, v); break;
    case G_MAIR: WSR(mair_el1, v); break;
    case G_AMAIR: WSR(amair_el1, v); break;
    case G_VBAR: WSR(vbar_el1, v); break;
    case G_CONTEXTIDR: WSR(contextidr_el1, v); break;
    case G_ELR: WSR(elr_el1, v); break;
    case G_SPSR: WSR(spsr_el1, v); break;
    case G_CNTV_CTL: WSR(cntv_ctl_el0, v); break;
    case G_CNTV_CVAL: WSR(cntv_cval_el0, v); break;
    case G_SP: WSR(sp_el1, v); break;
    }
}

/* HCR_EL2 while L1 runs in virtual EL2 */
static uint64_t l1_real_hcr(void)
{
    return HCR_RW | HCR_IMO | HCR_NV | (g_vhe ? 0 : HCR_NV1) | (g_nv2 ? HCR_NV2 : 0);
}

/* L1's view of its ELR/SPSR/ESR_EL2 is the hardware ELR/SPSR/ESR_EL1 with
 * E2H = 1 (VHE names) or NV2 (ELR_EL2 ... at EL1 reach the EL1 registers). */
static int l1_el2_in_hw(void) { return g_vhe || g_nv2; }

static void fatal(const char *what, uint64_t v)
{
    puts_("L0: ");
    putreg(what, v);
    guest_exit(1);
}

/* L2 exit -> L1's vector (vec = 0x400 or 0x480) */
static void reflect_to_l1(unsigned vec)
{
    uint64_t elr = RSR(elr_el2), spsr = RSR(spsr_el2), esr = RSR(esr_el2);
    for (int i = 0; i < G__COUNT; i++)
        if (switched(i)) {
            l2[i] = hw_rd(i);
            hw_wr(i, l1hw[i]);
        }
    if (g_nv2) {
        for (int i = 0; i < G__COUNT; i++)
            if (in_vncr_page(i))
                vncr_page[l2_vncr_off[i] / 8] = l2[i];
        vncr_page[VNCR_HCR / 8] = vel2[V_HCR];
        vncr_page[VNCR_VTTBR / 8] = vel2[V_VTTBR];
    }
    if (l1_el2_in_hw()) {
        WSR(elr_el1, elr);
        WSR(spsr_el1, spsr);
        if (vec == VEC_SYNC_LOWER)
            WSR(esr_el1, esr);
    } else {
        vel2[V_ELR] = elr;
        vel2[V_SPSR] = spsr;
        if (vec == VEC_SYNC_LOWER)
            vel2[V_ESR] = esr;
    }
    uint64_t vbar = g_vhe ? RSR(vbar_el1) : vel2[V_VBAR];
    WSR(hcr_el2, l1_real_hcr());
    WSR(vttbr_el2, L0_VMID_L1);
    WSR(elr_el2, vbar + vec);
    WSR(spsr_el2, SPSR_EL1H_MASKED);
    in_l2 = 0;
}

/* L1 executed ERET (EC 0x1A): enter L2, or return within virtual EL2 */
static void emulate_eret(void)
{
    uint64_t elr, spsr;
    if (l1_el2_in_hw()) {
        elr = RSR(elr_el1);
        spsr = RSR(spsr_el1);
    } else {
        elr = vel2[V_ELR];
        spsr = vel2[V_SPSR];
    }
    unsigned tel = (spsr >> SPSR_EL_SHIFT) & 3;
    if (tel == 2) {
        /* to L1 itself (virtual EL2h is EL1h) */
        WSR(elr_el2, elr);
        WSR(spsr_el2, (spsr & ~0xfull) | 0x5);
        return;
    }
    if (g_nv2) {
        vel2[V_HCR] = vncr_page[VNCR_HCR / 8];
        vel2[V_VTTBR] = vncr_page[VNCR_VTTBR / 8];
        for (int i = 0; i < G__COUNT; i++)
            if (in_vncr_page(i))
                l2[i] = vncr_page[l2_vncr_off[i] / 8];
    }
    for (int i = 0; i < G__COUNT; i++)
        if (switched(i)) {
            l1hw[i] = hw_rd(i);
            hw_wr(i, l2[i]);
        }
    if (pending_eoi) {
        WSR(ICC_EOIR1_EL1, pending_eoi);
        pending_eoi = 0;
    }
    WSR(hcr_el2, HCR_RW | HCR_IMO | (vel2[V_HCR] & HCR_VI));
    WSR(vttbr_el2, L0_VMID_L2);           /* stage 2 stays off: VMID only */
    WSR(elr_el2, elr);
    WSR(spsr_el2, spsr);
    in_l2 = 1;
}

#define ENC(op0, op1, crn, crm, op2) (((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/* Where a trapped MRS/MSR of L1 goes: a vel2[] slot or an l2[] slot. */
static uint64_t *sysreg_slot(unsigned enc)
{
    switch (enc) {
    case ENC(3, 4, 1, 1, 0): return &vel2[V_HCR];
    case ENC(3, 4, 2, 1, 0): return &vel2[V_VTTBR];
    case ENC(3, 4, 12, 0, 0): return &vel2[V_VBAR];
    case ENC(3, 4, 4, 0, 1): return &vel2[V_ELR];
    case ENC(3, 4, 4, 0, 0): return &vel2[V_SPSR];
    case ENC(3, 4, 5, 2, 0): return &vel2[V_ESR];
    case ENC(3, 4, 6, 0, 0): return &vel2[V_FAR];
    case ENC(3, 4, 4, 1, 0): return &l2[G_SP];               /* SP_EL1 */
    /* the _EL12/_EL02 aliases of L2's registers */
    case ENC(3, 5, 1, 0, 0): return &l2[G_SCTLR];
    case ENC(3, 5, 1, 0, 2): return &l2[G_CPACR];
    case ENC(3, 5, 2, 0, 0): return &l2[G_TTBR0];
    case ENC(3, 5, 2, 0, 1): return &l2[G_TTBR1];
    case ENC(3, 5, 2, 0, 2): return &l2[G_TCR];
    case ENC(3, 5, 5, 2, 0): return &l2[G_ESR];
    case ENC(3, 5, 6, 0, 0): return &l2[G_FAR];
    case ENC(3, 5, 10, 2, 0): return &l2[G_MAIR];
    case ENC(3, 5, 10, 3, 0): return &l2[G_AMAIR];
    case ENC(3, 5, 12, 0, 0): return &l2[G_VBAR];
    case ENC(3, 5, 13, 0, 1): return &l2[G_CONTEXTIDR];
    case ENC(3, 5, 4, 0, 1): return &l2[G_ELR];
    case ENC(3, 5, 4, 0, 0): return &l2[G_SPSR];
    case ENC(3, 5, 14, 3, 1): return &l2[G_CNTV_CTL];
    case ENC(3, 5, 14, 3, 2): return &l2[G_CNTV_CVAL];
    /* NV1: L2's ELR_EL1, SPSR_EL1, VBAR_EL1 */
    case ENC(3, 0, 4, 0, 1): return &l2[G_ELR];
    case ENC(3, 0, 4, 0, 0): return &l2[G_SPSR];
    case ENC(3, 0, 12, 0, 0): return &l2[G_VBAR];
    }
    return 0;
}

/* EC 0x18 ISS (Arm ARM D24.2.45): Op0[21:20] Op2[19:17] Op1[16:14]
 * CRn[13:10] Rt[9:5] CRm[4:1] Direction[0] */
static void emulate_sysreg(uint64_t *frame, uint32_t iss)
{
    unsigned op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7;
    unsigned crn = (iss >> 10) & 15, rt = (iss >> 5) & 31, crm = (iss >> 1) & 15;
    uint64_t *slot = sysreg_slot(ENC(op0, op1, crn, crm, op2));
    if (!slot)
        fatal("unemulated system register access, ISS", iss);
    if (iss & 1) {
        if (rt != 31)
            frame[rt] = *slot;
    } else {
        *slot = rt == 31 ? 0 : frame[rt];
    }
    WSR(elr_el2, RSR(elr_el2) + 4);
}

/* Returns 1 when L1 has finished (leave to L0's main). */
int l0_handle(uint64_t *frame, unsigned kind);
int l0_handle(uint64_t *frame, unsigned kind)
{
    g_exits++;
    uint64_t esr = RSR(esr_el2);
    unsigned ec = esr >> EC_SHIFT;
    if (in_l2) {
        if (kind == VEC_IRQ_LOWER) {
            pending_eoi = RSR(ICC_IAR1_EL1) & 0xffffff;
            reflect_to_l1(VEC_IRQ_LOWER);
        } else if (ec == EC_HVC64) {
            reflect_to_l1(VEC_SYNC_LOWER);
        } else {
            fatal("unexpected exit from L2, ESR", esr);
        }
        return 0;
    }
    if (kind != VEC_SYNC_LOWER)
        fatal("unexpected interrupt while L1 runs, vector", kind);
    switch (ec) {
    case EC_SYSREG:
        emulate_sysreg(frame, (uint32_t)esr & 0x1ffffff);
        return 0;
    case EC_ERET:
        emulate_eret();
        return 0;
    case EC_HVC64:
        if ((esr & 0xffff) == HC_L1_DONE)
            return 1;
        /* fall through */
    default:
        fatal("unexpected exit from L1, ESR", esr);
    }
    return 0;
}

void l0_enter_l1(void (*fn)(void), uint64_t sp);
__asm__(".text\n"
        ".balign 2048\n"
        ".global l0_vectors\n"
        "l0_vectors:\n"
        ".rept 8\n .balign 128\n b l0_bad\n .endr\n"
        ".balign 128\n b l0_sync\n"          /* 0x400 */
        ".balign 128\n b l0_irq\n"           /* 0x480 */
        ".rept 6\n .balign 128\n b l0_bad\n .endr\n"
        "l0_sync:\n" SAVE_FRAME "mov x0, sp\n mov x1, #0x400\n b l0_common\n"
        "l0_irq:\n" SAVE_FRAME "mov x0, sp\n mov x1, #0x480\n"
        "l0_common:\n bl l0_handle\n cbnz x0, l0_leave\n" RESTORE_FRAME "eret\n"
        "l0_bad:\n mov x0, #4\n bl guest_exit\n"
        /* l0_enter_l1(fn, sp): run fn at EL1h (virtual EL2); it returns
         * to l1_exit_stub, whose HVC #0xfff ends l0_enter_l1. */
        ".global l0_enter_l1\n"
        "l0_enter_l1:\n"
        "ldr x9, =l0_ctx\n"
        "stp x19, x20, [x9, #0]\n stp x21, x22, [x9, #16]\n stp x23, x24, [x9, #32]\n"
        "stp x25, x26, [x9, #48]\n stp x27, x28, [x9, #64]\n stp x29, x30, [x9, #80]\n"
        "mov x10, sp\n str x10, [x9, #96]\n"
        "msr elr_el2, x0\n mov x10, #0x3c5\n msr spsr_el2, x10\n msr sp_el1, x1\n"
        "ldr x30, =l1_exit_stub\n"
        "eret\n"
        "l1_exit_stub:\n hvc #0xfff\n"
        "l0_leave:\n"
        "ldr x9, =l0_ctx\n"
        "ldp x19, x20, [x9, #0]\n ldp x21, x22, [x9, #16]\n ldp x23, x24, [x9, #32]\n"
        "ldp x25, x26, [x9, #48]\n ldp x27, x28, [x9, #64]\n ldp x29, x30, [x9, #80]\n"
        "ldr x10, [x9, #96]\n mov sp, x10\n"
        "ret\n"
        ".ltorg\n"
        ".data\n .balign 16\n l0_ctx: .skip 112\n .text\n");
extern char l0_vectors[];

static void gic_init(void)
{
    *(volatile uint32_t *)(GICD + 0x0) = 3;                      /* GICD_CTLR: Grp0, Grp1 */
    *(volatile uint32_t *)(GICR0 + 0x14) = 0;                    /* GICR_WAKER */
    while (*(volatile uint32_t *)(GICR0 + 0x14) & 4)
        ;
    *(volatile uint32_t *)(GICR0 + GICR_SGI + 0x80) = ~0u;       /* IGROUPR0: Group 1 */
    *(volatile uint32_t *)(GICR0 + GICR_SGI + 0x100) = 1u << PPI_CNTV;   /* ISENABLER0 */
    WSR(ICC_SRE_EL1, RSR(ICC_SRE_EL1) | 1);
    WSR(ICC_PMR_EL1, 0xf0);
    WSR(ICC_IGRPEN1_EL1, 1);
    ISB();
}

static void run(const char *name, int native, int vhe, int nv2)
{
    g_native = native;
    g_vhe = vhe;
    g_nv2 = nv2;
    for (int i = 0; i < NCALLS; i++)
        r_call_exits[i] = 0;
    r_call_ok = r_timer_exits = r_irq_seen = r_l1_currentel = r_ctxid = 0;
    for (int i = 0; i < V__COUNT; i++)
        vel2[i] = 0;
    for (int i = 0; i < G__COUNT; i++)
        l2[i] = l1hw[i] = 0;
    for (int i = 0; i < 512; i++)
        vncr_page[i] = 0;
    in_l2 = 0;
    pending_eoi = 0;
    g_exits = 0;

    if (native) {
        /* L1 is the real hypervisor */
        WSR(hcr_el2, HCR_RW | (vhe ? HCR_E2H : 0));
        ISB();
        l1_main();
        WSR(hcr_el2, HCR_RW);
        WSR(vbar_el2, (uint64_t)l0_vectors);
        ISB();
    } else {
        WSR(vbar_el2, (uint64_t)l0_vectors);
        WSR(S3_4_C2_C2_0, (uint64_t)vncr_page);                 /* VNCR_EL2 */
        WSR(hcr_el2, l1_real_hcr());
        ISB();
        WSR(vttbr_el2, L0_VMID_L1);
        l0_enter_l1(l1_main, (uint64_t)(l1_stack + sizeof l1_stack));
        WSR(hcr_el2, HCR_RW);
        ISB();
    }

    puts_(name);
    puts_(": L1 CurrentEL=");
    putdec(r_l1_currentel);
    puts_(", L0 exits per hypercall:");
    for (int i = 0; i < NCALLS; i++) {
        puts_(" ");
        putdec(r_call_exits[i]);
    }
    puts_(", per timer interrupt: ");
    putdec(r_timer_exits);
    puts_(r_call_ok == NCALLS && r_irq_seen && r_ctxid == CONTEXTIDR_MAGIC ? ", L2 ok\n"
                                                                           : ", L2 WRONG\n");
    if (!(r_call_ok == NCALLS && r_irq_seen && r_ctxid == CONTEXTIDR_MAGIC))
        guest_failures++;
}

int main(void)
{
    if (current_el() != 2) {
        puts_("needs EL2 (-M virt,virtualization=on)\n");
        return 1;
    }
    gic_init();
    WSR(cntvoff_el2, 0);
    run("no nesting, E2H=0", 1, 0, 0);
    run("no nesting, E2H=1", 1, 1, 0);
    run("NV,  guest hypervisor E2H=0", 0, 0, 0);
    run("NV,  guest hypervisor E2H=1", 0, 1, 0);
    run("NV2, guest hypervisor E2H=0", 0, 0, 1);
    run("NV2, guest hypervisor E2H=1", 0, 1, 1);
    return guest_failures;
}
