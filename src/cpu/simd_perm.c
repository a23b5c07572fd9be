/*
 * AdvSIMD permutes: ZIP1/ZIP2, UZP1/UZP2, TRN1/TRN2 ("Advanced SIMD
 * permute"), EXT ("Advanced SIMD extract"), TBL/TBX ("Advanced SIMD table
 * lookup") (Arm ARM C4.1.x; C7.2 pseudocode).
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

enum { P_UZP1 = 1, P_TRN1 = 2, P_ZIP1 = 3, P_UZP2 = 5, P_TRN2 = 6, P_ZIP2 = 7 };

int simd_perm(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_perm, Q, insn), size = FIELD(simd_perm, s, insn);
    unsigned op = FIELD(simd_perm, o, insn), rm = FIELD(simd_perm, m, insn);
    unsigned rn = FIELD(simd_perm, n, insn), rd = FIELD(simd_perm, d, insn);
    if ((op & 3) == 0 || (size == 3 && !q))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned eb = 8u << size, ne = (q ? 128 : 64) / eb, half = ne / 2, part = op >> 2;
    Vec n = vread(c, rn), m = vread(c, rm), r = { { 0, 0 } };
    switch (op & 3) {
    case 1:   /* UZP: even (UZP1) or odd (UZP2) elements of Vm:Vn */
        for (unsigned e = 0; e < ne; e++) {
            unsigned k = 2 * e + part;
            vput(&r, e, eb, k < ne ? vget(&n, k, eb) : vget(&m, k - ne, eb));
        }
        break;
    case 2:   /* TRN */
        for (unsigned p = 0; p < half; p++) {
            vput(&r, 2 * p, eb, vget(&n, 2 * p + part, eb));
            vput(&r, 2 * p + 1, eb, vget(&m, 2 * p + part, eb));
        }
        break;
    default:  /* ZIP: interleave the lower (ZIP1) or upper (ZIP2) halves */
        for (unsigned p = 0; p < half; p++) {
            vput(&r, 2 * p, eb, vget(&n, p + part * half, eb));
            vput(&r, 2 * p + 1, eb, vget(&m, p + part * half, eb));
        }
        break;
    }
    vwrite(c, rd, &r, q);
    return EXEC_NEXT;
}

int simd_ext(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_ext, Q, insn), imm4 = FIELD(simd_ext, i, insn);
    unsigned rm = FIELD(simd_ext, m, insn), rn = FIELD(simd_ext, n, insn);
    unsigned rd = FIELD(simd_ext, d, insn);
    if (!q && (imm4 & 8))
        cpu_undefined(c);
    fp_check_access(c);
    unsigned nb = q ? 16 : 8;
    uint8_t cat[32];   /* the concatenation Vm:Vn of the nb-byte vectors */
    Vec r = { { 0, 0 } };
    memcpy(cat, c->v[rn], nb);
    memcpy(cat + nb, c->v[rm], nb);
    memcpy(r.d, cat + imm4, nb);
    vwrite(c, rd, &r, q);
    return EXEC_NEXT;
}

int simd_tbl(CPUState *c, uint32_t insn)
{
    unsigned q = FIELD(simd_tbl, Q, insn), len = FIELD(simd_tbl, l, insn) + 1;
    bool tbx = FIELD(simd_tbl, o, insn);
    unsigned rm = FIELD(simd_tbl, m, insn), rn = FIELD(simd_tbl, n, insn);
    unsigned rd = FIELD(simd_tbl, d, insn);
    fp_check_access(c);
    uint8_t tab[64], idx[16], r[16];
    for (unsigned i = 0; i < len; i++)
        memcpy(tab + 16 * i, c->v[(rn + i) % 32], 16);
    memcpy(idx, c->v[rm], 16);
    if (tbx)
        memcpy(r, c->v[rd], 16);
    else
        memset(r, 0, 16);
    unsigned nb = q ? 16 : 8, lim = 16 * len;
    for (unsigned e = 0; e < nb; e++)
        if (idx[e] < lim)
            r[e] = tab[idx[e]];
    Vec v;
    memcpy(v.d, r, 16);
    vwrite(c, rd, &v, q);
    return EXEC_NEXT;
}
