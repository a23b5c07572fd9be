/*
 * Helpers for the sys unit tests: run A64 words on a fresh machine through
 * the internal API and classify the outcome.
 */
#ifndef SYSREG_TEST_UTIL_H
#define SYSREG_TEST_UTIL_H

#include "arm83emu/arm83emu.h"
#include "core/machine.h"
#include "cpu/exec.h"
#include "sysreg/sysreg.h"

#define CODE_PA 0x40000000ull
#define VBAR1 0x40010000ull
#define VBAR2 0x40020000ull

static inline a83_machine *tm_create(bool el2, bool vhe, bool nv)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = el2;
    cfg.vhe = el2 && vhe;
    cfg.nv = el2 && nv;
    a83_machine *m = NULL;
    if (a83_machine_create(&cfg, &m) != A83_OK)
        return NULL;
    CPUState *c = m->cpu[0];
    c->sr[SR_VBAR_EL1] = VBAR1;
    c->sr[SR_VBAR_EL2] = VBAR2;
    return m;
}

/* Puts insn at CODE_PA, sets PSTATE (SPSR layout) and PC, executes one
 * instruction. */
static inline void tm_exec(a83_machine *m, uint32_t insn, uint64_t pstate)
{
    a83_phys_write(m, CODE_PA, &insn, 4);
    a83_reg_write(m, 0, A83_REG_PSTATE, pstate);
    a83_reg_write(m, 0, A83_REG_PC, CODE_PA);
    cpu_step(m->cpu[0]);
}

/* PSTATE values: EL and SP selection, all interrupts masked. */
#define PS_EL0 0x3c0ull
#define PS_EL1 0x3c5ull
#define PS_EL2 0x3c9ull

#define INSN_MRS(enc, rt) (0xd5300000u | ((enc) << 5) | (rt))
#define INSN_MSR(enc, rt) (0xd5100000u | ((enc) << 5) | (rt))

#endif
