/*
 * Nesting levels and L2-exit trees (docs/exit-trace.md, "Nesting levels"):
 * which guest contexts are nested guests (L2) of a guest hypervisor (L1),
 * decided from architectural state in the exit records, and which L0 exits
 * each L2 exit caused. Used live by the recorder (exit_trace.c) and on files
 * by arm83emu-trace, so both give the same answer.
 *
 * The rule (FEAT_NV, Arm ARM D8.11 and the HCR_EL2.NV description): a guest
 * hypervisor runs at "virtual EL2", i.e. at EL1 with the real HCR_EL2.NV=1,
 * so its ERET traps to EL2 with ESR_EL2.EC = 0x1A (ERET/ERETAA/ERETAB). The
 * L0 hypervisor emulates that ERET: when it targets the guest hypervisor's
 * own contexts (KVM's "hyp context": vEL2, or vEL0 with the virtual
 * HCR_EL2.{E2H,TGE}={1,1}) L0 re-enters with NV=1; when it targets the
 * guest hypervisor's guest, L0 enters it with NV=0 under a shadow stage 2
 * (another VMID). So an NV=0 guest context entered by an ERET from EL2 on a
 * CPU whose last guest exit was such an ERET trap is an L2 context, and the
 * NV=1 context that trapped is its guest hypervisor (its parent).
 */
#include <stdlib.h>
#include <string.h>

#include "arm83emu/trace.h"
#include "cpu/esr.h"
#include "core/snapio.h"

#define EC_ERET 0x1Au          /* ERET, ERETAA, ERETAB trapped (HCR_EL2.NV) */
#define NEST_MAX_L2 64         /* L2 contexts remembered */
#define NEST_MAX_TREES 64      /* L2 exits open at once (one per L2 vCPU) */

typedef struct Ctx {
    uint16_t vmid;
    uint64_t vmpidr;
} Ctx;

/* A CPU's last guest exit since the last ERET to a guest context. */
typedef struct LastExit {
    bool valid;
    bool eret_nv;          /* a trapped ERET from an NV=1 context */
    Ctx ctx;
} LastExit;

typedef struct L2Ctx {
    Ctx ctx, parent;
    uint64_t used;         /* seq of its last record: least recently used goes */
} L2Ctx;

typedef struct Tree {
    Ctx ctx, parent;
    uint64_t root;         /* seq of the L2 exit */
} Tree;

struct a83_nest {
    LastExit last[A83_MAX_CPUS];
    L2Ctx l2[NEST_MAX_L2];
    unsigned nl2;
    Tree tree[NEST_MAX_TREES];
    unsigned ntree;
};

a83_err a83_nest_new(a83_nest **out)
{
    if (!out)
        return A83_ERR_ARG;
    *out = calloc(1, sizeof **out);
    return *out ? A83_OK : A83_ERR_NOMEM;
}

void a83_nest_free(a83_nest *n)
{
    free(n);
}

static bool ctx_eq(Ctx a, Ctx b)
{
    return a.vmid == b.vmid && a.vmpidr == b.vmpidr;
}

static L2Ctx *l2_find(a83_nest *n, Ctx c)
{
    for (unsigned i = 0; i < n->nl2; i++)
        if (ctx_eq(n->l2[i].ctx, c))
            return &n->l2[i];
    return NULL;
}

static L2Ctx *l2_add(a83_nest *n, Ctx c, Ctx parent, uint64_t seq)
{
    L2Ctx *l = l2_find(n, c);
    if (!l) {
        if (n->nl2 == NEST_MAX_L2) {
            unsigned old = 0;
            for (unsigned i = 1; i < n->nl2; i++)
                if (n->l2[i].used < n->l2[old].used)
                    old = i;
            n->l2[old] = n->l2[--n->nl2];
        }
        l = &n->l2[n->nl2++];
        l->ctx = c;
    }
    l->parent = parent;
    l->used = seq;
    return l;
}

static void l2_remove(a83_nest *n, Ctx c)
{
    L2Ctx *l = l2_find(n, c);
    if (l)
        *l = n->l2[--n->nl2];
}

static Tree *tree_of(a83_nest *n, Ctx c)
{
    for (unsigned i = 0; i < n->ntree; i++)
        if (ctx_eq(n->tree[i].ctx, c))
            return &n->tree[i];
    return NULL;
}

static void tree_open(a83_nest *n, Ctx c, Ctx parent, uint64_t root)
{
    Tree *t = tree_of(n, c);   /* an L2 exit that never ended is replaced */
    if (!t) {
        if (n->ntree == NEST_MAX_TREES) {
            unsigned old = 0;
            for (unsigned i = 1; i < n->ntree; i++)
                if (n->tree[i].root < n->tree[old].root)
                    old = i;
            n->tree[old] = n->tree[--n->ntree];
        }
        t = &n->tree[n->ntree++];
    }
    t->ctx = c;
    t->parent = parent;
    t->root = root;
}

/* The open tree whose guest hypervisor context is c (the newest if several). */
static Tree *tree_with_parent(a83_nest *n, Ctx c)
{
    Tree *best = NULL;
    for (unsigned i = 0; i < n->ntree; i++)
        if (ctx_eq(n->tree[i].parent, c) && (!best || n->tree[i].root > best->root))
            best = &n->tree[i];
    return best;
}

uint64_t a83_nest_feed(a83_nest *n, a83_exit_record *r)
{
    if (!n || !r || r->level == 0 || r->cpu >= A83_MAX_CPUS)
        return A83_EXIT_NO_SEQ;
    bool entry = r->kind == A83_EXIT_ENTRY;
    if (!entry && r->kind != A83_EXIT_RETURN)
        return A83_EXIT_NO_SEQ;
    if ((entry ? r->from_el : r->to_el) >= 2)
        return A83_EXIT_NO_SEQ;
    Ctx c = { r->vmid, r->vmpidr };
    bool nv = (r->flags & A83_EXIT_FLAG_NV) != 0;
    LastExit *last = &n->last[r->cpu];
    L2Ctx *l = NULL;
    if (nv) {
        /* A context that runs with NV=1 is a guest hypervisor's (L1). */
        l2_remove(n, c);
    } else if (!entry && last->valid && last->eret_nv && !ctx_eq(last->ctx, c)) {
        /* L0 emulated the guest hypervisor's ERET into a context without NV. */
        l = l2_add(n, c, last->ctx, r->seq);
    } else {
        l = l2_find(n, c);
        if (l)
            l->used = r->seq;
    }
    r->level = l ? 2 : 1;
    if (!entry) {
        last->valid = false;
        if (l) {
            Tree *t = tree_of(n, c);   /* the L2 context runs again */
            if (t)
                *t = n->tree[--n->ntree];
        }
        return A83_EXIT_NO_SEQ;
    }
    last->valid = true;
    last->eret_nv = nv && esr_ec(r->esr) == EC_ERET && r->vector == A83_VEC_SYNC;
    last->ctx = c;
    if (l) {
        tree_open(n, c, l->parent, r->seq);
        return r->seq;
    }
    Tree *t = tree_with_parent(n, c);
    return t ? t->root : A83_EXIT_NO_SEQ;
}

/* ---- Snapshots (part of section "TRCE", docs/snapshots.md) ---------------- */

static void snap_ctx(SnapWriter *w, const Ctx *c)
{
    snap_u16(w, c->vmid);
    snap_u64(w, c->vmpidr);
}

static void unsnap_ctx(SnapReader *r, Ctx *c)
{
    c->vmid = snap_get_u16(r);
    c->vmpidr = snap_get_u64(r);
}

void nest_snap_save(const a83_nest *n, SnapWriter *w)
{
    for (unsigned i = 0; i < A83_MAX_CPUS; i++) {
        snap_bool(w, n->last[i].valid);
        snap_bool(w, n->last[i].eret_nv);
        snap_ctx(w, &n->last[i].ctx);
    }
    snap_u32(w, n->nl2);
    for (unsigned i = 0; i < n->nl2; i++) {
        snap_ctx(w, &n->l2[i].ctx);
        snap_ctx(w, &n->l2[i].parent);
        snap_u64(w, n->l2[i].used);
    }
    snap_u32(w, n->ntree);
    for (unsigned i = 0; i < n->ntree; i++) {
        snap_ctx(w, &n->tree[i].ctx);
        snap_ctx(w, &n->tree[i].parent);
        snap_u64(w, n->tree[i].root);
    }
}

void nest_snap_load(a83_nest *n, SnapReader *r)
{
    memset(n, 0, sizeof *n);
    for (unsigned i = 0; i < A83_MAX_CPUS; i++) {
        n->last[i].valid = snap_get_bool(r);
        n->last[i].eret_nv = snap_get_bool(r);
        unsnap_ctx(r, &n->last[i].ctx);
    }
    n->nl2 = (unsigned)snap_check_max(r, snap_get_u32(r), NEST_MAX_L2, "L2 contexts");
    for (unsigned i = 0; i < n->nl2; i++) {
        unsnap_ctx(r, &n->l2[i].ctx);
        unsnap_ctx(r, &n->l2[i].parent);
        n->l2[i].used = snap_get_u64(r);
    }
    n->ntree = (unsigned)snap_check_max(r, snap_get_u32(r), NEST_MAX_TREES, "open L2 exits");
    for (unsigned i = 0; i < n->ntree; i++) {
        unsnap_ctx(r, &n->tree[i].ctx);
        unsnap_ctx(r, &n->tree[i].parent);
        n->tree[i].root = snap_get_u64(r);
    }
}
