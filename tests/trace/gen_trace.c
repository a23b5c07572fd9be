/*
 * Writes a synthetic exit trace with a known content, for the
 * arm83emu-trace output test: on CPU 0, 10 Xen console_io hypercalls
 * (HVC #0xEA1, x16 = 18) of 100+i cycles; 4 MSR SCTLR_EL1 traps (EC 0x18)
 * of 50 cycles; 3 stage-2 data aborts writing 4 bytes at GICD+0x100 (IPA
 * 0x08000100, ISV=1) of 1000 cycles; on CPU 1 (VMID 2), 2 PSCI CPU_ON SMCs
 * of 300 cycles and one IRQ exit; then one host EL0 system call under
 * HCR_EL2.TGE of 500 cycles; then, nVHE, a host-kernel call of
 * __kvm_vcpu_run (HVC #0, x0 = 0xC600000C, Linux 6.1) of 800 cycles and a
 * guest data abort on CPU 1 that never returns (a group with no round trip).
 *
 * gen_trace --plot-wrap FILE: two exits whose cycles go backwards across
 * CPUs, the last one's cycle + 1 equal to the first's (issue 19).
 */
#include <stdio.h>
#include <string.h>

#include "arm83emu/trace.h"
#include "core/machine.h"
#include "trace/trace.h"

/* A guest runs with HCR_EL2.{IMO,FMO,VM} set (KVM's and Xen's guest
 * configuration), so the default host rule makes its exits guest exits. */
#define GUEST_HCR ((1ull << 31) | (1ull << 4) | (1ull << 3) | (1ull << 0))

/* One exit from EL1 handled at EL2 in `spent` cycles, as the CPU reports
 * it: the entry hook after PSTATE.EL became 2, the return hook after it
 * became 1 again. */
static void one(CPUState *c, uint64_t esr, uint64_t far, uint64_t hpfar, unsigned vec, uint64_t spent)
{
    c->sr[SR_ESR_EL2] = esr;
    c->sr[SR_FAR_EL2] = far;
    c->sr[SR_HPFAR_EL2] = hpfar;
    c->sr[SR_ELR_EL2] = 0x40080000;
    c->el = 2;
    trace_exception_entry(c, 1, 2, vec, c->cycles);
    c->cycles += spent;
    c->el = 1;
    trace_exception_return(c, 2, 1, 0x40080004);
    c->cycles += 10;
}

static int plot_wrap(const char *path)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    cfg.ncpus = 2;
    a83_machine *m;
    if (a83_machine_create(&cfg, &m) || a83_exit_trace_open(m, path))
        return 1;
    m->cpu[0]->sr[SR_HCR_EL2] = m->cpu[1]->sr[SR_HCR_EL2] = GUEST_HCR;
    m->cpu[0]->el = m->cpu[1]->el = 1;
    m->cpu[0]->cycles = 100;
    m->cpu[1]->cycles = 99;
    one(m->cpu[0], (0x16ull << 26) | (1ull << 25), 0, 0, A83_VEC_SYNC, 0);
    m->cpu[1]->el = 2;
    trace_exception_entry(m->cpu[1], 1, 2, A83_VEC_IRQ, 99);
    if (a83_exit_trace_close(m))
        return 1;
    a83_machine_destroy(m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--plot-wrap"))
        return plot_wrap(argv[2]);
    if (argc != 2)
        return 2;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    cfg.ncpus = 2;
    a83_machine *m;
    if (a83_machine_create(&cfg, &m) || a83_exit_trace_open(m, argv[1]))
        return 1;
    CPUState *c0 = m->cpu[0], *c1 = m->cpu[1];
    c0->sr[SR_HCR_EL2] = GUEST_HCR;
    c1->sr[SR_HCR_EL2] = GUEST_HCR;
    c0->el = c1->el = 1;
    c0->sr[SR_VTTBR_EL2] = 1ull << 48;
    c1->sr[SR_VTTBR_EL2] = 2ull << 48;
    const uint64_t IL = 1ull << 25;
    for (unsigned i = 0; i < 10; i++) {
        c0->x[16] = 18;
        one(c0, (0x16ull << 26) | IL | 0xEA1, 0, 0, A83_VEC_SYNC, 100 + i);
    }
    /* MSR SCTLR_EL1, x3: Op0=3 Op2=0 Op1=0 CRn=1 Rt=3 CRm=0 Direction=0 */
    uint64_t iss = (3u << 20) | (0u << 17) | (0u << 14) | (1u << 10) | (3u << 5) | (0u << 1) | 0;
    for (unsigned i = 0; i < 4; i++)
        one(c0, (0x18ull << 26) | IL | iss, 0, 0, A83_VEC_SYNC, 50);
    /* DABT from a lower EL, ISV=1, SAS=2 (word), SRT=5, WnR=1, DFSC=translation L3 */
    uint64_t dabt = (0x24ull << 26) | IL | (1u << 24) | (2u << 22) | (5u << 16) | (1u << 6) | 0x7;
    for (unsigned i = 0; i < 3; i++)
        one(c0, dabt, 0xffff000008000100ull, (0x08000100ull >> 12) << 4, A83_VEC_SYNC, 1000);
    for (unsigned i = 0; i < 2; i++) {
        c1->x[0] = 0xC4000003;
        one(c1, (0x17ull << 26) | IL, 0, 0, A83_VEC_SYNC, 300);
    }
    one(c1, 0, 0, 0, A83_VEC_IRQ, 77);
    /* A VHE host's own EL0 making a system call under HCR_EL2.{E2H,TGE}:
     * an exception to EL2 but not a guest exit (level 0, "host EL0 SVC"). */
    c1->sr[SR_HCR_EL2] = (1ull << 34) | (1ull << 27);
    c1->sr[SR_ESR_EL2] = (0x15ull << 26) | IL;
    c1->el = 2;
    trace_exception_entry(c1, 0, 2, A83_VEC_SYNC, c1->cycles);
    c1->cycles += 500;
    c1->el = 0;
    trace_exception_return(c1, 2, 0, 0x400000);
    /* nVHE: the host kernel at EL1 (HCR_EL2 = RW|API|APK: no IMO/FMO) calls
     * __kvm_vcpu_run; a host call, level 0, named by arm83emu-trace. */
    c1->sr[SR_HCR_EL2] = (1ull << 31) | (1ull << 41) | (1ull << 40);
    c1->el = 1;
    c1->x[0] = 0xC6000000u | 12;
    c1->sr[SR_ESR_EL2] = (0x16ull << 26) | IL;
    c1->el = 2;
    trace_exception_entry(c1, 1, 2, A83_VEC_SYNC, c1->cycles);
    c1->cycles += 800;
    c1->el = 1;
    trace_exception_return(c1, 2, 1, 0x400000);
    /* A guest data abort that never returns. */
    c1->sr[SR_HCR_EL2] = GUEST_HCR;
    c1->sr[SR_ESR_EL2] = (0x24ull << 26) | IL | 0x7;
    c1->sr[SR_HPFAR_EL2] = (0x0A000000ull >> 12) << 4;
    c1->el = 2;
    trace_exception_entry(c1, 1, 2, A83_VEC_SYNC, c1->cycles);
    if (a83_exit_trace_close(m))
        return 1;
    a83_machine_destroy(m);
    return 0;
}
