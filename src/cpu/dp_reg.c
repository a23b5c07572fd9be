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
        unsigned amt = (insn >> 10) & 0x3f;                                      \
        uint64_t a = c->x[F_RN(insn)];                                           \
        uint64_t b = ShiftReg64(c->x[F_RM(insn)], TYPE, amt);                    \
        uint64_t r = (EXPR);                                                     \
        if (SETFLAGS)                                                            \
            c->nzcv = nzcv_logic64(r);                                           \
        set_x(c, F_RD(insn), r);                                                 \
        return EXEC_NEXT;                                                        \
    }
#define LOGIC_SR_W(NAME, EXPR, SETFLAGS, TYPE)                                   \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        unsigned amt = (insn >> 10) & 0x3f;                                      \
        if (unlikely(amt & 0x20))                                                \
            cpu_undefined(c);                                                    \
        uint32_t a = (uint32_t)c->x[F_RN(insn)];                                 \
        uint32_t b = ShiftReg32((uint32_t)c->x[F_RM(insn)], TYPE, amt);          \
        uint32_t r = (uint32_t)(EXPR);                                           \
        if (SETFLAGS)                                                            \
            c->nzcv = nzcv_logic32(r);                                           \
        set_w(c, F_RD(insn), r);                                                 \
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
    set_x(c, F_RD(insn), c->x[F_RM(insn)]);
    return EXEC_NEXT;
}
static int h_mov_w(CPUState *c, uint32_t insn)
{
    set_w(c, F_RD(insn), (uint32_t)c->x[F_RM(insn)]);
    return EXEC_NEXT;
}

/* ---- Add/subtract (shifted register) (C6.2.5 ADD, ADDS, SUB, SUBS) -------- */

/* shift == '11' is reserved, as is imm6<5> == 1 for sf == 0: UNDEFINED.
 * Specialised like the logical forms; shift == '11' decodes to the
 * catch-all h_addsub_sr_reserved (see SR_PATTERNS3). */
#define ADDSUB_SR_X(NAME, SUB, SETFLAGS, TYPE)                                   \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        unsigned amt = (insn >> 10) & 0x3f;                                      \
        uint64_t a = c->x[F_RN(insn)], r;                                        \
        uint64_t b = ShiftReg64(c->x[F_RM(insn)], TYPE, amt);                    \
        if (SETFLAGS)                                                            \
            r = AddWithCarry64(a, SUB ? ~b : b, SUB, &c->nzcv);                  \
        else                                                                     \
            r = SUB ? a - b : a + b;                                             \
        set_x(c, F_RD(insn), r);                                                 \
        return EXEC_NEXT;                                                        \
    }
#define ADDSUB_SR_W(NAME, SUB, SETFLAGS, TYPE)                                   \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        unsigned amt = (insn >> 10) & 0x3f;                                      \
        if (unlikely(amt & 0x20))                                                \
            cpu_undefined(c);                                                    \
        uint32_t a = (uint32_t)c->x[F_RN(insn)], r;                              \
        uint32_t b = ShiftReg32((uint32_t)c->x[F_RM(insn)], TYPE, amt);          \
        if (SETFLAGS)                                                            \
            r = AddWithCarry32(a, SUB ? ~b : b, SUB, &c->nzcv);                  \
        else                                                                     \
            r = SUB ? a - b : a + b;                                             \
        set_w(c, F_RD(insn), r);                                                 \
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
        unsigned shift = (insn >> 10) & 7, option = (insn >> 13) & 7;            \
        if (unlikely(shift > 4))                                                 \
            cpu_undefined(c);                                                    \
        uint64_t a = get_xsp(c, F_RN(insn));                                     \
        uint64_t b = ExtendReg(c->x[F_RM(insn)], option, shift), r;              \
        if (F_SF(insn)) {                                                        \
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
            set_x(c, F_RD(insn), r);                                             \
        else                                                                     \
            set_xsp(c, F_RD(insn), r);                                           \
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
        uint64_t a = c->x[F_RN(insn)], b = c->x[F_RM(insn)];                     \
        uint32_t flags;                                                          \
        if (SUB)                                                                 \
            b = ~b;                                                              \
        if (F_SF(insn)) {                                                        \
            uint64_t r = AddWithCarry64(a, b, C_FLAG(c), &flags);                \
            set_x(c, F_RD(insn), r);                                             \
        } else {                                                                 \
            uint32_t r = AddWithCarry32((uint32_t)a, (uint32_t)b, C_FLAG(c), &flags); \
            set_w(c, F_RD(insn), r);                                             \
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
static inline void ccmp_common(CPUState *c, uint32_t insn, uint64_t b, bool sub)
{
    if (ConditionHolds(F_COND_12(insn), c->nzcv)) {
        uint64_t a = c->x[F_RN(insn)];
        if (sub)
            b = ~b;
        if (F_SF(insn))
            AddWithCarry64(a, b, sub, &c->nzcv);
        else
            AddWithCarry32((uint32_t)a, (uint32_t)b, sub, &c->nzcv);
    } else {
        c->nzcv = (insn & 0xf) << 28;
    }
}

static int h_ccmn_reg(CPUState *c, uint32_t insn) { ccmp_common(c, insn, c->x[F_RM(insn)], false); return EXEC_NEXT; }
static int h_ccmp_reg(CPUState *c, uint32_t insn) { ccmp_common(c, insn, c->x[F_RM(insn)], true); return EXEC_NEXT; }
static int h_ccmn_imm(CPUState *c, uint32_t insn) { ccmp_common(c, insn, F_RM(insn), false); return EXEC_NEXT; }
static int h_ccmp_imm(CPUState *c, uint32_t insn) { ccmp_common(c, insn, F_RM(insn), true); return EXEC_NEXT; }

/* ---- Conditional select (C6.2.69 CSEL, CSINC, CSINV, CSNEG) --------------- */

#define CSEL(NAME, ELSE_EXPR)                                                    \
    static int NAME(CPUState *c, uint32_t insn)                                  \
    {                                                                            \
        uint64_t r;                                                              \
        if (ConditionHolds(F_COND_12(insn), c->nzcv)) {                          \
            r = c->x[F_RN(insn)];                                                \
        } else {                                                                 \
            uint64_t b = c->x[F_RM(insn)];                                       \
            r = (ELSE_EXPR);                                                     \
        }                                                                        \
        set_x(c, F_RD(insn), F_SF(insn) ? r : (uint32_t)r);                      \
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
    uint64_t r = bitrev64(c->x[F_RN(insn)]);
    set_x(c, F_RD(insn), F_SF(insn) ? r : r >> 32);
    return EXEC_NEXT;
}

/* REV16: bytes swapped within each halfword. */
static int h_rev16(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[F_RN(insn)];
    uint64_t r = ((v >> 8) & 0x00ff00ff00ff00ffull) | ((v & 0x00ff00ff00ff00ffull) << 8);
    set_x(c, F_RD(insn), F_SF(insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

/* opc = 10: REV32 Xd (bytes reversed within each word), or REV Wd for sf = 0. */
static int h_rev32(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[F_RN(insn)];
    uint64_t r = ((uint64_t)__builtin_bswap32((uint32_t)(v >> 32)) << 32) |
                 __builtin_bswap32((uint32_t)v);
    set_x(c, F_RD(insn), F_SF(insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

/* opc = 11: REV Xd (64-bit only). */
static int h_rev64(CPUState *c, uint32_t insn)
{
    set_x(c, F_RD(insn), __builtin_bswap64(c->x[F_RN(insn)]));
    return EXEC_NEXT;
}

static int h_clz(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[F_RN(insn)];
    unsigned r;
    if (F_SF(insn))
        r = v ? (unsigned)__builtin_clzll(v) : 64;
    else
        r = (uint32_t)v ? (unsigned)__builtin_clz((uint32_t)v) : 32;
    set_x(c, F_RD(insn), r);
    return EXEC_NEXT;
}

/* CLS: CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>),
 * i.e. the leading zeros of x XOR (x ASR (N-1)), minus one. */
static int h_cls(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[F_RN(insn)];
    unsigned r;
    if (F_SF(insn)) {
        uint64_t y = v ^ (uint64_t)((int64_t)v >> 63);
        r = (y ? (unsigned)__builtin_clzll(y) : 64) - 1;
    } else {
        uint32_t y = (uint32_t)v ^ (uint32_t)((int32_t)(uint32_t)v >> 31);
        r = (y ? (unsigned)__builtin_clz(y) : 32) - 1;
    }
    set_x(c, F_RD(insn), r);
    return EXEC_NEXT;
}

/* ---- Data-processing (2 source) ------------------------------------------- */

/* C6.2.340 UDIV / C6.2.247 SDIV: division by zero gives zero; the
 * pseudocode's integer division rounds towards zero, so INT_MIN / -1 is
 * INT_MIN (the mathematical 2^(N-1) truncated). */
static int h_udiv(CPUState *c, uint32_t insn)
{
    uint64_t a = c->x[F_RN(insn)], b = c->x[F_RM(insn)];
    if (F_SF(insn))
        set_x(c, F_RD(insn), b ? a / b : 0);
    else
        set_w(c, F_RD(insn), (uint32_t)b ? (uint32_t)a / (uint32_t)b : 0);
    return EXEC_NEXT;
}

static int h_sdiv(CPUState *c, uint32_t insn)
{
    uint64_t a = c->x[F_RN(insn)], b = c->x[F_RM(insn)];
    if (F_SF(insn)) {
        int64_t sa = (int64_t)a, sb = (int64_t)b, r;
        if (sb == 0)
            r = 0;
        else if (sb == -1)
            r = (int64_t)(0 - a);            /* INT64_MIN / -1 wraps to INT64_MIN */
        else
            r = sa / sb;
        set_x(c, F_RD(insn), (uint64_t)r);
    } else {
        int32_t sa = (int32_t)(uint32_t)a, sb = (int32_t)(uint32_t)b, r;
        if (sb == 0)
            r = 0;
        else if (sb == -1)
            r = (int32_t)(0u - (uint32_t)a);
        else
            r = sa / sb;
        set_w(c, F_RD(insn), (uint32_t)r);
    }
    return EXEC_NEXT;
}

/* C6.2.176 LSLV, LSRV, ASRV, RORV: op2 bits [11:10] is the shift type;
 * the amount is Rm MOD datasize. */
static int h_shiftv(CPUState *c, uint32_t insn)
{
    unsigned type = (insn >> 10) & 3;
    uint64_t a = c->x[F_RN(insn)], amt = c->x[F_RM(insn)];
    if (F_SF(insn))
        set_x(c, F_RD(insn), ShiftReg64(a, type, (unsigned)(amt & 63)));
    else
        set_w(c, F_RD(insn), ShiftReg32((uint32_t)a, type, (unsigned)(amt & 31)));
    return EXEC_NEXT;
}

/* C6.2.77 CRC32B/H/W/X, C6.2.78 CRC32CB/H/W/X: sz bits [11:10] gives the
 * size of Rm's data (8 << sz bits), C bit 12 selects CRC-32C. sf must be 1
 * exactly when sz = 11. The pseudocode's BitReverse(Poly32Mod2(...)) form
 * is the reflected CRC without pre/post inversion, processed LSB first. */
static int h_crc32(CPUState *c, uint32_t insn)
{
    unsigned sz = (insn >> 10) & 3, sf = F_SF(insn);
    if (unlikely(!has_feat(c, FEAT_CRC32) || (sf != (sz == 3))))
        cpu_undefined(c);
    const uint32_t *tab = (insn >> 12) & 1 ? crc32c_table : crc32_table;
    uint32_t acc = (uint32_t)c->x[F_RN(insn)];
    uint64_t val = c->x[F_RM(insn)];
    for (unsigned i = 0; i < (1u << sz); i++) {
        acc = (acc >> 8) ^ tab[(acc ^ (uint32_t)val) & 0xff];
        val >>= 8;
    }
    set_w(c, F_RD(insn), acc);
    return EXEC_NEXT;
}

/* ---- Data-processing (3 source) (C6.2.180 MADD, MSUB, SMADDL, SMSUBL, SMULH,
 *      UMADDL, UMSUBL, UMULH) ------------------------------------------------ */

static int h_madd(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[F_RA(insn)] + c->x[F_RN(insn)] * c->x[F_RM(insn)];
    set_x(c, F_RD(insn), F_SF(insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static int h_msub(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[F_RA(insn)] - c->x[F_RN(insn)] * c->x[F_RM(insn)];
    set_x(c, F_RD(insn), F_SF(insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static inline uint64_t smull_w(CPUState *c, uint32_t insn)
{
    return (uint64_t)((int64_t)(int32_t)(uint32_t)c->x[F_RN(insn)] *
                      (int64_t)(int32_t)(uint32_t)c->x[F_RM(insn)]);
}
static inline uint64_t umull_w(CPUState *c, uint32_t insn)
{
    return (uint64_t)(uint32_t)c->x[F_RN(insn)] * (uint32_t)c->x[F_RM(insn)];
}

static int h_smaddl(CPUState *c, uint32_t insn) { set_x(c, F_RD(insn), c->x[F_RA(insn)] + smull_w(c, insn)); return EXEC_NEXT; }
static int h_smsubl(CPUState *c, uint32_t insn) { set_x(c, F_RD(insn), c->x[F_RA(insn)] - smull_w(c, insn)); return EXEC_NEXT; }
static int h_umaddl(CPUState *c, uint32_t insn) { set_x(c, F_RD(insn), c->x[F_RA(insn)] + umull_w(c, insn)); return EXEC_NEXT; }
static int h_umsubl(CPUState *c, uint32_t insn) { set_x(c, F_RD(insn), c->x[F_RA(insn)] - umull_w(c, insn)); return EXEC_NEXT; }

/* SMULH/UMULH: Ra is (1)(1)(1)(1)(1) (should-be-one); other values are
 * CONSTRAINED UNPREDICTABLE and this implementation ignores the field. */
static int h_smulh(CPUState *c, uint32_t insn)
{
    __int128 p = (__int128)(int64_t)c->x[F_RN(insn)] * (int64_t)c->x[F_RM(insn)];
    set_x(c, F_RD(insn), (uint64_t)((unsigned __int128)p >> 64));
    return EXEC_NEXT;
}

static int h_umulh(CPUState *c, uint32_t insn)
{
    unsigned __int128 p = (unsigned __int128)c->x[F_RN(insn)] * c->x[F_RM(insn)];
    set_x(c, F_RD(insn), (uint64_t)(p >> 64));
    return EXEC_NEXT;
}

/* ---- Decode table (Arm ARM C4.1.6) ---------------------------------------- */

/* One entry per operand size (bit 31) and shift type (bits [23:22]) of a
 * shifted-register instruction: see LOGIC_SR. Every entry keeps the
 * instruction's name (Tarmac prints it). The add/subtract forms add a
 * lower-priority catch-all for the reserved shift type '11', so that it
 * keeps the name and timing class it had before the specialisation. */
#define SR_ENTRY(NM, OP7, N, H, SF, TT, SUFFIX) \
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
    { "CRC32_w",   "00011010 110mmmmm 010cssnnnnnddddd", h_crc32, CLS_INT },   /* CRC32{,C}{B,H,W}; sz=11 UNDEFINED */
    { "CRC32_x",   "10011010 110mmmmm 010c11nnnnnddddd", h_crc32, CLS_INT },   /* CRC32{,C}X */
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
