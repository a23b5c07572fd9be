/*
 * The system-register index: builds a per-machine table from encoding to
 * descriptor over all fragments, and the raw accessors used by the public
 * API. The architectural access path (MRS/MSR/SYS with traps) is in
 * src/cpu/sys.c.
 */
#include "sysreg/sysreg.h"

#include <stdlib.h>
#include <strings.h>

#include "core/machine.h"

static const SysRegDesc *const fragments[] = {
    sysreg_core_table, sysreg_id_table,   sysreg_el2_table,   sysreg_mmu_table,
    sysreg_gic_table,  sysreg_timer_table, sysreg_pmu_table, sysreg_debug_table,
    sysreg_fp_table,   sysreg_pauth_table, sysreg_el2_later_table,
};

#define NFRAG (sizeof fragments / sizeof fragments[0])

/* Encoding -> descriptor for this machine: a register whose feature the
 * machine lacks is left out (sysreg_find() gives NULL), so a lookup is one
 * load, with no second one of the descriptor's feature: MRS and MSR look a
 * register up on every execution (src/cpu/sys_reg.c sys_check()). */
struct SysRegIndex {
    const SysRegDesc *by_enc[1u << 16];
};

a83_err sysreg_init(Machine *m)
{
    struct SysRegIndex *ix = calloc(1, sizeof *ix);
    if (!ix)
        return A83_ERR_NOMEM;
    for (size_t f = 0; f < NFRAG; f++)
        for (const SysRegDesc *r = fragments[f]; r->name; r++) {
            if (r->enc >= (1u << 16) || ix->by_enc[r->enc]) {
                machine_set_error(m, "system register table: duplicate encoding for %s", r->name);
                free(ix);
                return A83_ERR_CONFIG;
            }
            ix->by_enc[r->enc] = r;
        }
    for (size_t f = 0; f < NFRAG; f++)
        for (const SysRegDesc *r = fragments[f]; r->name; r++)
            if (r->feature >= 0 && !((m->feat >> r->feature) & 1))
                ix->by_enc[r->enc] = NULL;   /* after the duplicate check over all of them */
    m->sysregs = ix;
    return A83_OK;
}

void sysreg_destroy(Machine *m)
{
    free(m->sysregs);
    m->sysregs = NULL;
}

const SysRegDesc *sysreg_find(const Machine *m, uint32_t enc)
{
    if (enc >= (1u << 16))
        return NULL;
    return m->sysregs->by_enc[enc];
}

const char *sysreg_name_for_enc(uint32_t enc)
{
    for (size_t f = 0; f < NFRAG; f++)
        for (const SysRegDesc *r = fragments[f]; r->name; r++)
            if (r->enc == enc)
                return r->name;
    return NULL;
}

const SysRegDesc *sysreg_find_name(const Machine *m, const char *name)
{
    for (size_t f = 0; f < NFRAG; f++)
        for (const SysRegDesc *r = fragments[f]; r->name; r++)
            if (!strcasecmp(r->name, name))
                return sysreg_find(m, r->enc) == r ? r : NULL;
    return NULL;
}

void sysreg_reset_cpu(CPUState *c)
{
    memset(c->sr, 0, sizeof c->sr);
    for (size_t f = 0; f < NFRAG; f++)
        for (const SysRegDesc *r = fragments[f]; r->name; r++)
            if (r->slot != SR_NONE && !(r->flags & SRF_EL12))
                c->sr[r->slot] = r->reset;
}

uint64_t sysreg_read_raw(CPUState *c, const SysRegDesc *r)
{
    if (r->read)
        return r->read(c, r);
    return r->slot != SR_NONE ? c->sr[r->slot] : 0;
}

void sysreg_write_raw(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    sysreg_store(c, r, v);
    /* The PAC hints look their context up again after a write to one of
     * its registers (an EL change drops it too: cpu_update_mmu_context());
     * a world switch writes dozens of others. */
    if (sysreg_pac_input(r))
        cpu_pac_hint_drop(c);
}

uint32_t sysreg_iss(uint32_t enc, unsigned rt, bool is_read)
{
    /* ISS for EC 0x18 (Arm ARM D17.2.37): Op0[21:20] Op2[19:17] Op1[16:14]
     * CRn[13:10] Rt[9:5] CRm[4:1] Direction[0] (1 = read, MRS). */
    uint32_t op0 = (enc >> 14) & 3, op1 = (enc >> 11) & 7, crn = (enc >> 7) & 15;
    uint32_t crm = (enc >> 3) & 15, op2 = enc & 7;
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | ((rt & 31) << 5) | (crm << 1) |
           (is_read ? 1u : 0u);
}

/* ---- Public API ------------------------------------------------------------ */

/* Encodings whose MRS has a side effect, and what the API reads instead
 * (arm83emu.h a83_sysreg_read, docs/embedding.md "Registers"): an
 * acknowledge (GICv3 spec 12.2.10 ICC_IAR0_EL1, 12.2.11 ICC_IAR1_EL1) is
 * peeked through the matching HPPIR (12.2.12/13), which changes nothing. */
#define ENC_ICC_IAR0_EL1 A83_SYSREG(3, 0, 12, 8, 0)
#define ENC_ICC_HPPIR0_EL1 A83_SYSREG(3, 0, 12, 8, 2)
#define ENC_ICC_IAR1_EL1 A83_SYSREG(3, 0, 12, 12, 0)
#define ENC_ICC_HPPIR1_EL1 A83_SYSREG(3, 0, 12, 12, 2)

/* Generic-timer registers (Arm ARM D13.8): op0 = 3, CRn = 14, CRm 0..3
 * (CRm 8..15 are the PMU event counters). */
static bool is_timer_reg(uint32_t enc)
{
    return ((enc >> 14) & 3) == 3 && ((enc >> 7) & 15) == 14 && ((enc >> 3) & 15) <= 3;
}

static a83_err access_api(a83_machine *m, unsigned cpu, const SysRegDesc *r, bool wr, uint64_t *val)
{
    if (!r)
        return A83_ERR_UNKNOWN_REG;
    if (cpu >= m->ncpus || !val)
        return A83_ERR_ARG;
    if (r->flags & SRF_INSN)
        return A83_ERR_UNKNOWN_REG;
    CPUState *c = m->cpu[cpu];
    if (!wr && (r->enc == ENC_ICC_IAR0_EL1 || r->enc == ENC_ICC_IAR1_EL1)) {
        const SysRegDesc *peek =
            sysreg_find(m, r->enc == ENC_ICC_IAR0_EL1 ? ENC_ICC_HPPIR0_EL1 : ENC_ICC_HPPIR1_EL1);
        if (!peek)
            return A83_ERR_UNKNOWN_REG;
        r = peek;
    }
    /* Timer registers: the view of the register the name says, whatever
     * EL the CPU is at. The timer fragment resolves VHE redirection (E2H
     * at EL2/EL0 with TGE) from PSTATE.EL, so it is presented EL1, where no
     * redirection applies and CNTVCT_EL0 includes CNTVOFF_EL2. */
    uint8_t el = c->el;
    if (is_timer_reg(r->enc))
        c->el = 1;
    if (wr)
        sysreg_write_raw(c, r, *val);
    else
        *val = sysreg_read_raw(c, r);
    c->el = el;
    cpu_irq_masking_changed(c);
    return A83_OK;
}

a83_err a83_sysreg_read(a83_machine *m, unsigned cpu, const char *name, uint64_t *val)
{
    if (!m || !name)
        return A83_ERR_ARG;
    return access_api(m, cpu, sysreg_find_name(m, name), false, val);
}

a83_err a83_sysreg_write(a83_machine *m, unsigned cpu, const char *name, uint64_t val)
{
    if (!m || !name)
        return A83_ERR_ARG;
    return access_api(m, cpu, sysreg_find_name(m, name), true, &val);
}

a83_err a83_sysreg_read_enc(a83_machine *m, unsigned cpu, uint32_t enc, uint64_t *val)
{
    if (!m)
        return A83_ERR_ARG;
    return access_api(m, cpu, sysreg_find(m, enc), false, val);
}

a83_err a83_sysreg_write_enc(a83_machine *m, unsigned cpu, uint32_t enc, uint64_t val)
{
    if (!m)
        return A83_ERR_ARG;
    return access_api(m, cpu, sysreg_find(m, enc), true, &val);
}
