/*
 * FEAT_LSE atomics and FEAT_LRCPC (Arm ARM C4.1.x "Atomic memory
 * operations", "Compare and swap", "Compare and swap pair"):
 * LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN{,A,L,AL}{B,H,,}
 * (and their ST<op> aliases, Rt = 31), SWP*, CAS*, CASP*, and LDAPR*.
 *
 * An atomic is one single-copy-atomic read-modify-write (AArch64.MemSingle
 * with AccType_ATOMICRW): it must be aligned to its size (alignment fault
 * otherwise), needs read and write permission, and is performed on the
 * translated PA. The emulator runs one PE at a time, so read, compute and
 * write on the PA are atomic with respect to the other PEs; phys_write()
 * clears the other PEs' exclusive monitors of the location (Arm ARM B2.9.5)
 * and invalidates decoded code.
 *
 * ESR_ELx.WnR for a fault on an atomic: 0 if a read of the location would
 * have generated the fault, otherwise 1 (Arm ARM D17.2.37, WnR) - so the
 * location is translated for read first, then for write. Atomics have no
 * valid instruction syndrome (ISV = 0).
 *
 * Acquire/release semantics (A, L bits) need no action: the single-threaded
 * scheduler makes every access sequentially consistent.
 */
#include "cpu/decode_fields.h"
#include "cpu/ldst_util.h"

/* Handlers referenced by the decode fragment below. */
static int h_ldop(CPUState *c, uint32_t insn);
static int h_swp(CPUState *c, uint32_t insn);
static int h_cas(CPUState *c, uint32_t insn);
static int h_casp(CPUState *c, uint32_t insn);
static int h_ldapr(CPUState *c, uint32_t insn);

const DecodePattern a64_atomic_patterns[] = {
    /* size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt (o3 = 0: LD<op>) */
    { "LDop",  "ss111000 AR1rrrrr 0ooo00nn nnnttttt", h_ldop, CLS_ATOMIC, 0 },
    /* o3 = 1, opc = 000: SWP */
    { "SWP",   "ss111000 AR1rrrrr 100000nn nnnttttt", h_swp, CLS_ATOMIC, 0 },
    /* o3 = 1, opc = 100, A = 1, R = 0, Rs = (1)(1)(1)(1)(1): LDAPR (FEAT_LRCPC) */
    { "LDAPR", "ss111000 101rrrrr 110000nn nnnttttt", h_ldapr, CLS_LOAD, 0 },
    /* size 001000 1 L 1 Rs o0 Rt2 Rn Rt: CAS (Rt2 = (1)(1)(1)(1)(1)) */
    { "CAS",   "ss001000 1L1rrrrr ouuuuunn nnnttttt", h_cas, CLS_ATOMIC, 0 },
    /* 0 sz 001000 0 L 1 Rs o0 Rt2 Rn Rt: CASP */
    { "CASP",  "0z001000 0L1rrrrr ouuuuunn nnnttttt", h_casp, CLS_ATOMIC, 0 },
    { NULL, NULL, NULL, 0, 0 },
};

/* The access flags from A (acquire) and R (release), or for CAS/CASP L
 * (acquire) and o0 (release): either makes the access ordered. */
static inline uint32_t atomic_flags(unsigned acquire, unsigned release)
{
    return MEMF_ATOMIC | MEMF_ALIGN | ((acquire | release) ? MEMF_AR : 0);
}

/**
 * Translates the location of an atomic read-modify-write of bytes (1..16)
 * at va: alignment, then read permission (WnR = 0), then write permission
 * (WnR = 1). Uses the TLB when the page already has both read and write
 * fast-path entries in the current context. Returns the PA.
 */
static uint64_t atomic_pa(CPUState *c, uint64_t va, unsigned bytes, uint32_t flags)
{
    if (unlikely(va & (bytes - 1)))
        ls_align_fault(c, va, ACC_READ, bytes, flags);
    const TLBEntry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_SIZE - 1)];
    uint64_t page = va & PAGE_MASK;
    if (likely(e->tag_r == page && e->tag_w == page))
        return tlb_pa_page(e) | (va & (PAGE_SIZE - 1));
    mem_translate(c, va, ACC_READ, bytes, flags);
    return mem_translate(c, va, ACC_WRITE, bytes, flags);
}

static inline uint64_t atomic_read(CPUState *c, uint64_t va, uint64_t pa, unsigned bytes,
                                   uint32_t flags)
{
    uint64_t v;
    if (unlikely(!phys_read(c, pa, bytes, &v)))
        ls_extabt(c, va, ACC_READ, bytes, flags);
    ls_trace(c, va, pa, bytes, v, false);
    return v;
}

static inline void atomic_write(CPUState *c, uint64_t va, uint64_t pa, unsigned bytes,
                                uint64_t v, uint32_t flags)
{
    if (unlikely(!phys_write(c, pa, bytes, v)))
        ls_extabt(c, va, ACC_WRITE, bytes, flags);
    ls_trace(c, va, pa, bytes, v, true);
}

/* Operations of the LD<op> group by opc (MemAtomicOp: ADD, BIC, EOR, ORR,
 * SMAX, SMIN, UMAX, UMIN). Operands are the low 8*bytes bits. */
enum { LDOP_ADD, LDOP_CLR, LDOP_EOR, LDOP_SET, LDOP_SMAX, LDOP_SMIN, LDOP_UMAX, LDOP_UMIN };

static inline uint64_t size_mask(unsigned bytes)
{
    return bytes == 8 ? ~0ull : (1ull << (bytes * 8)) - 1;
}

static int h_ldop(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_LSE)))
        cpu_undefined(c);
    unsigned bytes = 1u << FIELD(h_ldop, s, insn), bitsz = bytes * 8;
    uint32_t flags = atomic_flags(FIELD(h_ldop, A, insn), FIELD(h_ldop, R, insn));
    uint64_t m = size_mask(bytes);
    uint64_t va = ls_base(c, FIELD(h_ldop, n, insn)), s = c->x[FIELD(h_ldop, r, insn)] & m;
    uint64_t pa = atomic_pa(c, va, bytes, flags);
    uint64_t old = atomic_read(c, va, pa, bytes, flags), r;
    switch (FIELD(h_ldop, o, insn)) {
    case LDOP_ADD: r = old + s; break;
    case LDOP_CLR: r = old & ~s; break;
    case LDOP_EOR: r = old ^ s; break;
    case LDOP_SET: r = old | s; break;
    case LDOP_SMAX: r = sext64(old, bitsz) > sext64(s, bitsz) ? old : s; break;
    case LDOP_SMIN: r = sext64(old, bitsz) < sext64(s, bitsz) ? old : s; break;
    case LDOP_UMAX: r = old > s ? old : s; break;
    default: r = old < s ? old : s; break;        /* LDOP_UMIN */
    }
    atomic_write(c, va, pa, bytes, r & m, flags);
    set_x(c, FIELD(h_ldop, t, insn), old);
    return EXEC_NEXT;
}

/* SWP{A,L,AL}{B,H,}: Rt <- [Xn], [Xn] <- Rs. */
static int h_swp(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_LSE)))
        cpu_undefined(c);
    unsigned bytes = 1u << FIELD(h_swp, s, insn);
    uint32_t flags = atomic_flags(FIELD(h_swp, A, insn), FIELD(h_swp, R, insn));
    uint64_t va = ls_base(c, FIELD(h_swp, n, insn));
    uint64_t s = c->x[FIELD(h_swp, r, insn)] & size_mask(bytes);
    uint64_t pa = atomic_pa(c, va, bytes, flags);
    uint64_t old = atomic_read(c, va, pa, bytes, flags);
    atomic_write(c, va, pa, bytes, s, flags);
    set_x(c, FIELD(h_swp, t, insn), old);
    return EXEC_NEXT;
}

/* LDAPR{B,H,}: load-acquire RCpc register; as LDAR (an ordered single GPR
 * load with a valid syndrome, AR = 1). */
static int h_ldapr(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_LRCPC) || FIELD(h_ldapr, r, insn) != 31))
        cpu_undefined(c);
    unsigned size = FIELD(h_ldapr, s, insn), t = FIELD(h_ldapr, t, insn);
    uint64_t va = ls_base(c, FIELD(h_ldapr, n, insn));
    set_x(c, t, mem_read(c, va, 1u << size, MEMF_GPR(t, size == 3, 0) | MEMF_AR | MEMF_ALIGN));
    return EXEC_NEXT;
}

/* CAS{A,L,AL}{B,H,}: compares Rs with [Xn]; if equal, stores Rt. Rs gets
 * the old value (zero-extended) in every case. L (bit 22) = acquire,
 * o0 (bit 15) = release. A failed compare performs no write but still
 * needs write permission (the access is one AccType_ATOMICRW). */
static int h_cas(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_LSE)))
        cpu_undefined(c);
    unsigned bytes = 1u << FIELD(h_cas, s, insn), s = FIELD(h_cas, r, insn);
    uint32_t flags = atomic_flags(FIELD(h_cas, L, insn), FIELD(h_cas, o, insn));
    uint64_t m = size_mask(bytes);
    uint64_t va = ls_base(c, FIELD(h_cas, n, insn));
    uint64_t cmp = c->x[s] & m, nv = c->x[FIELD(h_cas, t, insn)] & m;
    uint64_t pa = atomic_pa(c, va, bytes, flags);
    uint64_t old = atomic_read(c, va, pa, bytes, flags);
    if (old == cmp)
        atomic_write(c, va, pa, bytes, nv, flags);
    set_x(c, s, old);
    return EXEC_NEXT;
}

/* CASP{A,L,AL} (W, X pairs): Rs:Rs+1 compared with the pair at [Xn] (Rs at
 * the lower address); if equal, Rt:Rt+1 are stored. Rs and Rt must be even
 * (odd: UNDEFINED, per the CASP decode pseudocode). */
static int h_casp(CPUState *c, uint32_t insn)
{
    unsigned s = FIELD(h_casp, r, insn), t = FIELD(h_casp, t, insn);
    if (unlikely(!has_feat(c, FEAT_LSE) || (s & 1) || (t & 1)))
        cpu_undefined(c);
    bool x64 = FIELD(h_casp, z, insn);
    uint32_t flags = atomic_flags(FIELD(h_casp, L, insn), FIELD(h_casp, o, insn));
    uint64_t va = ls_base(c, FIELD(h_casp, n, insn));
    if (!x64) {
        uint64_t cmp = (uint32_t)c->x[s] | c->x[s + 1] << 32;
        uint64_t nv = (uint32_t)c->x[t] | c->x[t + 1] << 32;
        uint64_t pa = atomic_pa(c, va, 8, flags);
        uint64_t old = atomic_read(c, va, pa, 8, flags);
        if (old == cmp)
            atomic_write(c, va, pa, 8, nv, flags);
        set_x(c, s, (uint32_t)old);
        set_x(c, s + 1, old >> 32);
        return EXEC_NEXT;
    }
    uint64_t c1 = c->x[s], c2 = c->x[s + 1], n1 = c->x[t], n2 = c->x[t + 1];
    uint64_t pa = atomic_pa(c, va, 16, flags);
    uint64_t o1 = atomic_read(c, va, pa, 8, flags);
    uint64_t o2 = atomic_read(c, va + 8, pa + 8, 8, flags);
    if (o1 == c1 && o2 == c2) {
        atomic_write(c, va, pa, 8, n1, flags);
        atomic_write(c, va + 8, pa + 8, 8, n2, flags);
    }
    set_x(c, s, o1);
    set_x(c, s + 1, o2);
    return EXEC_NEXT;
}
