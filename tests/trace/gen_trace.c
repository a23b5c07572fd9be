/*
 * Writes a synthetic exit trace with a known content, for the
 * arm83emu-trace output test: on CPU 0, 10 Xen console_io hypercalls
 * (HVC #0xEA1, x16 = 18) of 100+i cycles; 4 MSR SCTLR_EL1 traps (EC 0x18)
 * of 50 cycles; 3 stage-2 data aborts writing 4 bytes at GICD+0x100 (IPA
 * 0x08000100, ISV=1) of 1000 cycles; on CPU 1 (VMID 2), 2 PSCI CPU_ON SMCs
 * of 300 cycles and one IRQ exit; then one host EL0 system call under
 * HCR_EL2.TGE of 500 cycles.
 */
#include <stdio.h>

#include "arm83emu/trace.h"
#include "core/machine.h"
#include "trace/trace.h"

static void one(CPUState *c, uint64_t esr, uint64_t far, uint64_t hpfar, unsigned vec, uint64_t spent)
{
    c->sr[SR_ESR_EL2] = esr;
    c->sr[SR_FAR_EL2] = far;
    c->sr[SR_HPFAR_EL2] = hpfar;
    c->sr[SR_ELR_EL2] = 0x40080000;
    trace_exit_entry(c, 1, vec, c->cycles);
    c->cycles += spent;
    trace_exit_return(c, 1, 0x40080004);
    c->cycles += 10;
}

int main(int argc, char **argv)
{
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
    trace_exit_entry(c1, 0, A83_VEC_SYNC, c1->cycles);
    c1->cycles += 500;
    trace_exit_return(c1, 0, 0x400000);
    if (a83_exit_trace_close(m))
        return 1;
    a83_machine_destroy(m);
    return 0;
}
