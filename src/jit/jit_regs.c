/*
 * The translator's block-local register cache (jit_regs.h).
 */
#include "jit/jit_regs.h"

#include <stddef.h>

#include "cpu/cpu.h"

static const uint8_t slot_host[JR_SLOTS] = { X86_RDI, X86_R8,  X86_R9,  X86_R10, X86_R11,
                                             X86_RBP, X86_R12, X86_R13, X86_R14, X86_R15 };

static int32_t reg_off(unsigned g)
{
    return g == JR_SP ? (int32_t)offsetof(CPUState, sp) : (int32_t)(offsetof(CPUState, x) + 8 * g);
}

void jr_reset(JitRegs *r, X86Buf *b)
{
    r->b = b;
    for (unsigned g = 0; g < JR_NREGS; g++)
        r->slot_of[g] = -1;
    for (unsigned s = 0; s < JR_SLOTS; s++) {
        r->reg_in[s] = -1;
        r->dirty[s] = false;
        r->pinned[s] = false;
        r->used[s] = 0;
    }
    r->tick = 0;
    r->defer_nzcv = false;
    r->nzcv_kind = -1;
}

static void store_slot(const JitRegs *r, X86Buf *b, unsigned s)
{
    x86_mov_m64_r64(b, X86_RBX, reg_off((unsigned)r->reg_in[s]), slot_host[s]);
}

/* A slot for g: a free one, else the least recently used (written back
 * first when dirty). */
void jr_set_block(JitRegs *r, uint32_t *mention, const uint32_t *insns, unsigned n)
{
    static const uint8_t field_lsb[4] = { 0, 5, 10, 16 };
    for (unsigned k = 0; k < n; k++) {
        uint32_t m = 0;
        for (unsigned f = 0; f < 4; f++)
            m |= 1u << ((insns[k] >> field_lsb[f]) & 31);   /* 31: SP (XZR is never cached) */
        mention[k] = m;
    }
    r->mention = mention;
    r->nmention = n;
    r->cur = 0;
    for (unsigned g = 0; g < JR_NREGS; g++)
        r->uses[g] = 0;
}

/* Instructions from the current one to the next that may name guest
 * register g (UINT32_MAX: none in the rest of the block). */
static uint32_t next_use(const JitRegs *r, unsigned g)
{
    uint32_t bit = 1u << (g == JR_SP ? 31 : g);
    for (unsigned k = r->cur; k < r->nmention; k++)
        if (r->mention[k] & bit)
            return k - r->cur;
    return UINT32_MAX;
}

static unsigned take_slot(JitRegs *r, unsigned g)
{
    unsigned best = 0;
    uint32_t best_dist = 0;
    bool any = false, all_pinned = true;
    for (unsigned s = 0; s < JR_SLOTS; s++)
        if (r->reg_in[s] >= 0 && !r->pinned[s])
            all_pinned = false;     /* an unpinned victim exists */
    for (unsigned s = 0; s < JR_SLOTS; s++) {
        if (r->reg_in[s] < 0) {
            best = s;
            goto found;
        }
        if (r->pinned[s] && !all_pinned)
            continue;
        if (r->mention) {
            /* the furthest next use; ties: the least recently used */
            uint32_t d = next_use(r, (unsigned)r->reg_in[s]);
            if (!any || d > best_dist || (d == best_dist && r->used[s] < r->used[best])) {
                best = s;
                best_dist = d;
            }
        } else if (!any || r->used[s] < r->used[best]) {
            best = s;
        }
        any = true;
    }
    r->pinned[best] = false;
    if (r->dirty[best])
        store_slot(r, r->b, best);
    r->slot_of[r->reg_in[best]] = -1;
found:
    r->reg_in[best] = (int8_t)g;
    r->slot_of[g] = (int8_t)best;
    r->dirty[best] = false;
    return best;
}


unsigned jr_src(JitRegs *r, unsigned g)
{
    if (g == JR_XZR) {
        x86_mov_r32_imm32(r->b, X86_RSI, 0);
        return X86_RSI;
    }
    int s = r->slot_of[g];
    if (s < 0) {
        s = (int)take_slot(r, g);
        x86_mov_r64_m64(r->b, slot_host[s], X86_RBX, reg_off(g));
    }
    r->used[s] = ++r->tick;
    if (r->uses[g] < UINT16_MAX)
        r->uses[g]++;
    return slot_host[s];
}

unsigned jr_dst(JitRegs *r, unsigned g)
{
    int s = r->slot_of[g];
    if (s < 0)
        s = (int)take_slot(r, g);
    r->used[s] = ++r->tick;
    r->dirty[s] = true;
    if (r->uses[g] < UINT16_MAX)
        r->uses[g]++;
    return slot_host[s];
}

void jr_read(JitRegs *r, unsigned host, unsigned g)
{
    if (g == JR_XZR)
        x86_mov_r32_imm32(r->b, host, 0);   /* (not XOR: the flags stay) */
    else
        x86_mov_r64_r64(r->b, host, jr_src(r, g));
}

void jr_write(JitRegs *r, unsigned g, unsigned host)
{
    x86_mov_r64_r64(r->b, jr_dst(r, g), host);
}

void jr_mirror(const JitRegs *r, unsigned g, unsigned host)
{
    if (r->slot_of[g] >= 0)
        x86_mov_r64_r64(r->b, slot_host[r->slot_of[g]], host);
}

void jr_peek(const JitRegs *r, unsigned host, unsigned g)
{
    if (g == JR_XZR)
        x86_mov_r32_imm32(r->b, host, 0);
    else if (r->slot_of[g] >= 0)
        x86_mov_r64_r64(r->b, host, slot_host[r->slot_of[g]]);
    else
        x86_mov_r64_m64(r->b, host, X86_RBX, reg_off(g));
}


void jr_flush(JitRegs *r)
{
    jr_writeback(r, r->b);
    for (unsigned s = 0; s < JR_SLOTS; s++)
        r->dirty[s] = false;
}

void jr_writeback(const JitRegs *s, X86Buf *b)
{
    for (unsigned k = 0; k < JR_SLOTS; k++)
        if (s->reg_in[k] >= 0 && s->dirty[k])
            store_slot(s, b, k);
}

void jr_reload(const JitRegs *s, X86Buf *b)
{
    for (unsigned k = 0; k < JR_SLOTS; k++)
        if (s->reg_in[k] >= 0)
            x86_mov_r64_m64(b, slot_host[k], X86_RBX, reg_off((unsigned)s->reg_in[k]));
}

void jr_enter(X86Buf *b, const int8_t want[JR_SLOTS], const JitRegs *have)
{
    for (unsigned k = 0; k < JR_SLOTS; k++)
        if (want[k] >= 0 && (!have || have->reg_in[k] != want[k]))
            x86_mov_r64_m64(b, slot_host[k], X86_RBX, reg_off((unsigned)want[k]));
}

void jr_preset(JitRegs *r, const int8_t want[JR_SLOTS])
{
    jr_reset(r, r->b);
    jr_enter(r->b, want, NULL);
    for (unsigned k = 0; k < JR_SLOTS; k++) {
        if (want[k] < 0)
            continue;
        r->reg_in[k] = want[k];
        r->slot_of[want[k]] = (int8_t)k;
        r->pinned[k] = true;
        r->used[k] = ++r->tick;
    }
}

void jr_pick_pins(const JitRegs *r, int8_t want[JR_SLOTS])
{
    unsigned count = 0;
    for (unsigned g = 0; g < JR_NREGS; g++)
        count += r->uses[g] > 0;
    unsigned npins = count <= JR_SLOTS ? count : JR_PINS;
    bool taken[JR_NREGS] = { false };
    for (unsigned k = 0; k < JR_SLOTS; k++) {
        want[k] = -1;
        if (k >= npins)
            continue;
        int best = -1;
        for (unsigned g = 0; g < JR_NREGS; g++)
            if (r->uses[g] && !taken[g] && (best < 0 || r->uses[g] > r->uses[best]))
                best = (int)g;
        taken[best] = true;
        want[k] = (int8_t)best;
    }
}

unsigned jr_live_caller_saved(const JitRegs *s, unsigned hosts[JR_SLOTS])
{
    unsigned n = 0;
    for (unsigned k = 0; k < JR_SLOTS; k++) {
        unsigned h = slot_host[k];
        bool caller_saved = h == X86_RDI || (h >= X86_R8 && h <= X86_R11);
        if (caller_saved && s->reg_in[k] >= 0)
            hosts[n++] = h;
    }
    return n;
}
