/*
 * Tarmac instruction traces (docs/tarmac.md), in the text format of Arm's
 * Fast Models Tarmac plug-in, so existing Tarmac tools can read them:
 *
 *   <cycle> clk cpu<N> IT (<seq>) <va> <opcode> A <ELxh|ELxt> : <disassembly>
 *   <cycle> clk cpu<N> R X<n> <value>            (register writes)
 *   <cycle> clk cpu<N> R SP_EL<n> <value>
 *   <cycle> clk cpu<N> R CPSR <value>            (NZCV/PSTATE changes)
 *   <cycle> clk cpu<N> MR<size> <va>:<pa> <value> / MW<size> ...
 *   <cycle> clk cpu<N> E <va> <vector offset> EC=<ec> EL<target>
 *
 * Disassembly is Capstone's; Debian's Capstone 4 does not know some
 * v8.1-v8.3 encodings (e.g. pointer authentication): for those the name of
 * our own decode-table entry is printed instead of "unknown".
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm83emu/trace.h"
#include "core/machine.h"
#include "cpu/decode.h"
#include "cpu/pstate.h"
#include "cpu/spsr.h"
#include "trace/trace.h"

typedef struct Tarmac Tarmac;
struct Tarmac {
    FILE *f;
    csh cs;
    a83_tarmac_filter flt;
    uint64_t seq;
    /* snapshot of the instruction in flight */
    bool pending, recording;
    unsigned cpu;
    uint64_t pc;
    uint32_t insn;
    uint64_t x[31], sp;
    uint64_t pstate;
};

static bool want(const Tarmac *t, const CPUState *c)
{
    const a83_tarmac_filter *f = &t->flt;
    if (f->el_mask && !((f->el_mask >> c->el) & 1))
        return false;
    if (f->addr_hi && (c->pc < f->addr_lo || c->pc >= f->addr_hi))
        return false;
    if (c->cycles < f->cycle_lo || (f->cycle_hi && c->cycles >= f->cycle_hi))
        return false;
    return true;
}

static void emit_insn(CPUState *c, Tarmac *t)
{
    char text[256];
    cs_insn *ci = NULL;
    size_t k = cs_disasm(t->cs, (const uint8_t *)&t->insn, 4, t->pc, 1, &ci);
    if (k) {
        snprintf(text, sizeof text, "%s %s", ci[0].mnemonic, ci[0].op_str);
        cs_free(ci, k);
    } else {
        const DecodePattern *p = decoder_lookup(c->m->dec, t->insn);
        snprintf(text, sizeof text, "%s", p ? p->name : "UNDEFINED");
    }
    uint64_t ps = t->pstate;
    unsigned el = spsr_m_el(ps);
    fprintf(t->f, "%" PRIu64 " clk cpu%u IT (%" PRIu64 ") %016" PRIx64 " %08x A EL%u%c : %s\n",
            c->cycles, t->cpu, t->seq++, t->pc, t->insn, el, (ps & SPSR_M_SP) ? 'h' : 't', text);
}

void tarmac_before(CPUState *c, uint32_t insn)
{
    Tarmac *t = c->m->tarmac;
    t->pending = true;
    t->recording = want(t, c);
    t->cpu = c->index;
    t->pc = c->pc;
    t->insn = insn;
    memcpy(t->x, c->x, sizeof t->x);
    t->sp = c->sp;
    t->pstate = cpu_get_pstate(c);
    if (t->recording)
        emit_insn(c, t);
}

void tarmac_after(CPUState *c)
{
    Tarmac *t = c->m->tarmac;
    if (!t->pending)
        return;
    t->pending = false;
    if (!t->recording)
        return;
    for (int i = 0; i < 31; i++)
        if (c->x[i] != t->x[i])
            fprintf(t->f, "%" PRIu64 " clk cpu%u R X%d %016" PRIx64 "\n", c->cycles, t->cpu, i, c->x[i]);
    if (c->sp != t->sp)
        fprintf(t->f, "%" PRIu64 " clk cpu%u R SP_EL%u %016" PRIx64 "\n", c->cycles, t->cpu,
                c->spsel ? c->el : 0, c->sp);
    uint64_t ps = cpu_get_pstate(c);
    if (ps != t->pstate)
        fprintf(t->f, "%" PRIu64 " clk cpu%u R CPSR %08" PRIx64 "\n", c->cycles, t->cpu, ps);
}

void tarmac_mem(CPUState *c, uint64_t va, uint64_t pa, unsigned size, uint64_t val, bool write)
{
    Tarmac *t = c->m->tarmac;
    if (!t->pending || !t->recording)
        return;
    fprintf(t->f, "%" PRIu64 " clk cpu%u M%c%u %016" PRIx64 ":%012" PRIx64 " %0*" PRIx64 "\n", c->cycles,
            c->index, write ? 'W' : 'R', size, va, pa, (int)(2 * size), val);
}

void tarmac_exception(CPUState *c, unsigned target_el, unsigned vect, uint32_t ec)
{
    Tarmac *t = c->m->tarmac;
    bool rec = t->pending ? t->recording : want(t, c);
    t->pending = false;
    if (!rec)
        return;
    fprintf(t->f, "%" PRIu64 " clk cpu%u E %016" PRIx64 " %08x EC=%#x EL%u\n", c->cycles, c->index,
            c->pc, vect, ec, target_el);
}

a83_err a83_tarmac_open(a83_machine *m, const char *path, const a83_tarmac_filter *filter)
{
    if (!m || !path)
        return A83_ERR_ARG;
    if (m->tarmac)
        return A83_ERR_STATE;
    Tarmac *t = calloc(1, sizeof *t);
    if (!t)
        return A83_ERR_NOMEM;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &t->cs) != CS_ERR_OK) {
        free(t);
        return A83_ERR_NOMEM;
    }
    t->f = fopen(path, "w");
    if (!t->f) {
        cs_close(&t->cs);
        free(t);
        machine_set_error(m, "tarmac: cannot create %s", path);
        return A83_ERR_IO;
    }
    if (filter)
        t->flt = *filter;
    m->tarmac = t;
    m->tarmac_on = true;
    machine_update_slow_path(m);   /* every access reaches the slow path, where it is logged */
    return A83_OK;
}

a83_err a83_tarmac_close(a83_machine *m)
{
    if (!m || !m->tarmac)
        return A83_OK;
    Tarmac *t = m->tarmac;
    int rc = fclose(t->f);
    cs_close(&t->cs);
    free(t);
    m->tarmac = NULL;
    m->tarmac_on = false;
    machine_update_slow_path(m);
    return rc ? A83_ERR_IO : A83_OK;
}

void tarmac_destroy(Machine *m)
{
    a83_tarmac_close(m);
}
