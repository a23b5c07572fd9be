/*
 * AdvSIMD structure loads and stores (Arm ARM C4.1.x "Advanced SIMD load/
 * store multiple structures (post-indexed)", "... single structure (post-
 * indexed)"; C7.2 LD1..LD4, ST1..ST4, LD1R..LD4R; shared pseudocode
 * AArch64.SIMD LoadStoreMultipleStructures / LoadStoreSingleStructure).
 *
 * Accesses are element-sized, in architectural order, with no ISV syndrome
 * (flags 0). Loads complete every memory read before writing any register
 * (a fault longjmps out and leaves the registers unchanged); a store that
 * faults part-way may leave earlier elements written, which the
 * architecture permits. Base register 31 is SP. Post-index by register 31
 * means "by the transfer size" (the immediate form).
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"
#include "mmu/mem.h"

/** Base address: X[n], or SP with CheckSPAlignment() when n == 31 (Arm ARM
 *  D1.8.2: EC 0x26 when SCTLR_ELx.SA/SA0 is set and SP is not 16-aligned). */
static inline uint64_t simd_base(CPUState *c, unsigned n)
{
    if (n == 31) {
        if (unlikely(c->sp & 15))
            cpu_check_sp_alignment(c, c->sp);
        return c->sp;
    }
    return c->x[n];
}

/** Multiple structures: opcode -> repeat count and structure elements. */
static bool multi_layout(unsigned opcode, unsigned *rpt, unsigned *selem)
{
    switch (opcode) {
    case 0: *rpt = 1; *selem = 4; return true;    /* LD4/ST4 */
    case 2: *rpt = 4; *selem = 1; return true;    /* LD1/ST1, 4 registers */
    case 4: *rpt = 1; *selem = 3; return true;    /* LD3/ST3 */
    case 6: *rpt = 3; *selem = 1; return true;    /* LD1/ST1, 3 registers */
    case 7: *rpt = 1; *selem = 1; return true;    /* LD1/ST1, 1 register */
    case 8: *rpt = 1; *selem = 2; return true;    /* LD2/ST2 */
    case 10: *rpt = 2; *selem = 1; return true;   /* LD1/ST1, 2 registers */
    default: return false;
    }
}

/**
 * Host pointer for the len bytes at va when they lie in one page whose
 * TLB entry has the RAM fast path for this kind of access (the test
 * mem_read()/mem_write() make inline), and the element alignment rule
 * holds; NULL otherwise (the caller then makes element accesses). Within
 * one such page the accesses cannot fault, so copying the block at once is
 * indistinguishable from the architectural element-by-element order.
 */
static inline uint8_t *simd_host(CPUState *c, uint64_t va, unsigned len, unsigned ebytes,
                                 bool write)
{
    const TLBEntry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_SIZE - 1)];
    if ((va & (PAGE_SIZE - 1)) > PAGE_SIZE - len || (c->strict_align && (va & (ebytes - 1))) ||
        (write ? e->tag_w : e->tag_r) != (va & PAGE_MASK))
        return NULL;
    return (uint8_t *)(uintptr_t)(va + e->addend);
}

/* One handler per row (src/cpu/simd.c): load (L) and post-index are fixed
 * by the row and passed as constants; rm is 0 in the rows without Rm. */
static inline __attribute__((always_inline)) int ldst_multi(CPUState *c, bool load, bool post, unsigned q,
                                                        unsigned rm, unsigned opcode,
                                                        unsigned size, unsigned rn, unsigned rt)
{
    unsigned rpt, selem;
    if (!multi_layout(opcode, &rpt, &selem) || (size == 3 && !q && selem != 1))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned ebytes = 1u << size, rbytes = q ? 16 : 8, ne = rbytes / ebytes;
    unsigned nregs = rpt + selem - 1, total = rbytes * nregs;
    uint64_t addr = simd_base(c, rn);
    uint64_t offs = rm == 31 ? total : c->x[rm];
    /* buf holds the transfer in memory order: byte i is at addr + i. With
     * rpt > 1 (LD1/ST1 of several registers) selem is 1 and the registers
     * are consecutive in memory; with selem > 1, element e of register s
     * is at (e * selem + s) * ebytes. */
    uint8_t buf[64];
    Vec tmp[4];

    if (selem == 1) {
        /* LD1/ST1: registers are consecutive in memory; within one fast-path
         * page nothing can fault, so copy directly. */
        uint8_t *h = simd_host(c, addr, total, ebytes, !load);
        if (h) {
            for (unsigned k = 0; k < nregs; k++) {
                uint64_t *v = c->v[(rt + k) % 32];
                if (load && q) {
                    memcpy(v, h + 16 * k, 16);
                } else if (load) {
                    memcpy(v, h + 8 * k, 8);
                    v[1] = 0;
                } else if (q) {
                    memcpy(h + 16 * k, v, 16);
                } else {
                    memcpy(h + 8 * k, v, 8);
                }
            }
            if (post)
                set_xsp(c, rn, addr + offs);
            return EXEC_NEXT;
        }
    }
    if (load) {
        const uint8_t *h = simd_host(c, addr, total, ebytes, false);
        if (h) {
            memcpy(buf, h, total);
        } else {
            for (unsigned i = 0; i < total; i += ebytes) {
                uint64_t v = mem_read(c, addr + i, ebytes, 0);
                memcpy(buf + i, &v, ebytes);
            }
        }
        memset(tmp, 0, sizeof tmp);
        if (selem == 1) {
            for (unsigned k = 0; k < nregs; k++)
                memcpy(tmp[k].d, buf + k * rbytes, rbytes);
        } else {
            for (unsigned e = 0; e < ne; e++)
                for (unsigned s = 0; s < selem; s++)
                    memcpy((uint8_t *)tmp[s].d + e * ebytes, buf + (e * selem + s) * ebytes, ebytes);
        }
        for (unsigned k = 0; k < nregs; k++)
            vwrite(c, (rt + k) % 32, &tmp[k], q);
    } else {
        for (unsigned k = 0; k < nregs; k++)
            tmp[k] = vread(c, (rt + k) % 32);
        if (selem == 1) {
            for (unsigned k = 0; k < nregs; k++)
                memcpy(buf + k * rbytes, tmp[k].d, rbytes);
        } else {
            for (unsigned e = 0; e < ne; e++)
                for (unsigned s = 0; s < selem; s++)
                    memcpy(buf + (e * selem + s) * ebytes, (uint8_t *)tmp[s].d + e * ebytes, ebytes);
        }
        uint8_t *h = simd_host(c, addr, total, ebytes, true);
        if (h) {
            memcpy(h, buf, total);
        } else {
            for (unsigned i = 0; i < total; i += ebytes) {
                uint64_t v = 0;
                memcpy(&v, buf + i, ebytes);
                mem_write(c, addr + i, ebytes, v, 0);
            }
        }
    }
    if (post)
        set_xsp(c, rn, addr + offs);
    return EXEC_NEXT;
}

static inline __attribute__((always_inline)) int ldst_single(CPUState *c, bool load, bool post, unsigned q,
                                                         unsigned r, unsigned rm, unsigned opcode,
                                                         unsigned s, unsigned size, unsigned rn,
                                                         unsigned rt)
{
    unsigned scale = opcode >> 1, selem = ((opcode & 1) << 1 | r) + 1, index = 0;
    bool replicate = false;
    switch (scale) {
    case 3:
        if (!load || s)
            cpu_undefined(c);
        scale = size;
        replicate = true;
        break;
    case 0:
        index = q << 3 | s << 2 | size;
        break;
    case 1:
        if (size & 1)
            cpu_undefined(c);
        index = q << 2 | s << 1 | size >> 1;
        break;
    default:
        if (size & 2)
            cpu_undefined(c);
        if (!(size & 1)) {
            index = q << 1 | s;
        } else {
            if (s)
                cpu_undefined(c);
            index = q;
            scale = 3;
        }
        break;
    }
    fp_check_access(c);
    unsigned ebytes = 1u << scale, eb = 8 * ebytes;
    uint64_t addr = simd_base(c, rn);
    uint64_t offs = rm == 31 ? (uint64_t)selem * ebytes : c->x[rm];
    uint64_t base = addr, val[4];

    if (load) {
        for (unsigned k = 0; k < selem; k++, addr += ebytes)
            val[k] = mem_read(c, addr, ebytes, 0);
        for (unsigned k = 0; k < selem; k++) {
            unsigned t = (rt + k) % 32;
            if (replicate) {
                Vec v = { { 0, 0 } };
                for (unsigned e = 0; e < 128 / eb; e++)
                    vput(&v, e, eb, val[k]);
                vwrite(c, t, &v, q);
            } else {
                vreg_set_elem(c, t, index, ebytes, val[k]);
            }
        }
    } else {
        for (unsigned k = 0; k < selem; k++) {
            val[k] = vreg_elem(c, (rt + k) % 32, index, ebytes);
        }
        for (unsigned k = 0; k < selem; k++, addr += ebytes)
            mem_write(c, addr, ebytes, val[k], 0);
    }
    if (post)
        set_xsp(c, rn, base + offs);
    return EXEC_NEXT;
}

#define LDST_MULTI(NAME, LOAD, POST, RM)                                                    \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return ldst_multi(c, LOAD, POST, FIELD(NAME, Q, insn), RM, FIELD(NAME, o, insn), \
                          FIELD(NAME, s, insn), FIELD(NAME, n, insn), FIELD(NAME, t, insn)); \
    }
#define LDST_SINGLE(NAME, LOAD, POST, RM)                                                   \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return ldst_single(c, LOAD, POST, FIELD(NAME, Q, insn), FIELD(NAME, R, insn), RM, \
                           FIELD(NAME, o, insn), FIELD(NAME, S, insn), FIELD(NAME, z, insn), \
                           FIELD(NAME, n, insn), FIELD(NAME, t, insn));               \
    }
/* RM: the row's Rm field in the post-indexed rows (Rm = 31: the immediate
 * offset), 0 in the others (which have no Rm and ignore it). */
LDST_MULTI(simd_ld_multi, true, false, 0)
LDST_MULTI(simd_st_multi, false, false, 0)
LDST_MULTI(simd_ld_multi_post, true, true, FIELD(simd_ld_multi_post, m, insn))
LDST_MULTI(simd_st_multi_post, false, true, FIELD(simd_st_multi_post, m, insn))
LDST_SINGLE(simd_ld_single, true, false, 0)
LDST_SINGLE(simd_st_single, false, false, 0)
LDST_SINGLE(simd_ld_single_post, true, true, FIELD(simd_ld_single_post, m, insn))
LDST_SINGLE(simd_st_single_post, false, true, FIELD(simd_st_single_post, m, insn))
