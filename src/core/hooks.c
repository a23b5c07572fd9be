/*
 * Embedder hooks (a83_hook_add), host MMIO devices (a83_mmio_map), host
 * interrupt lines (a83_irq_set), embedder-owned RAM (a83_ram_map) and the
 * idle callback. docs/embedding.md describes the semantics and costs.
 *
 * Hooks live in one array in the order they were added; dispatch walks it
 * for the event's type. Removing a hook from inside a hook only marks it
 * dead (it is not called again); dead entries are compacted when no hook
 * is running, so the walk never sees the array move under it.
 */
#include "core/hooks.h"

#include <limits.h>
#include <stdlib.h>

#include "core/modules.h"
#include "cpu/exec.h"
#include "cpu/spsr.h"

typedef struct HookEntry {
    a83_hook id;
    unsigned type;          /* a83_hook_type */
    bool virt;              /* memory hook: range of VAs */
    bool dead;
    a83_hook_fn fn;
    void *opaque;
    uint64_t begin, end;    /* inclusive; begin > end: everything */
} HookEntry;

typedef struct HostDev {
    a83_mmio_read_fn rd;
    a83_mmio_write_fn wr;
    void *opaque;
} HostDev;

struct Hooks {
    HookEntry *e;
    unsigned n, cap, ndead;
    a83_hook next_id;
    unsigned depth;                      /* > 0 while a hook or device callback runs */
    uint64_t last_pc[A83_MAX_CPUS];      /* block detection: previous PC per CPU */
    HostDev *dev[MAX_MMIO];
    unsigned ndev;
    a83_idle_fn idle_fn;
    void *idle_opaque;
};

#define OBSERVE_MASK (HOOKBIT(A83_HOOK_CODE) | HOOKBIT(A83_HOOK_BLOCK) | \
                      HOOKBIT(A83_HOOK_MEM_READ) | HOOKBIT(A83_HOOK_MEM_WRITE))

static Hooks *hooks_get(Machine *m)
{
    if (!m->hooks) {
        Hooks *h = calloc(1, sizeof *h);
        if (!h)
            return NULL;
        h->next_id = 1;
        for (unsigned i = 0; i < A83_MAX_CPUS; i++)
            h->last_pc[i] = ~0ull;   /* never a PC - 4: the first instruction starts a block */
        m->hooks = h;
    }
    return m->hooks;
}

void hooks_destroy(Machine *m)
{
    Hooks *h = m->hooks;
    for (unsigned i = 0; i < m->nxram; i++) {
        MemBlock *b = &m->xram[i];
        for (uint64_t p = 0; b->dpages && p < b->size >> PAGE_BITS; p++)
            free(b->dpages[p]);
        free(b->dpages);
        free(b->pflags);
        memset(b, 0, sizeof *b);   /* host memory belongs to the embedder */
    }
    m->nxram = 0;
    if (!h)
        return;
    for (unsigned i = 0; i < h->ndev; i++)
        free(h->dev[i]);
    free(h->e);
    free(h);
    m->hooks = NULL;
}

static void recompute(Machine *m)
{
    Hooks *h = m->hooks;
    uint32_t mask = 0;
    for (unsigned i = 0; h && i < h->n; i++)
        if (!h->e[i].dead)
            mask |= HOOKBIT(h->e[i].type);
    m->hook_mask = mask;
    bool obs = (mask & OBSERVE_MASK) != 0;
    if (obs != m->hooks_observe) {
        m->hooks_observe = obs;
        machine_update_slow_path(m);
    }
}

static void compact(Hooks *h)
{
    if (h->depth || !h->ndead)
        return;
    unsigned k = 0;
    for (unsigned i = 0; i < h->n; i++)
        if (!h->e[i].dead)
            h->e[k++] = h->e[i];
    h->n = k;
    h->ndead = 0;
}

a83_err a83_hook_add(a83_machine *m, unsigned type, a83_hook_fn fn, void *opaque, uint64_t begin,
                     uint64_t end, a83_hook *out)
{
    if (!m || !fn)
        return A83_ERR_ARG;
    bool virt = (type & A83_HOOK_VIRT) != 0;
    type &= ~A83_HOOK_VIRT;
    if (type < A83_HOOK_CODE || type >= A83_HOOK__COUNT)
        return A83_ERR_ARG;
    if (virt && type != A83_HOOK_MEM_READ && type != A83_HOOK_MEM_WRITE)
        return A83_ERR_ARG;
    Hooks *h = hooks_get(m);
    if (!h)
        return A83_ERR_NOMEM;
    compact(h);
    if (h->n == h->cap) {
        unsigned cap = h->cap ? h->cap * 2 : 8;
        HookEntry *e = realloc(h->e, cap * sizeof *e);
        if (!e)
            return A83_ERR_NOMEM;
        h->e = e;
        h->cap = cap;
    }
    HookEntry *e = &h->e[h->n++];
    *e = (HookEntry){ .id = h->next_id++, .type = type, .virt = virt, .fn = fn, .opaque = opaque,
                      .begin = begin, .end = end };
    if (out)
        *out = e->id;
    recompute(m);
    return A83_OK;
}

a83_err a83_hook_del(a83_machine *m, a83_hook id)
{
    if (!m || !m->hooks || !id)
        return A83_ERR_ARG;
    Hooks *h = m->hooks;
    for (unsigned i = 0; i < h->n; i++) {
        if (h->e[i].id == id && !h->e[i].dead) {
            h->e[i].dead = true;
            h->ndead++;
            compact(h);
            recompute(m);
            return A83_OK;
        }
    }
    return A83_ERR_ARG;
}

static inline bool in_range(const HookEntry *e, uint64_t a)
{
    return e->begin > e->end || (a >= e->begin && a <= e->end);
}

/* Calls every live hook of ev->type whose range holds addr. Hooks added by
 * a hook are not called for the event that is being dispatched. */
static void dispatch(Machine *m, a83_hook_event *ev, uint64_t addr, bool virt_addr_ok, uint64_t vaddr)
{
    Hooks *h = m->hooks;
    if (!h)
        return;
    unsigned n = h->n;
    h->depth++;
    for (unsigned i = 0; i < n; i++) {
        const HookEntry *e = &h->e[i];
        if (e->dead || e->type != (unsigned)ev->type)
            continue;
        if (!in_range(e, (virt_addr_ok && e->virt) ? vaddr : addr))
            continue;
        a83_hook_fn fn = e->fn;
        void *opaque = e->opaque;
        fn(m, ev, opaque);   /* may add hooks: h->e may move, so re-index */
    }
    h->depth--;
    if (!h->depth && h->ndead) {
        compact(h);
        recompute(m);
    }
}

void hooks_code(CPUState *c, uint64_t pc, uint32_t insn, uint64_t pa)
{
    Machine *m = c->m;
    Hooks *h = m->hooks;
    if (!h)
        return;
    a83_hook_event ev = { .cpu = c->index, .pc = pc, .va = pc, .pa = pa, .insn = insn, .size = 4 };
    bool block = h->last_pc[c->index] + 4 != pc;
    h->last_pc[c->index] = pc;
    if (block && (m->hook_mask & HOOKBIT(A83_HOOK_BLOCK))) {
        ev.type = A83_HOOK_BLOCK;
        dispatch(m, &ev, pc, false, 0);
    }
    if (m->hook_mask & HOOKBIT(A83_HOOK_CODE)) {
        ev.type = A83_HOOK_CODE;
        dispatch(m, &ev, pc, false, 0);
    }
}

void hooks_mem(CPUState *c, uint64_t va, uint64_t pa, unsigned size, uint64_t val, bool write)
{
    a83_hook_event ev = { .type = write ? A83_HOOK_MEM_WRITE : A83_HOOK_MEM_READ, .cpu = c->index,
                          .pc = c->pc, .va = va, .pa = pa, .value = val, .size = size,
                          .write = write };
    if (c->m->hook_mask & HOOKBIT(ev.type))
        dispatch(c->m, &ev, pa, true, va);
}

void hooks_exception(CPUState *c, unsigned from_el, unsigned vect_offset, uint64_t preferred_return,
                     uint64_t esr)
{
    a83_hook_event ev = { .type = A83_HOOK_EXCEPTION, .cpu = c->index, .pc = preferred_return,
                          .va = c->pc, .value = esr, .from_el = from_el, .to_el = c->el,
                          .vector = vect_offset };
    if (c->m->hooks)
        c->m->hooks->last_pc[c->index] = ~0ull;   /* the vector starts a block */
    dispatch(c->m, &ev, c->pc, false, 0);
}

void hooks_eret(CPUState *c, uint64_t new_pc, uint64_t spsr)
{
    a83_hook_event ev = { .type = A83_HOOK_ERET, .cpu = c->index, .pc = c->pc, .va = new_pc,
                          .value = spsr, .from_el = c->el, .to_el = spsr_m_el(spsr) };
    dispatch(c->m, &ev, new_pc, false, 0);
}

void hooks_sysreg(CPUState *c, uint32_t enc, uint64_t value, bool write)
{
    a83_hook_event ev = { .type = A83_HOOK_SYSREG, .cpu = c->index, .pc = c->pc, .value = value,
                          .insn = enc, .write = write };
    dispatch(c->m, &ev, enc, false, 0);
}

void hooks_irq_ack(CPUState *c, unsigned intid, bool is_virtual)
{
    a83_hook_event ev = { .type = A83_HOOK_IRQ_ACK, .cpu = c->index, .pc = c->pc, .value = intid,
                          .is_virtual = is_virtual };
    dispatch(c->m, &ev, intid, false, 0);
}

void hooks_idle(Machine *m, uint64_t next_event)
{
    Hooks *h = m->hooks;
    if (!h || !h->idle_fn)
        return;
    h->depth++;
    h->idle_fn(m, h->idle_opaque, m->now, next_event);
    h->depth--;
}

void a83_set_idle_callback(a83_machine *m, a83_idle_fn fn, void *opaque)
{
    if (!m)
        return;
    Hooks *h = hooks_get(m);
    if (!h)
        return;
    h->idle_fn = fn;
    h->idle_opaque = opaque;
}

/* ---- Host devices ---------------------------------------------------------- */

static bool host_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    HostDev *d = opaque;
    if (!d->rd)
        return false;
    Machine *m = cpu ? cpu->m : NULL;
    if (m && m->hooks)
        m->hooks->depth++;
    bool ok = d->rd(d->opaque, cpu ? cpu->index : UINT_MAX, off, size, val);
    if (m && m->hooks)
        m->hooks->depth--;
    if (ok && size < 8)
        *val &= (1ull << (8 * size)) - 1;
    return ok;
}

static bool host_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val)
{
    HostDev *d = opaque;
    if (!d->wr)
        return false;
    Machine *m = cpu ? cpu->m : NULL;
    if (m && m->hooks)
        m->hooks->depth++;
    bool ok = d->wr(d->opaque, cpu ? cpu->index : UINT_MAX, off, size, val);
    if (m && m->hooks)
        m->hooks->depth--;
    return ok;
}

static bool overlaps(uint64_t b0, uint64_t s0, uint64_t b1, uint64_t s1)
{
    return s0 && s1 && b0 <= b1 + (s1 - 1) && b1 <= b0 + (s0 - 1);
}

/* Does [base, base + size) overlap RAM, flash or embedder RAM? */
static bool overlaps_memory(const Machine *m, uint64_t base, uint64_t size)
{
    if (overlaps(base, size, m->ram.base, m->ram.size) ||
        (m->flash.host && overlaps(base, size, m->flash.base, m->flash.size)))
        return true;
    for (unsigned i = 0; i < m->nxram; i++)
        if (overlaps(base, size, m->xram[i].base, m->xram[i].size))
            return true;
    return false;
}

static bool overlaps_mmio(const Machine *m, uint64_t base, uint64_t size)
{
    for (unsigned i = 0; i < m->nmmio; i++)
        if (overlaps(base, size, m->mmio[i].base, m->mmio[i].size))
            return true;
    return false;
}

static void flush_all_tlbs(Machine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        cpu_tlb_flush_all(m->cpu[i]);
}

a83_err a83_mmio_map(a83_machine *m, uint64_t base, uint64_t size, a83_mmio_read_fn read_fn,
                     a83_mmio_write_fn write_fn, void *opaque)
{
    if (!m || !size || base + (size - 1) < base)
        return A83_ERR_ARG;
    Hooks *h = hooks_get(m);
    if (!h)
        return A83_ERR_NOMEM;
    if (h->depth)
        return A83_ERR_STATE;
    if (overlaps_memory(m, base, size) || overlaps_mmio(m, base, size)) {
        machine_set_error(m, "host device at 0x%llx..0x%llx overlaps memory or another device",
                          (unsigned long long)base, (unsigned long long)(base + (size - 1)));
        return A83_ERR_OVERLAP;
    }
    if (h->ndev == MAX_MMIO || m->nmmio == MAX_MMIO)
        return A83_ERR_NOMEM;
    HostDev *d = malloc(sizeof *d);
    if (!d)
        return A83_ERR_NOMEM;
    *d = (HostDev){ .rd = read_fn, .wr = write_fn, .opaque = opaque };
    MMIORegion r = { .name = "host", .base = base, .size = size, .read = host_read,
                     .write = host_write, .opaque = d };
    a83_err err = machine_add_mmio(m, &r);
    if (err) {
        free(d);
        return err;
    }
    h->dev[h->ndev++] = d;
    flush_all_tlbs(m);   /* no stale translation may point at what was unmapped */
    return A83_OK;
}

a83_err a83_irq_set(a83_machine *m, unsigned intid, bool level)
{
    if (!m || intid < A83_HOST_INTID_FIRST || intid > A83_HOST_INTID_LAST)
        return A83_ERR_ARG;
    gic_set_irq(m, intid, level, 0);
    return A83_OK;
}

a83_err a83_ram_map(a83_machine *m, uint64_t base, uint64_t size, void *host_ptr)
{
    if (!m || !host_ptr || !size || ((base | size) & (PAGE_SIZE - 1)) ||
        ((uintptr_t)host_ptr & (PAGE_SIZE - 1)) || base + (size - 1) < base)
        return A83_ERR_ARG;
    if (m->hooks && m->hooks->depth)
        return A83_ERR_STATE;
    if (overlaps_memory(m, base, size) || overlaps_mmio(m, base, size)) {
        machine_set_error(m, "host RAM at 0x%llx..0x%llx overlaps memory or a device",
                          (unsigned long long)base, (unsigned long long)(base + (size - 1)));
        return A83_ERR_OVERLAP;
    }
    if (m->nxram == MAX_XRAM)
        return A83_ERR_NOMEM;
    MemBlock *b = &m->xram[m->nxram];
    memset(b, 0, sizeof *b);
    b->base = base;
    b->size = size;
    b->host = host_ptr;
    b->pflags = calloc(size >> PAGE_BITS, 1);
    b->dpages = calloc(size >> PAGE_BITS, sizeof *b->dpages);
    if (!b->pflags || !b->dpages) {
        free(b->pflags);
        free(b->dpages);
        memset(b, 0, sizeof *b);
        return A83_ERR_NOMEM;
    }
    m->nxram++;
    flush_all_tlbs(m);
    return A83_OK;
}
