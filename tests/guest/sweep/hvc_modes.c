/*
 * A hypercall in three hypervisor designs, for the sweep walk-through
 * (docs/sweeps.md): the guest at EL1 makes HVC_COUNT hypercalls (HVC #1);
 * the console input selects who handles them and how:
 *   "vhe"  - the host kernel runs at EL2 (HCR_EL2.E2H = 1, TGE = 0 while
 *            the guest runs): the exception is taken to EL2, the handler
 *            saves and restores the guest's GPRs and returns. 1 exit.
 *   "nvhe" - the host kernel runs at EL1 (E2H = 0): EL2 saves the guest's
 *            GPRs and switches 12 EL1 system registers to the host's, ERETs
 *            to the host's EL1 handler, which handles the call and asks EL2
 *            (HVC #0x100) to switch back and resume the guest. 2 exits.
 *   "nv2"  - a guest hypervisor at EL1 with FEAT_NV2 (HCR_EL2.{NV,NV1,NV2}
 *            = 1, VNCR_EL2 set: NVx = '111', a non-VHE guest hypervisor):
 *            EL2 (L0) reflects the L2 guest's HVC to the guest hypervisor's
 *            vEL2 handler (ESR/ELR/SPSR_EL1 written, as L0 injects an
 *            exception into vEL2); the guest hypervisor reads ESR_EL2 and
 *            ELR_EL2 (redirected to the EL1 registers) and switches 12 EL1
 *            registers (VNCR memory accesses, no trap), then ERETs, which
 *            traps to L0 (EC 0x1A) to resume L2. 2 exits.
 * Then HVC #0xffff ends the run at EL2, which prints the counts.
 * Arm ARM D1.10 (exception entry), D13.2.48 (HCR_EL2.E2H, NV, NV1, NV2),
 * D8.10 / "Enhanced nested virtualization" (NV2 register transformations,
 * VNCR_EL2), ESR_ELx.EC 0x16 (HVC) and 0x1A (trapped ERET).
 */
#include "guest.h"

#define HVC_COUNT 1000   /* also in hv_guest below */
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_RW (1ull << 31)
#define HCR_E2H (1ull << 34)
#define HCR_NV (1ull << 42)
#define HCR_NV1 (1ull << 43)
#define HCR_NV2 (1ull << 45)

enum { MODE_VHE, MODE_NVHE, MODE_NV2 };

/* Shared with the assembly below. */
uint64_t hv_mode, hv_calls, hv_exits, hv_hcr_guest, hv_hcr_nv;
uint64_t hv_saved_elr, hv_saved_spsr;
uint64_t hv_guest_sys[12], hv_host_sys[12];
static volatile uint64_t vncr_page[512] __attribute__((aligned(4096)));

/* Switches the 12 EL1 registers of a world switch: store the current ones
 * to [x0], load the other world's from [x1]. Clobbers x2-x3. With NVx =
 * '111' at EL1 these accesses are VNCR memory accesses. */
#define SWITCH_EL1                                                       \
    "mrs x2, sctlr_el1\n str x2, [x0, #0]\n"                             \
    "mrs x2, cpacr_el1\n str x2, [x0, #8]\n"                             \
    "mrs x2, ttbr0_el1\n str x2, [x0, #16]\n"                            \
    "mrs x2, ttbr1_el1\n str x2, [x0, #24]\n"                            \
    "mrs x2, tcr_el1\n str x2, [x0, #32]\n"                              \
    "mrs x2, mair_el1\n str x2, [x0, #40]\n"                             \
    "mrs x2, amair_el1\n str x2, [x0, #48]\n"                            \
    "mrs x2, vbar_el1\n str x2, [x0, #56]\n"                             \
    "mrs x2, contextidr_el1\n str x2, [x0, #64]\n"                       \
    "mrs x2, tpidr_el1\n str x2, [x0, #72]\n"                            \
    "mrs x2, tpidr_el0\n str x2, [x0, #80]\n"                            \
    "mrs x2, tpidrro_el0\n str x2, [x0, #88]\n"                          \
    "ldr x3, [x1, #0]\n msr sctlr_el1, x3\n"                             \
    "ldr x3, [x1, #8]\n msr cpacr_el1, x3\n"                             \
    "ldr x3, [x1, #16]\n msr ttbr0_el1, x3\n"                            \
    "ldr x3, [x1, #24]\n msr ttbr1_el1, x3\n"                            \
    "ldr x3, [x1, #32]\n msr tcr_el1, x3\n"                              \
    "ldr x3, [x1, #40]\n msr mair_el1, x3\n"                             \
    "ldr x3, [x1, #48]\n msr amair_el1, x3\n"                            \
    "ldr x3, [x1, #56]\n msr vbar_el1, x3\n"                             \
    "ldr x3, [x1, #64]\n msr contextidr_el1, x3\n"                       \
    "ldr x3, [x1, #72]\n msr tpidr_el1, x3\n"                            \
    "ldr x3, [x1, #80]\n msr tpidr_el0, x3\n"                            \
    "ldr x3, [x1, #88]\n msr tpidrro_el0, x3\n"

#define SAVE_GPRS                                                        \
    "sub sp, sp, #160\n"                                                 \
    "stp x0, x1, [sp, #0]\n stp x2, x3, [sp, #16]\n"                     \
    "stp x4, x5, [sp, #32]\n stp x6, x7, [sp, #48]\n"                    \
    "stp x8, x9, [sp, #64]\n stp x10, x11, [sp, #80]\n"                  \
    "stp x12, x13, [sp, #96]\n stp x14, x15, [sp, #112]\n"               \
    "stp x16, x17, [sp, #128]\n stp x18, x30, [sp, #144]\n"
#define RESTORE_GPRS                                                     \
    "ldp x0, x1, [sp, #0]\n ldp x2, x3, [sp, #16]\n"                     \
    "ldp x4, x5, [sp, #32]\n ldp x6, x7, [sp, #48]\n"                    \
    "ldp x8, x9, [sp, #64]\n ldp x10, x11, [sp, #80]\n"                  \
    "ldp x12, x13, [sp, #96]\n ldp x14, x15, [sp, #112]\n"               \
    "ldp x16, x17, [sp, #128]\n ldp x18, x30, [sp, #144]\n"              \
    "add sp, sp, #160\n"
#define INC(var) "ldr x2, =" var "\n ldr x3, [x2]\n add x3, x3, #1\n str x3, [x2]\n"

void hv_finish(void) __attribute__((noreturn));
void hv_unexpected(uint64_t esr) __attribute__((noreturn));

__asm__(
    ".text\n"
    /* The guest (L2): HVC_COUNT hypercalls, then HVC #0xffff. */
    ".global hv_guest\n"
    "hv_guest:\n"
    "    ldr x9, =1000\n"
    "1:  hvc #1\n"
    "    subs x9, x9, #1\n"
    "    b.ne 1b\n"
    "    hvc #0xffff\n"
    "    b .\n"
    /* nvhe: the host kernel's EL1 handler. */
    ".global hv_host_el1\n"
    "hv_host_el1:\n"
    INC("hv_calls")
    "    hvc #0x100\n"
    "    b .\n"
    /* nv2: the guest hypervisor's vEL2 handler, at EL1. */
    ".global hv_l1_handler\n"
    "hv_l1_handler:\n"
    "    mrs x4, esr_el2\n"            /* -> ESR_EL1 */
    "    mrs x5, elr_el2\n"            /* -> ELR_EL1 */
    "    ldr x0, =hv_guest_sys\n"
    "    ldr x1, =hv_host_sys\n"
    SWITCH_EL1                         /* to its host: VNCR accesses */
    INC("hv_calls")
    "    ldr x0, =hv_host_sys\n"
    "    ldr x1, =hv_guest_sys\n"
    SWITCH_EL1                         /* back to L2 */
    "    msr elr_el2, x5\n"            /* -> ELR_EL1 */
    "    eret\n"                       /* traps to L0: EC 0x1A */

    /* EL2 vectors: only "lower EL, AArch64, synchronous" is expected. */
    ".balign 2048\n"
    ".global hv_vectors\n"
    "hv_vectors:\n"
    ".rept 8\n mrs x0, esr_el2\n b hv_unexpected\n .balign 128\n .endr\n"
    "    b hv_lower_sync\n .balign 128\n"
    ".rept 7\n mrs x0, esr_el2\n b hv_unexpected\n .balign 128\n .endr\n"

    "hv_lower_sync:\n"
    SAVE_GPRS
    INC("hv_exits")
    "    mrs x0, esr_el2\n"
    "    lsr x1, x0, #26\n"            /* ESR_EL2.EC */
    "    and x4, x0, #0xffff\n"        /* ISS.imm16 of an HVC */
    "    ldr x2, =hv_mode\n ldr x5, [x2]\n"
    "    cmp x1, #0x1a\n b.eq 30f\n"   /* trapped ERET (nv2) */
    "    cmp x1, #0x16\n b.ne 90f\n"   /* HVC64 */
    "    mov x2, #0xffff\n cmp x4, x2\n b.eq 91f\n"
    "    cmp x5, #1\n b.eq 10f\n"
    "    cmp x5, #2\n b.eq 20f\n"
    /* vhe: handled here, at EL2 */
    INC("hv_calls")
    RESTORE_GPRS
    "    eret\n"
    /* nvhe */
    "10: cmp x4, #0x100\n b.eq 11f\n"
    "    mrs x2, elr_el2\n ldr x3, =hv_saved_elr\n str x2, [x3]\n"
    "    mrs x2, spsr_el2\n ldr x3, =hv_saved_spsr\n str x2, [x3]\n"
    "    ldr x0, =hv_guest_sys\n ldr x1, =hv_host_sys\n"
    SWITCH_EL1
    "    ldr x2, =hv_host_el1\n msr elr_el2, x2\n"
    "    mov x2, #0x3c5\n msr spsr_el2, x2\n"
    "    eret\n"                       /* to the host; the guest's GPRs stay on the EL2 stack */
    "11: add sp, sp, #160\n"           /* drop the host's frame */
    "    ldr x0, =hv_host_sys\n ldr x1, =hv_guest_sys\n"
    SWITCH_EL1
    "    ldr x3, =hv_saved_elr\n ldr x2, [x3]\n msr elr_el2, x2\n"
    "    ldr x3, =hv_saved_spsr\n ldr x2, [x3]\n msr spsr_el2, x2\n"
    RESTORE_GPRS
    "    eret\n"
    /* nv2: reflect the HVC into the guest hypervisor's vEL2 */
    "20: msr esr_el1, x0\n"
    "    mrs x2, elr_el2\n msr elr_el1, x2\n"
    "    mrs x2, spsr_el2\n msr spsr_el1, x2\n"
    "    ldr x2, =hv_hcr_nv\n ldr x2, [x2]\n msr hcr_el2, x2\n isb\n"
    "    ldr x2, =hv_l1_handler\n msr elr_el2, x2\n"
    "    mov x2, #0x3c5\n msr spsr_el2, x2\n"
    "    eret\n"                       /* L2's GPRs stay on the EL2 stack */
    "30: cmp x5, #2\n b.ne 90f\n"
    "    add sp, sp, #160\n"           /* drop the guest hypervisor's frame */
    "    ldr x2, =hv_hcr_guest\n ldr x2, [x2]\n msr hcr_el2, x2\n isb\n"
    "    mrs x2, elr_el1\n msr elr_el2, x2\n"   /* the guest hypervisor's ELR_EL2 */
    "    mrs x2, spsr_el1\n msr spsr_el2, x2\n"
    RESTORE_GPRS
    "    eret\n"
    "90: b hv_unexpected\n"            /* x0 = ESR_EL2 */
    "91: b hv_finish\n");

extern char hv_guest[], hv_vectors[];

void hv_unexpected(uint64_t esr)
{
    puts_("unexpected exception to EL2, ESR_EL2 ");
    puthex(esr);
    putc_('\n');
    guest_exit(1);
}

void hv_finish(void)
{
    static const char *const names[] = { "vhe", "nvhe", "nv2" };
    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();
    puts_("mode ");
    puts_(names[hv_mode]);
    puts_(": ");
    putdec(hv_calls);
    puts_(" hypercalls, ");
    putdec(hv_exits);
    puts_(" exits to EL2\n");
    uint64_t want_exits = (hv_mode == MODE_VHE ? 1 : 2) * (uint64_t)HVC_COUNT + 1;
    guest_exit(hv_calls == HVC_COUNT && hv_exits == want_exits ? 0 : 1);
}

int main(void)
{
    /* The mode: the console input ("vhe", "nvhe" or "nv2"), already queued. */
    volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;
    char in[8] = { 0 };
    for (unsigned i = 0; i < sizeof in - 1 && !(uart[0x18 / 4] & (1u << 4)); i++)   /* UARTFR.RXFE */
        in[i] = (char)(uart[0] & 0xff);
    if (in[0] == 'v' && in[1] == 'h' && in[2] == 'e' && !in[3]) hv_mode = MODE_VHE;
    else if (in[0] == 'n' && in[1] == 'v' && in[2] == 'h' && in[3] == 'e' && !in[4]) hv_mode = MODE_NVHE;
    else if (in[0] == 'n' && in[1] == 'v' && in[2] == '2' && !in[3]) hv_mode = MODE_NV2;
    else {
        puts_("input must be vhe, nvhe or nv2\n");
        return 2;
    }
    /* Both worlds start with the current EL1 values (the MMU is off, so
     * rewriting them changes nothing but the time spent). */
    const uint64_t cur[12] = { READ_SYSREG(sctlr_el1), READ_SYSREG(cpacr_el1), READ_SYSREG(ttbr0_el1),
                               READ_SYSREG(ttbr1_el1), READ_SYSREG(tcr_el1), READ_SYSREG(mair_el1),
                               READ_SYSREG(amair_el1), READ_SYSREG(vbar_el1), READ_SYSREG(contextidr_el1),
                               READ_SYSREG(tpidr_el1), READ_SYSREG(tpidr_el0), READ_SYSREG(tpidrro_el0) };
    for (unsigned i = 0; i < 12; i++)
        hv_host_sys[i] = hv_guest_sys[i] = cur[i];
    uint64_t hcr = HCR_RW | HCR_IMO | HCR_FMO | (hv_mode == MODE_VHE ? HCR_E2H : 0);
    hv_hcr_guest = hcr;
    hv_hcr_nv = hcr | HCR_NV | HCR_NV1 | HCR_NV2;
    WRITE_SYSREG(S3_4_C2_C2_0, (uint64_t)vncr_page);   /* VNCR_EL2 */
    WRITE_SYSREG(vbar_el2, (uint64_t)hv_vectors);
    WRITE_SYSREG(hcr_el2, hcr);
    WRITE_SYSREG(elr_el2, (uint64_t)hv_guest);
    WRITE_SYSREG(spsr_el2, 0x3c5);                     /* EL1h, DAIF masked */
    ISB();
    __asm__ volatile("eret");
    return 1;
}
