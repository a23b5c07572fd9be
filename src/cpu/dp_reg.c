/*
 * A64 "Data Processing -- Register" (Arm ARM C4.1.6, op0 = x101):
 * logical (shifted register), add/subtract (shifted and extended
 * register), add/subtract with carry, conditional compare (register and
 * immediate), conditional select, data-processing (1 source: RBIT, REV*,
 * CLZ, CLS), data-processing (2 source: UDIV, SDIV, LSLV..RORV, CRC32*)
 * and data-processing (3 source: MADD..UMULH). ARMv8.0 encodings; the
 * v8.3 PAuth 1- and 2-source forms (PACIA.., XPAC.., PACGA) belong to the
 * PAuth fragment (pauth.c), and v8.4 RMIF/SETF are unallocated.
 *
 * Register 31 is XZR everywhere here except Rd/Rn of ADD/SUB (extended
 * register), where it is SP (Rd only for the non-flag-setting forms).
 */
#include "cpu/decode.h"
#include "cpu/dp_crc_tables.h"
#include "cpu/decode_fields.h"
#include "cpu/dp_util.h"
#include "cpu/exception.h"

#define C_FLAG(c) (((c)->nzcv >> 29) & 1u)

/* ---- Logical (shifted register) (C6.2.13 AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS) */

/* imm6 bits [15:10], shift type bits [23:22]. sf == 0 with imm6<5> == 1 is
 * UNDEFINED.
 *
 * Decode-time specialisation (docs/performance.md): each instruction has one
 * handler per operand size and shift type, selected by the decode table
 * (SR_PATTERNS below), so the handler has no size test and no switch on the
 * shift type; a shift by 0 is the identity for every type. */
#define LOGIC_SR_X(NAME, EXPR, SETFLAGS, TYPE)                                   \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        unsigned amt = FIELD(NAME, i, insn);                                     \
        uint64_t a = c->x[FIELD(NAME, n, insn)];                                 \
        uint64_t b = ShiftReg64(c->x[FIELD(NAME, m, insn)], TYPE, amt);          \
        uint64_t r = (EXPR);                                                     \
        if (SETFLAGS)                                                            \
            c->nzcv = nzcv_logic64(r);                                           \
        set_x(c, FIELD(NAME, d, insn), r);                                       \
        return EXEC_NEXT;                                                        \
    }
#define LOGIC_SR_W(NAME, EXPR, SETFLAGS, TYPE)                                   \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        unsigned amt = FIELD(NAME, i, insn);                                     \
        if (unlikely(amt & 0x20))                                                \
            cpu_undefined(c);                                                    \
        uint32_t a = (uint32_t)c->x[FIELD(NAME, n, insn)];                       \
        uint32_t b = ShiftReg32((uint32_t)c->x[FIELD(NAME, m, insn)], TYPE, amt); \
        uint32_t r = (uint32_t)(EXPR);                                           \
        if (SETFLAGS)                                                            \
            c->nzcv = nzcv_logic32(r);                                           \
        set_w(c, FIELD(NAME, d, insn), r);                                       \
        return EXEC_NEXT;                                                        \
    }
#define LOGIC_SR(NAME, EXPR, SETFLAGS)                                           \
    LOGIC_SR_X(NAME##_x_lsl, EXPR, SETFLAGS, SHIFT_LSL)                          \
    LOGIC_SR_X(NAME##_x_lsr, EXPR, SETFLAGS, SHIFT_LSR)                          \
    LOGIC_SR_X(NAME##_x_asr, EXPR, SETFLAGS, SHIFT_ASR)                          \
    LOGIC_SR_X(NAME##_x_ror, EXPR, SETFLAGS, SHIFT_ROR)                          \
    LOGIC_SR_W(NAME##_w_lsl, EXPR, SETFLAGS, SHIFT_LSL)                          \
    LOGIC_SR_W(NAME##_w_lsr, EXPR, SETFLAGS, SHIFT_LSR)                          \
    LOGIC_SR_W(NAME##_w_asr, EXPR, SETFLAGS, SHIFT_ASR)                          \
    LOGIC_SR_W(NAME##_w_ror, EXPR, SETFLAGS, SHIFT_ROR)

LOGIC_SR(h_and_sr, a & b, 0)
LOGIC_SR(h_bic_sr, a & ~b, 0)
LOGIC_SR(h_orr_sr, a | b, 0)
LOGIC_SR(h_orn_sr, a | ~b, 0)
LOGIC_SR(h_eor_sr, a ^ b, 0)
LOGIC_SR(h_eon_sr, a ^ ~b, 0)
LOGIC_SR(h_ands_sr, a & b, 1)
LOGIC_SR(h_bics_sr, a & ~b, 1)

/* MOV (register) is ORR Rd, ZR, Rm with LSL #0: the commonest register
 * instruction, given its own pattern (higher priority). */
static int h_mov_x(CPUState *c, uint32_t insn)
{
    set_x(c, FIELD(h_mov_x, d, insn), c->x[FIELD(h_mov_x, m, insn)]);
    return EXEC_NEXT;
}
static int h_mov_w(CPUState *c, uint32_t insn)
{
    set_w(c, FIELD(h_mov_w, d, insn), (uint32_t)c->x[FIELD(h_mov_w, m, insn)]);
    return EXEC_NEXT;
}

/* ---- Add/subtract (shifted register) (C6.2.5 ADD, ADDS, SUB, SUBS) -------- */

/* shift == '11' is reserved, as is imm6<5> == 1 for sf == 0: UNDEFINED.
 * Specialised like the logical forms; shift == '11' decodes to the
 * catch-all h_addsub_sr_reserved (see SR_PATTERNS3). */
#define ADDSUB_SR_X(NAME, SUB, SETFLAGS, TYPE)                                   \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        unsigned amt = FIELD(NAME, i, insn);                                     \
        uint64_t a = c->x[FIELD(NAME, n, insn)], r;                              \
        uint64_t b = ShiftReg64(c->x[FIELD(NAME, m, insn)], TYPE, amt);          \
        if (SETFLAGS)                                                            \
            r = AddWithCarry64(a, SUB ? ~b : b, SUB, &c->nzcv);                  \
        else                                                                     \
            r = SUB ? a - b : a + b;                                             \
        set_x(c, FIELD(NAME, d, insn), r);                                       \
        return EXEC_NEXT;                                                        \
    }
#define ADDSUB_SR_W(NAME, SUB, SETFLAGS, TYPE)                                   \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        unsigned amt = FIELD(NAME, i, insn);                                     \
        if (unlikely(amt & 0x20))                                                \
            cpu_undefined(c);                                                    \
        uint32_t a = (uint32_t)c->x[FIELD(NAME, n, insn)], r;                    \
        uint32_t b = ShiftReg32((uint32_t)c->x[FIELD(NAME, m, insn)], TYPE, amt); \
        if (SETFLAGS)                                                            \
            r = AddWithCarry32(a, SUB ? ~b : b, SUB, &c->nzcv);                  \
        else                                                                     \
            r = SUB ? a - b : a + b;                                             \
        set_w(c, FIELD(NAME, d, insn), r);                                       \
        return EXEC_NEXT;                                                        \
    }
#define ADDSUB_SR(NAME, SUB, SETFLAGS)                                           \
    ADDSUB_SR_X(NAME##_x_lsl, SUB, SETFLAGS, SHIFT_LSL)                          \
    ADDSUB_SR_X(NAME##_x_lsr, SUB, SETFLAGS, SHIFT_LSR)                          \
    ADDSUB_SR_X(NAME##_x_asr, SUB, SETFLAGS, SHIFT_ASR)                          \
    ADDSUB_SR_W(NAME##_w_lsl, SUB, SETFLAGS, SHIFT_LSL)                          \
    ADDSUB_SR_W(NAME##_w_lsr, SUB, SETFLAGS, SHIFT_LSR)                          \
    ADDSUB_SR_W(NAME##_w_asr, SUB, SETFLAGS, SHIFT_ASR)

/* Shift type '11' (reserved): the catch-all entry of SR_PATTERNS3, so the
 * instruction keeps its name and timing class before it is UNDEFINED. */
static int h_addsub_sr_reserved(CPUState *c, uint32_t insn)
{
    (void)insn;
    cpu_undefined(c);
}

ADDSUB_SR(h_add_sr, 0, 0)
ADDSUB_SR(h_adds_sr, 0, 1)
ADDSUB_SR(h_sub_sr, 1, 0)
ADDSUB_SR(h_subs_sr, 1, 1)

/* ---- Add/subtract (extended register) (C6.2.3 ADD, ADDS, SUB, SUBS) ------- */

/* option bits [15:13], imm3 bits [12:10] (> 4 is UNDEFINED). Rn is SP at 31;
 * Rd is SP at 31 for ADD/SUB, XZR for ADDS/SUBS. */
#define ADDSUB_ER(NAME, SUB, SETFLAGS)                                           \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        unsigned shift = FIELD(NAME, i, insn), option = FIELD(NAME, o, insn);    \
        if (unlikely(shift > 4))                                                 \
            cpu_undefined(c);                                                    \
        uint64_t a = get_xsp(c, FIELD(NAME, n, insn));                           \
        uint64_t b = ExtendReg(c->x[FIELD(NAME, m, insn)], option, shift), r;    \
        if (FIELD(NAME, z, insn)) {                                              \
            if (SETFLAGS)                                                        \
                r = AddWithCarry64(a, SUB ? ~b : b, SUB, &c->nzcv);              \
            else                                                                 \
                r = SUB ? a - b : a + b;                                         \
        } else {                                                                 \
            if (SETFLAGS)                                                        \
                r = AddWithCarry32((uint32_t)a, SUB ? ~(uint32_t)b : (uint32_t)b, \
                                   SUB, &c->nzcv);                               \
            else                                                                 \
                r = (uint32_t)(SUB ? a - b : a + b);                             \
        }                                                                        \
        if (SETFLAGS)                                                            \
            set_x(c, FIELD(NAME, d, insn), r);                                   \
        else                                                                     \
            set_xsp(c, FIELD(NAME, d, insn), r);                                 \
        return EXEC_NEXT;                                                        \
    }

ADDSUB_ER(h_add_er, 0, 0)
ADDSUB_ER(h_adds_er, 0, 1)
ADDSUB_ER(h_sub_er, 1, 0)
ADDSUB_ER(h_subs_er, 1, 1)

/* ---- Add/subtract with carry (C6.2.1 ADC, ADCS, C6.2.243 SBC, SBCS) ------- */

#define ADDSUB_CARRY(NAME, SUB, SETFLAGS)                                        \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        uint64_t a = c->x[FIELD(NAME, n, insn)], b = c->x[FIELD(NAME, m, insn)]; \
        uint32_t flags;                                                          \
        if (SUB)                                                                 \
            b = ~b;                                                              \
        if (FIELD(NAME, z, insn)) {                                              \
            uint64_t r = AddWithCarry64(a, b, C_FLAG(c), &flags);                \
            set_x(c, FIELD(NAME, d, insn), r);                                   \
        } else {                                                                 \
            uint32_t r = AddWithCarry32((uint32_t)a, (uint32_t)b, C_FLAG(c), &flags); \
            set_w(c, FIELD(NAME, d, insn), r);                                   \
        }                                                                        \
        if (SETFLAGS)                                                            \
            c->nzcv = flags;                                                     \
        return EXEC_NEXT;                                                        \
    }

ADDSUB_CARRY(h_adc, 0, 0)
ADDSUB_CARRY(h_adcs, 0, 1)
ADDSUB_CARRY(h_sbc, 1, 0)
ADDSUB_CARRY(h_sbcs, 1, 1)

/* ---- Conditional compare (C6.2.49 CCMN, C6.2.51 CCMP; register and immediate) */

/* nzcv bits [3:0], cond bits [15:12]; operand 2 is Rm (register form) or
 * imm5 (bits [20:16], immediate form). */
static inline void ccmp_common(CPUState *c, unsigned cond, unsigned rn, unsigned sf,
                               uint32_t nzcv, uint64_t b, bool sub)
{
    if (ConditionHolds(cond, c->nzcv)) {
        uint64_t a = c->x[rn];
        if (sub)
            b = ~b;
        if (sf)
            AddWithCarry64(a, b, sub, &c->nzcv);
        else
            AddWithCarry32((uint32_t)a, (uint32_t)b, sub, &c->nzcv);
    } else {
        c->nzcv = nzcv << 28;
    }
}

/* Operand 2 of handler H: Rm (register form) or imm5 (immediate form). */
#define CCMP(H, B, SUB)                                                          \
    ccmp_common(c, FIELD(H, c, insn), FIELD(H, n, insn), FIELD(H, z, insn),      \
                FIELD(H, f, insn), B, SUB)

static int h_ccmn_reg(CPUState *c, uint32_t insn) { CCMP(h_ccmn_reg, c->x[FIELD(h_ccmn_reg, m, insn)], false); return EXEC_NEXT; }
static int h_ccmp_reg(CPUState *c, uint32_t insn) { CCMP(h_ccmp_reg, c->x[FIELD(h_ccmp_reg, m, insn)], true); return EXEC_NEXT; }
static int h_ccmn_imm(CPUState *c, uint32_t insn) { CCMP(h_ccmn_imm, FIELD(h_ccmn_imm, i, insn), false); return EXEC_NEXT; }
static int h_ccmp_imm(CPUState *c, uint32_t insn) { CCMP(h_ccmp_imm, FIELD(h_ccmp_imm, i, insn), true); return EXEC_NEXT; }

/* ---- Conditional select (C6.2.69 CSEL, CSINC, CSINV, CSNEG) --------------- */

#define CSEL(NAME, ELSE_EXPR)                                                    \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        uint64_t r;                                                              \
        if (ConditionHolds(FIELD(NAME, c, insn), c->nzcv)) {                     \
            r = c->x[FIELD(NAME, n, insn)];                                      \
        } else {                                                                 \
            uint64_t b = c->x[FIELD(NAME, m, insn)];                             \
            r = (ELSE_EXPR);                                                     \
        }                                                                        \
        set_x(c, FIELD(NAME, d, insn), FIELD(NAME, z, insn) ? r : (uint32_t)r);  \
        return EXEC_NEXT;                                                        \
    }

CSEL(h_csel, b)
CSEL(h_csinc, b + 1)
CSEL(h_csinv, ~b)
CSEL(h_csneg, 0 - b)

/* ---- Data-processing (1 source) (C6.2.239 RBIT, REV16, REV32, REV, CLZ, CLS) */

static inline uint64_t bitrev64(uint64_t v)
{
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0full) | ((v & 0x0f0f0f0f0f0f0f0full) << 4);
    return __builtin_bswap64(v);
}

static int h_rbit(CPUState *c, uint32_t insn)
{
    uint64_t r = bitrev64(c->x[FIELD(h_rbit, n, insn)]);
    set_x(c, FIELD(h_rbit, d, insn), FIELD(h_rbit, z, insn) ? r : r >> 32);
    return EXEC_NEXT;
}

/* REV16: bytes swapped within each halfword. */
static int h_rev16(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[FIELD(h_rev16, n, insn)];
    uint64_t r = ((v >> 8) & 0x00ff00ff00ff00ffull) | ((v & 0x00ff00ff00ff00ffull) << 8);
    set_x(c, FIELD(h_rev16, d, insn), FIELD(h_rev16, z, insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

/* opc = 10: REV32 Xd (bytes reversed within each word), or REV Wd for sf = 0. */
static int h_rev32(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[FIELD(h_rev32, n, insn)];
    uint64_t r = ((uint64_t)__builtin_bswap32((uint32_t)(v >> 32)) << 32) |
                 __builtin_bswap32((uint32_t)v);
    set_x(c, FIELD(h_rev32, d, insn), FIELD(h_rev32, z, insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

/* opc = 11: REV Xd (64-bit only). */
static int h_rev64(CPUState *c, uint32_t insn)
{
    set_x(c, FIELD(h_rev64, d, insn), __builtin_bswap64(c->x[FIELD(h_rev64, n, insn)]));
    return EXEC_NEXT;
}

static int h_clz(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[FIELD(h_clz, n, insn)];
    unsigned r;
    if (FIELD(h_clz, z, insn))
        r = v ? (unsigned)__builtin_clzll(v) : 64;
    else
        r = (uint32_t)v ? (unsigned)__builtin_clz((uint32_t)v) : 32;
    set_x(c, FIELD(h_clz, d, insn), r);
    return EXEC_NEXT;
}

/* CLS: CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>),
 * i.e. the leading zeros of x XOR (x ASR (N-1)), minus one. */
static int h_cls(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[FIELD(h_cls, n, insn)];
    unsigned r;
    if (FIELD(h_cls, z, insn)) {
        uint64_t y = v ^ (uint64_t)((int64_t)v >> 63);
        r = (y ? (unsigned)__builtin_clzll(y) : 64) - 1;
    } else {
        uint32_t y = (uint32_t)v ^ (uint32_t)((int32_t)(uint32_t)v >> 31);
        r = (y ? (unsigned)__builtin_clz(y) : 32) - 1;
    }
    set_x(c, FIELD(h_cls, d, insn), r);
    return EXEC_NEXT;
}

/* ---- Data-processing (2 source) ------------------------------------------- */

/* C6.2.340 UDIV / C6.2.247 SDIV: division by zero gives zero; the
 * pseudocode's integer division rounds towards zero, so INT_MIN / -1 is
 * INT_MIN (the mathematical 2^(N-1) truncated). */
static int h_udiv(CPUState *c, uint32_t insn)
{
    uint64_t a = c->x[FIELD(h_udiv, n, insn)], b = c->x[FIELD(h_udiv, m, insn)];
    if (FIELD(h_udiv, z, insn))
        set_x(c, FIELD(h_udiv, d, insn), b ? a / b : 0);
    else
        set_w(c, FIELD(h_udiv, d, insn), (uint32_t)b ? (uint32_t)a / (uint32_t)b : 0);
    return EXEC_NEXT;
}

static int h_sdiv(CPUState *c, uint32_t insn)
{
    uint64_t a = c->x[FIELD(h_sdiv, n, insn)], b = c->x[FIELD(h_sdiv, m, insn)];
    if (FIELD(h_sdiv, z, insn)) {
        int64_t sa = (int64_t)a, sb = (int64_t)b, r;
        if (sb == 0)
            r = 0;
        else if (sb == -1)
            r = (int64_t)(0 - a);            /* INT64_MIN / -1 wraps to INT64_MIN */
        else
            r = sa / sb;
        set_x(c, FIELD(h_sdiv, d, insn), (uint64_t)r);
    } else {
        int32_t sa = (int32_t)(uint32_t)a, sb = (int32_t)(uint32_t)b, r;
        if (sb == 0)
            r = 0;
        else if (sb == -1)
            r = (int32_t)(0u - (uint32_t)a);
        else
            r = sa / sb;
        set_w(c, FIELD(h_sdiv, d, insn), (uint32_t)r);
    }
    return EXEC_NEXT;
}

/* C6.2.176 LSLV, LSRV, ASRV, RORV: op2 bits [11:10] is the shift type;
 * the amount is Rm MOD datasize. */
static int h_shiftv(CPUState *c, uint32_t insn)
{
    unsigned type = FIELD(h_shiftv, t, insn);
    uint64_t a = c->x[FIELD(h_shiftv, n, insn)], amt = c->x[FIELD(h_shiftv, m, insn)];
    if (FIELD(h_shiftv, z, insn))
        set_x(c, FIELD(h_shiftv, d, insn), ShiftReg64(a, type, (unsigned)(amt & 63)));
    else
        set_w(c, FIELD(h_shiftv, d, insn), ShiftReg32((uint32_t)a, type, (unsigned)(amt & 31)));
    return EXEC_NEXT;
}

/* C6.2.77 CRC32B/H/W/X, C6.2.78 CRC32CB/H/W/X: sz bits [11:10] gives the
 * size of Rm's data (8 << sz bits), C bit 12 selects CRC-32C. sf must be 1
 * exactly when sz = 11. The pseudocode's BitReverse(Poly32Mod2(...)) form
 * is the reflected CRC without pre/post inversion, processed LSB first. */
static inline int crc32_common(CPUState *c, unsigned sf, unsigned sz, unsigned C, unsigned rn,
                               unsigned rm, unsigned rd)
{
    if (unlikely(!has_feat(c, FEAT_CRC32) || (sf != (sz == 3))))
        cpu_undefined(c);
    const uint32_t *tab = C ? crc32c_table : crc32_table;
    uint32_t acc = (uint32_t)c->x[rn];
    uint64_t val = c->x[rm];
    for (unsigned i = 0; i < (1u << sz); i++) {
        acc = (acc >> 8) ^ tab[(acc ^ (uint32_t)val) & 0xff];
        val >>= 8;
    }
    set_w(c, rd, acc);
    return EXEC_NEXT;
}

/* One handler per sf (the rows fix it): CRC32{,C}{B,H,W} and CRC32{,C}X. */
static int h_crc32_w(CPUState *c, uint32_t insn)
{
    return crc32_common(c, 0, FIELD(h_crc32_w, s, insn), FIELD(h_crc32_w, c, insn),
                        FIELD(h_crc32_w, n, insn), FIELD(h_crc32_w, m, insn),
                        FIELD(h_crc32_w, d, insn));
}

static int h_crc32_x(CPUState *c, uint32_t insn)
{
    return crc32_common(c, 1, 3, FIELD(h_crc32_x, c, insn), FIELD(h_crc32_x, n, insn),
                        FIELD(h_crc32_x, m, insn), FIELD(h_crc32_x, d, insn));
}

/* ---- Data-processing (3 source) (C6.2.180 MADD, MSUB, SMADDL, SMSUBL, SMULH,
 *      UMADDL, UMSUBL, UMULH) ------------------------------------------------ */

static int h_madd(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[FIELD(h_madd, a, insn)] +
                 c->x[FIELD(h_madd, n, insn)] * c->x[FIELD(h_madd, m, insn)];
    set_x(c, FIELD(h_madd, d, insn), FIELD(h_madd, z, insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static int h_msub(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[FIELD(h_msub, a, insn)] -
                 c->x[FIELD(h_msub, n, insn)] * c->x[FIELD(h_msub, m, insn)];
    set_x(c, FIELD(h_msub, d, insn), FIELD(h_msub, z, insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static inline uint64_t smull_w(uint64_t n, uint64_t m)
{
    return (uint64_t)((int64_t)(int32_t)(uint32_t)n * (int64_t)(int32_t)(uint32_t)m);
}
static inline uint64_t umull_w(uint64_t n, uint64_t m)
{
    return (uint64_t)(uint32_t)n * (uint32_t)m;
}

/* Xd = Xa OP MUL(Wn, Wm) for handler H (rows "1 00 11011 U op31 Rm o0 Ra Rn Rd"). */
#define MULL(H, OP, MUL)                                                         \
    set_x(c, FIELD(H, d, insn),                                                  \
          c->x[FIELD(H, a, insn)] OP MUL(c->x[FIELD(H, n, insn)], c->x[FIELD(H, m, insn)]))

static int h_smaddl(CPUState *c, uint32_t insn) { MULL(h_smaddl, +, smull_w); return EXEC_NEXT; }
static int h_smsubl(CPUState *c, uint32_t insn) { MULL(h_smsubl, -, smull_w); return EXEC_NEXT; }
static int h_umaddl(CPUState *c, uint32_t insn) { MULL(h_umaddl, +, umull_w); return EXEC_NEXT; }
static int h_umsubl(CPUState *c, uint32_t insn) { MULL(h_umsubl, -, umull_w); return EXEC_NEXT; }

/* SMULH/UMULH: Ra is (1)(1)(1)(1)(1) (should-be-one); other values are
 * CONSTRAINED UNPREDICTABLE and this implementation ignores the field. */
static int h_smulh(CPUState *c, uint32_t insn)
{
    __int128 p = (__int128)(int64_t)c->x[FIELD(h_smulh, n, insn)] *
                 (int64_t)c->x[FIELD(h_smulh, m, insn)];
    set_x(c, FIELD(h_smulh, d, insn), (uint64_t)((unsigned __int128)p >> 64));
    return EXEC_NEXT;
}

static int h_umulh(CPUState *c, uint32_t insn)
{
    unsigned __int128 p =
        (unsigned __int128)c->x[FIELD(h_umulh, n, insn)] * c->x[FIELD(h_umulh, m, insn)];
    set_x(c, FIELD(h_umulh, d, insn), (uint64_t)(p >> 64));
    return EXEC_NEXT;
}

/* ---- Decode table (Arm ARM C4.1.6) ---------------------------------------- */

/* One entry per operand size (bit 31) and shift type (bits [23:22]) of a
 * shifted-register instruction: see LOGIC_SR. Every entry keeps the
 * instruction's name (Tarmac prints it). The add/subtract forms add a
 * lower-priority catch-all for the reserved shift type '11', so that it
 * keeps the name and timing class it had before the specialisation. */
#define SR_ENTRY(NM, OP7, N, H, SF, TT, SUFFIX)                                  \
    { NM, SF OP7 " " TT N "mmmmm iiiiiinnnnnddddd", H##SUFFIX, CLS_INT }
#define SR_PATTERNS3(NM, OP7, N, H)                                              \
    { NM, "z" OP7 " tt" N "mmmmm iiiiiinnnnnddddd", h_addsub_sr_reserved, CLS_INT, -1 }, \
    SR_ENTRY(NM, OP7, N, H, "1", "00", _x_lsl), SR_ENTRY(NM, OP7, N, H, "1", "01", _x_lsr), \
    SR_ENTRY(NM, OP7, N, H, "1", "10", _x_asr), SR_ENTRY(NM, OP7, N, H, "0", "00", _w_lsl), \
    SR_ENTRY(NM, OP7, N, H, "0", "01", _w_lsr), SR_ENTRY(NM, OP7, N, H, "0", "10", _w_asr)
#define SR_PATTERNS4(NM, OP7, N, H)                                              \
    SR_ENTRY(NM, OP7, N, H, "1", "00", _x_lsl), SR_ENTRY(NM, OP7, N, H, "1", "01", _x_lsr), \
    SR_ENTRY(NM, OP7, N, H, "1", "10", _x_asr), SR_ENTRY(NM, OP7, N, H, "0", "00", _w_lsl), \
    SR_ENTRY(NM, OP7, N, H, "0", "01", _w_lsr), SR_ENTRY(NM, OP7, N, H, "0", "10", _w_asr), \
    SR_ENTRY(NM, OP7, N, H, "1", "11", _x_ror), SR_ENTRY(NM, OP7, N, H, "0", "11", _w_ror)

const DecodePattern a64_dp_reg_patterns[] = {
    /* Logical (shifted register): sf opc 01010 shift N imm6 Rm Rn Rd */
    SR_PATTERNS4("AND_sr", "0001010", "0", h_and_sr),
    SR_PATTERNS4("BIC_sr", "0001010", "1", h_bic_sr),
    SR_PATTERNS4("ORR_sr", "0101010", "0", h_orr_sr),
    { "MOV_x",     "10101010 000mmmmm 00000011111ddddd", h_mov_x, CLS_INT, 1 },
    { "MOV_w",     "00101010 000mmmmm 00000011111ddddd", h_mov_w, CLS_INT, 1 },
    SR_PATTERNS4("ORN_sr", "0101010", "1", h_orn_sr),
    SR_PATTERNS4("EOR_sr", "1001010", "0", h_eor_sr),
    SR_PATTERNS4("EON_sr", "1001010", "1", h_eon_sr),
    SR_PATTERNS4("ANDS_sr", "1101010", "0", h_ands_sr),
    SR_PATTERNS4("BICS_sr", "1101010", "1", h_bics_sr),
    /* Add/subtract (shifted register): sf op S 01011 shift 0 imm6 Rm Rn Rd */
    SR_PATTERNS3("ADD_sr", "0001011", "0", h_add_sr),
    SR_PATTERNS3("ADDS_sr", "0101011", "0", h_adds_sr),
    SR_PATTERNS3("SUB_sr", "1001011", "0", h_sub_sr),
    SR_PATTERNS3("SUBS_sr", "1101011", "0", h_subs_sr),
    /* Add/subtract (extended register): sf op S 01011 opt=00 1 Rm option imm3 Rn Rd */
    { "ADD_er",    "z0001011 001mmmmm oooiiinnnnnddddd", h_add_er, CLS_INT },
    { "ADDS_er",   "z0101011 001mmmmm oooiiinnnnnddddd", h_adds_er, CLS_INT },
    { "SUB_er",    "z1001011 001mmmmm oooiiinnnnnddddd", h_sub_er, CLS_INT },
    { "SUBS_er",   "z1101011 001mmmmm oooiiinnnnnddddd", h_subs_er, CLS_INT },
    /* Add/subtract (with carry): sf op S 11010000 Rm 000000 Rn Rd */
    { "ADC",       "z0011010 000mmmmm 000000nnnnnddddd", h_adc, CLS_INT },
    { "ADCS",      "z0111010 000mmmmm 000000nnnnnddddd", h_adcs, CLS_INT },
    { "SBC",       "z1011010 000mmmmm 000000nnnnnddddd", h_sbc, CLS_INT },
    { "SBCS",      "z1111010 000mmmmm 000000nnnnnddddd", h_sbcs, CLS_INT },
    /* Rotate right into flags (RMIF), evaluate into flags (SETF8/16): FEAT_FlagM (v8.4), not implemented */
    /* Conditional compare: sf op 1 11010010 Rm|imm5 cond o1(reg=0/imm=1) o2=0 Rn o3=0 nzcv */
    { "CCMN_reg",  "z0111010 010mmmmm cccc00nnnnn0ffff", h_ccmn_reg, CLS_INT },
    { "CCMN_imm",  "z0111010 010iiiii cccc10nnnnn0ffff", h_ccmn_imm, CLS_INT },
    { "CCMP_reg",  "z1111010 010mmmmm cccc00nnnnn0ffff", h_ccmp_reg, CLS_INT },
    { "CCMP_imm",  "z1111010 010iiiii cccc10nnnnn0ffff", h_ccmp_imm, CLS_INT },
    /* Conditional select: sf op S=0 11010100 Rm cond op2 Rn Rd */
    { "CSEL",      "z0011010 100mmmmm cccc00nnnnnddddd", h_csel, CLS_INT },
    { "CSINC",     "z0011010 100mmmmm cccc01nnnnnddddd", h_csinc, CLS_INT },
    { "CSINV",     "z1011010 100mmmmm cccc00nnnnnddddd", h_csinv, CLS_INT },
    { "CSNEG",     "z1011010 100mmmmm cccc01nnnnnddddd", h_csneg, CLS_INT },
    /* Data-processing (1 source): sf 1 S=0 11010110 opcode2=00000 opcode Rn Rd */
    { "RBIT",      "z1011010 11000000 000000nnnnnddddd", h_rbit, CLS_INT },
    { "REV16",     "z1011010 11000000 000001nnnnnddddd", h_rev16, CLS_INT },
    { "REV32",     "z1011010 11000000 000010nnnnnddddd", h_rev32, CLS_INT },   /* REV Wd when sf = 0 */
    { "REV_x",     "11011010 11000000 000011nnnnnddddd", h_rev64, CLS_INT },
    { "CLZ",       "z1011010 11000000 000100nnnnnddddd", h_clz, CLS_INT },
    { "CLS",       "z1011010 11000000 000101nnnnnddddd", h_cls, CLS_INT },
    /* opcode2 = 00001 (PACIA, ..., XPACD): FEAT_PAuth, in the pauth fragment */
    /* Data-processing (2 source): sf 0 S=0 11010110 Rm opcode Rn Rd */
    { "UDIV",      "z0011010 110mmmmm 000010nnnnnddddd", h_udiv, CLS_DIV },
    { "SDIV",      "z0011010 110mmmmm 000011nnnnnddddd", h_sdiv, CLS_DIV },
    { "SHIFTV",    "z0011010 110mmmmm 0010ttnnnnnddddd", h_shiftv, CLS_INT },  /* LSLV LSRV ASRV RORV */
    /* PACGA (opcode 001100): FEAT_PAuth, in the pauth fragment */
    { "CRC32_w",   "00011010 110mmmmm 010cssnnnnnddddd", h_crc32_w, CLS_INT },   /* CRC32{,C}{B,H,W}; sz=11 UNDEFINED */
    { "CRC32_x",   "10011010 110mmmmm 010c11nnnnnddddd", h_crc32_x, CLS_INT },   /* CRC32{,C}X */
    /* Data-processing (3 source): sf op54=00 11011 op31 Rm o0 Ra Rn Rd */
    { "MADD",      "z0011011 000mmmmm 0aaaaannnnnddddd", h_madd, CLS_MUL },
    { "MSUB",      "z0011011 000mmmmm 1aaaaannnnnddddd", h_msub, CLS_MUL },
    { "SMADDL",    "10011011 001mmmmm 0aaaaannnnnddddd", h_smaddl, CLS_MUL },
    { "SMSUBL",    "10011011 001mmmmm 1aaaaannnnnddddd", h_smsubl, CLS_MUL },
    { "SMULH",     "10011011 010mmmmm 0aaaaannnnnddddd", h_smulh, CLS_MUL },
    { "UMADDL",    "10011011 101mmmmm 0aaaaannnnnddddd", h_umaddl, CLS_MUL },
    { "UMSUBL",    "10011011 101mmmmm 1aaaaannnnnddddd", h_umsubl, CLS_MUL },
    { "UMULH",     "10011011 110mmmmm 0aaaaannnnnddddd", h_umulh, CLS_MUL },
    { NULL, NULL, NULL, 0, 0 },
};
