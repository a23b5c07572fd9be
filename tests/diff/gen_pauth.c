/*
 * Differential generator "pauth": the FEAT_PAuth encodings (Arm ARM C6.2)
 * with the keys disabled (SCTLR_EL1.EnIA/EnIB/EnDA/EnDB = 0 after reset in
 * both emulators; Unicorn's EL1 cannot run a PAC computation, see
 * docs/pauth.md), which checks their decode and the architected
 * "Enable == 0: return X" behaviour of AddPACxx/Authxx.
 *
 * Covered: PACIA..AUTDB and the Z forms, the HINT forms (PAC*SP, PAC*Z,
 * PAC*1716, AUT*), BRAA/BRAB/BRAAZ/BRABZ,
 * BLRAA/BLRAB/BLRAAZ/BLRABZ, RETAA/RETAB (after an ADR of a forward target),
 * LDRAA/LDRAB with and without writeback (base x28, or a scratch copy of it
 * for writeback). Not covered: PACGA (no enable: Unicorn traps it),
 * ERETAA/ERETAB (system), XPACI/XPACD/XPACLRI (Unicorn 2.0.1, i.e. QEMU 5.0,
 * executes them as NOPs when no key is enabled, but the Arm ARM's Strip has
 * no enable: they always strip), and every keyed computation. All of these
 * are checked against qemu-system-aarch64 7.2 by tests/guest/pauth.
 */
#include "diff.h"

static unsigned rnd(DiffRng *r, unsigned n) { return rng_below(r, n); }

/* Destination register where 31 is XZR: anything but x28. */
static unsigned rd_zr(DiffRng *r)
{
    unsigned d;
    do
        d = rnd(r, 32);
    while (d == DIFF_BASE_REG);
    return d;
}

/* A general-purpose register 0..30 other than x28 and `avoid`. */
static unsigned rd_gpr(DiffRng *r, unsigned avoid)
{
    unsigned d;
    do
        d = rnd(r, 31);
    while (d == DIFF_BASE_REG || d == avoid);
    return d;
}

/* ADR Xd, #imm (C6.2.10) */
static uint32_t adr(unsigned d, int32_t imm)
{
    return 0x10000000u | ((uint32_t)(imm & 3) << 29) | (((uint32_t)imm >> 2 & 0x7ffff) << 5) | d;
}

#define NOP 0xd503201fu

size_t gen_pauth(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max)
{
    size_t n = 0;
    size_t want = 8 + rnd(r, 24);
    if (want > max)
        want = max;
    while (n < want) {
        unsigned kind = rnd(r, env->mem ? 8 : 7);
        if (kind == 0 || kind == 6) {
            /* DP 1 source: opcode 00ZADB; Z forms need Rn = 31 */
            unsigned z = rnd(r, 2), op = rnd(r, 8);
            unsigned nreg = z ? 31 : rnd(r, 32);
            out[n++] = 0xdac10000u | (z << 13) | (op << 10) | (nreg << 5) | rd_zr(r);
        } else if (kind <= 2) {
            /* HINT forms: CRm = 0011 (any op2), 0001 (op2 even) */
            if (rnd(r, 2))
                out[n++] = 0xd503231fu | (rnd(r, 8) << 5);
            else
                out[n++] = 0xd503211fu | (rnd(r, 4) << 6);
        } else if (kind <= 5 && n + 2 + 2 <= max) {
            /* ADR Xn, target; branch; 0-2 skipped words; target */
            unsigned skip = rnd(r, 3);
            if (n + 2 + skip > max)
                continue;
            unsigned br = rnd(r, 3);     /* 0 BRAx/BLRAx, 1 xZ forms, 2 RETAx */
            unsigned key_b = rnd(r, 2), link = rnd(r, 2);
            unsigned nreg = br == 2 ? 30 : rd_gpr(r, 31);
            if (br == 0 && link && nreg == 30)
                nreg = 29;
            out[n++] = adr(nreg, (int32_t)(2 + skip) * 4);
            if (br == 0)         /* BRAA/BLRAA: opc 100L, Rm any (31 = SP) */
                out[n++] = 0xd71f0800u | (link << 21) | (key_b << 10) | (nreg << 5) | rnd(r, 32);
            else if (br == 1)    /* BRAAZ/BLRAAZ: opc 000L, Rm = 11111 */
                out[n++] = 0xd61f081fu | (link << 21) | (key_b << 10) | (nreg << 5);
            else                 /* RETAA/RETAB */
                out[n++] = 0xd65f0bffu | (key_b << 10);
            for (unsigned i = 0; i < skip; i++)
                out[n++] = NOP;
        } else if (kind == 7) {
            /* LDRAA/LDRAB Xt, [Xn, #simm10 * 8]{!}: every offset stays in
             * the window around x28 (+-0x800). */
            unsigned key_b = rnd(r, 2), wb = rnd(r, 2);
            int32_t imm = (int32_t)rnd(r, 512) - 256;            /* S:imm9 */
            unsigned base = DIFF_BASE_REG;
            if (wb) {
                if (n + 2 > max)
                    continue;
                base = rd_gpr(r, 31);
                out[n++] = 0x91000000u | (DIFF_BASE_REG << 5) | base;   /* ADD Xs, x28, #0 */
            }
            unsigned t = wb ? rd_gpr(r, base) : rd_zr(r);
            uint32_t s = ((uint32_t)imm >> 9) & 1, imm9 = (uint32_t)imm & 0x1ff;
            out[n++] = 0xf8200400u | (key_b << 23) | (s << 22) | (imm9 << 12) | (wb << 11) |
                       (base << 5) | t;
        }
    }
    return n;
}
