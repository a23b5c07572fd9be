/*
 * Public register, memory and console accessors (arm83emu.h).
 */
#include <stdlib.h>

#include "core/machine.h"
#include "cpu/pstate.h"
#include "cpu/spsr.h"
#include "mmu/mem.h"
#include "platform/guest_loader.h"
#include "platform/platform_int.h"

static CPUState *api_cpu(a83_machine *m, unsigned cpu)
{
    return (m && cpu < m->ncpus) ? m->cpu[cpu] : NULL;
}

a83_err a83_reg_read(a83_machine *m, unsigned cpu, a83_reg reg, uint64_t *val)
{
    CPUState *c = api_cpu(m, cpu);
    if (!c || !val || (unsigned)reg >= A83_REG__COUNT)
        return A83_ERR_ARG;
    cpu_sync_sp(c);
    switch (reg) {
    case A83_REG_SP: *val = c->sp; break;
    case A83_REG_PC: *val = c->pc; break;
    case A83_REG_PSTATE: *val = cpu_get_pstate(c); break;
    case A83_REG_SP_EL0: *val = c->sp_el[0]; break;
    case A83_REG_SP_EL1: *val = c->sp_el[1]; break;
    case A83_REG_SP_EL2: *val = c->sp_el[2]; break;
    case A83_REG_NZCV: *val = c->nzcv; break;
    case A83_REG_FPCR: *val = c->fpcr; break;
    case A83_REG_FPSR: *val = c->fpsr; break;
    default: *val = c->x[reg]; break;
    }
    return A83_OK;
}

a83_err a83_reg_write(a83_machine *m, unsigned cpu, a83_reg reg, uint64_t val)
{
    CPUState *c = api_cpu(m, cpu);
    if (!c || (unsigned)reg >= A83_REG__COUNT)
        return A83_ERR_ARG;
    cpu_sync_sp(c);
    switch (reg) {
    case A83_REG_SP: c->sp = val; cpu_sync_sp(c); break;
    case A83_REG_PC: c->pc = val; break;
    case A83_REG_PSTATE:
        if ((val & SPSR_M_nRW) || spsr_m_el(val) == 3 || (val & SPSR_M_RES) ||
            (spsr_m_el(val) == 2 && !has_feat(c, FEAT_EL2)))
            return A83_ERR_ARG;   /* AArch32, EL3, reserved M[1], EL2 absent */
        cpu_set_pstate(c, val);
        break;
    case A83_REG_SP_EL0: c->sp_el[0] = val; cpu_load_sp(c); break;
    case A83_REG_SP_EL1: c->sp_el[1] = val; cpu_load_sp(c); break;
    case A83_REG_SP_EL2:
        if (!has_feat(c, FEAT_EL2))
            return A83_ERR_ARG;
        c->sp_el[2] = val;
        cpu_load_sp(c);
        break;
    case A83_REG_NZCV: c->nzcv = (uint32_t)val & 0xf0000000u; break;
    case A83_REG_FPCR: c->fpcr = (uint32_t)val; break;
    case A83_REG_FPSR: c->fpsr = (uint32_t)val; break;
    default: set_x(c, reg, val); break;
    }
    return A83_OK;
}

a83_err a83_vreg_read(a83_machine *m, unsigned cpu, unsigned n, uint64_t *lo, uint64_t *hi)
{
    CPUState *c = api_cpu(m, cpu);
    if (!c || n > 31 || !lo || !hi)
        return A83_ERR_ARG;
    *lo = c->v[n][0];
    *hi = c->v[n][1];
    return A83_OK;
}

a83_err a83_vreg_write(a83_machine *m, unsigned cpu, unsigned n, uint64_t lo, uint64_t hi)
{
    CPUState *c = api_cpu(m, cpu);
    if (!c || n > 31)
        return A83_ERR_ARG;
    c->v[n][0] = lo;
    c->v[n][1] = hi;
    return A83_OK;
}

a83_err a83_phys_read(a83_machine *m, uint64_t pa, void *buf, size_t len)
{
    if (!m || (!buf && len))
        return A83_ERR_ARG;
    const uint8_t *p = phys_host_ptr(m, pa, len);
    if (!p)
        return A83_ERR_UNMAPPED;
    memcpy(buf, p, len);
    return A83_OK;
}

a83_err a83_phys_write(a83_machine *m, uint64_t pa, const void *buf, size_t len)
{
    if (!m || (!buf && len))
        return A83_ERR_ARG;
    return machine_phys_write(m, pa, buf, len);
}

void a83_set_console(a83_machine *m, a83_console_fn fn, void *opaque)
{
    if (!m)
        return;
    m->console_fn = fn;
    m->console_opaque = opaque;
}

a83_err a83_load_module(a83_machine *m, uint64_t pa, const char *path, bool is_kernel,
                        const char *bootargs)
{
    if (!m || !path)
        return A83_ERR_ARG;
    return guest_loader_add(m, pa, path, is_kernel, bootargs);
}

a83_err a83_dtb_get(a83_machine *m, void *buf, size_t cap, size_t *size)
{
    if (!m || !size)
        return A83_ERR_ARG;
    Platform *p = m->plat;
    void *dtb = NULL;
    size_t n = 0;
    a83_err err = p->user_dtb ? fdt_patch_user(m, p->user_dtb, p->user_dtb_size, &dtb, &n)
                              : fdt_build_virt(m, &dtb, &n);
    if (err)
        return err;
    *size = n;
    if (buf && cap < n)
        err = A83_ERR_RANGE;
    else if (buf)
        memcpy(buf, dtb, n);
    free(dtb);
    return err;
}

a83_err a83_console_pending(const a83_machine *m, void *buf, size_t cap, size_t *len)
{
    if (!m || !len || (!buf && cap))
        return A83_ERR_ARG;
    const Platform *p = m->plat;
    size_t n = p->uart.in_len;
    *len = n;
    if (buf)
        memcpy(buf, p->uart.in_buf + p->uart.in_head, n < cap ? n : cap);
    return A83_OK;
}

void a83_set_rtc_epoch(a83_machine *m, uint64_t seconds)
{
    if (m)
        platform_set_rtc_epoch(m, seconds);
}
