/*
 * A64 "Data Processing -- Immediate" (Arm ARM C4.1.2, op0 = x100x):
 * PC-relative addressing (ADR, ADRP), add/subtract (immediate), logical
 * (immediate), move wide (immediate), bitfield (SBFM, BFM, UBFM) and
 * extract (EXTR). ARMv8.0 encodings; the v8.5 add/subtract with tags
 * (ADDG/SUBG, op0<25:23> = 011) is unallocated here.
 *
 * Register 31 is SP for Rd/Rn of ADD/SUB (immediate) and for Rd of
 * AND/ORR/EOR (immediate); it is XZR everywhere else.
 */
#include "cpu/decode.h"
#include "cpu/decode_fields.h"
#include "cpu/dp_util.h"
#include "cpu/exception.h"

/* ---- PC-relative addressing (C6.2.10 ADR, C6.2.11 ADRP) ----------------- */

static int h_adr(CPUState *c, uint32_t insn)
{
    set_x(c, FIELD(h_adr, d, insn),
          c->pc + (uint64_t)adr_imm(FIELD(h_adr, h, insn), FIELD(h_adr, l, insn)));
    return EXEC_NEXT;
}

static int h_adrp(CPUState *c, uint32_t insn)
{
    set_x(c, FIELD(h_adrp, d, insn),
          (c->pc & ~0xfffull) +
              ((uint64_t)adr_imm(FIELD(h_adrp, h, insn), FIELD(h_adrp, l, insn)) << 12));
    return EXEC_NEXT;
}

/* ---- Add/subtract (immediate) (C6.2.4 ADD, C6.2.8 ADDS, C6.2.310 SUB, SUBS) */

/* imm12 with sh applied: LSL #0 or LSL #12. */
static inline uint64_t addsub_imm(uint32_t imm12, uint32_t sh)
{
    return (uint64_t)imm12 << (sh ? 12 : 0);
}

/* The operands of handler H (rows "sf op S 100010 sh imm12 Rn Rd"). */
#define ADDSUB_RD(H) FIELD(H, d, insn)
#define ADDSUB_RN(H) FIELD(H, n, insn)
#define ADDSUB_IMM12(H) addsub_imm(FIELD(H, i, insn), FIELD(H, h, insn))

/* One handler per operand size (decode-time specialisation, see
 * docs/performance.md): the decode table maps sf = 1 to the _x and sf = 0
 * to the _w handlers. ADD/SUB: Rn and Rd may be SP. */
#define ADDSUB_IMM(NAME, OP)                                                     \
    static int NAME##_x(CPUState *c, uint32_t insn)                              \
    {                                                                            \
        set_xsp(c, ADDSUB_RD(NAME##_x),                                          \
                get_xsp(c, ADDSUB_RN(NAME##_x)) OP ADDSUB_IMM12(NAME##_x));      \
        return EXEC_NEXT;                                                        \
    }                                                                            \
    static int NAME##_w(CPUState *c, uint32_t insn)                              \
    {                                                                            \
        uint32_t r = (uint32_t)get_xsp(c, ADDSUB_RN(NAME##_w)) OP                \
                     (uint32_t)ADDSUB_IMM12(NAME##_w);                           \
        set_xsp(c, ADDSUB_RD(NAME##_w), r);                                      \
        return EXEC_NEXT;                                                        \
    }
ADDSUB_IMM(h_add_imm, +)
ADDSUB_IMM(h_sub_imm, -)

/* ADDS/SUBS (CMN/CMP): Rn may be SP, Rd = 31 is XZR. */
static int h_adds_imm_x(CPUState *c, uint32_t insn)
{
    set_x(c, ADDSUB_RD(h_adds_imm_x),
          AddWithCarry64(get_xsp(c, ADDSUB_RN(h_adds_imm_x)), ADDSUB_IMM12(h_adds_imm_x), 0,
                         &c->nzcv));
    return EXEC_NEXT;
}
static int h_adds_imm_w(CPUState *c, uint32_t insn)
{
    set_x(c, ADDSUB_RD(h_adds_imm_w),
          AddWithCarry32((uint32_t)get_xsp(c, ADDSUB_RN(h_adds_imm_w)),
                         (uint32_t)ADDSUB_IMM12(h_adds_imm_w), 0, &c->nzcv));
    return EXEC_NEXT;
}
static int h_subs_imm_x(CPUState *c, uint32_t insn)
{
    set_x(c, ADDSUB_RD(h_subs_imm_x),
          AddWithCarry64(get_xsp(c, ADDSUB_RN(h_subs_imm_x)), ~ADDSUB_IMM12(h_subs_imm_x), 1,
                         &c->nzcv));
    return EXEC_NEXT;
}
static int h_subs_imm_w(CPUState *c, uint32_t insn)
{
    set_x(c, ADDSUB_RD(h_subs_imm_w),
          AddWithCarry32((uint32_t)get_xsp(c, ADDSUB_RN(h_subs_imm_w)),
                         ~(uint32_t)ADDSUB_IMM12(h_subs_imm_w), 1, &c->nzcv));
    return EXEC_NEXT;
}

/* ---- Logical (immediate) (C6.2.12 AND, C6.2.204 ORR, C6.2.97 EOR, ANDS) ---- */

/* DecodeBitMasks(N, imms, immr, TRUE).wmask for every N:immr:imms, or 0
 * where the pseudocode is UNDEFINED: a valid logical immediate is never
 * all zeros, so 0 is free as a marker.
 * Filled once when the library is loaded (a pure function of the index,
 * so deterministic); it replaces ~20 dependent operations per executed
 * AND/ORR/EOR/ANDS (immediate) with one load. */
static uint64_t logic_imm_table[1u << 13];

__attribute__((constructor)) static void logic_imm_table_init(void)
{
    for (unsigned i = 0; i < (1u << 13); i++) {
        uint64_t wmask;
        unsigned N = i >> 12, immr = (i >> 6) & 0x3f, imms = i & 0x3f;
        logic_imm_table[i] = DecodeBitMasks(N, imms, immr, true, &wmask, NULL) ? wmask : 0;
    }
}

/* The immediate of a logical (immediate) instruction of handler H (rows
 * "sf opc 100100 N immr imms Rn Rd"), or UNDEFINED for a reserved (N, immr,
 * imms) or for sf == 0 with N == 1. For sf == 0 (N = 0, element size <= 32)
 * the low 32 bits are the 32-bit immediate. A statement expression, so
 * that sf and N are only extracted on the paths that test them. */
#define LOGIC_IMM(H)                                                             \
    ({                                                                           \
        uint64_t wmask_ = logic_imm_table[FIELD_CAT3(H, N, r, s, insn)];         \
        if (unlikely(!wmask_ || (!FIELD(H, z, insn) && FIELD(H, N, insn))))      \
            cpu_undefined(c);                                                    \
        FIELD(H, z, insn) ? wmask_ : (uint32_t)wmask_;                           \
    })
#define LOGIC_SF(H) FIELD(H, z, insn)
#define LOGIC_RN(H) FIELD(H, n, insn)
#define LOGIC_RD(H) FIELD(H, d, insn)

static int h_and_imm(CPUState *c, uint32_t insn)
{
    set_xsp(c, LOGIC_RD(h_and_imm), c->x[LOGIC_RN(h_and_imm)] & LOGIC_IMM(h_and_imm));
    return EXEC_NEXT;
}

static int h_orr_imm(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[LOGIC_RN(h_orr_imm)] | LOGIC_IMM(h_orr_imm);
    if (!LOGIC_SF(h_orr_imm))
        r = (uint32_t)r;
    set_xsp(c, LOGIC_RD(h_orr_imm), r);
    return EXEC_NEXT;
}

static int h_eor_imm(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[LOGIC_RN(h_eor_imm)] ^ LOGIC_IMM(h_eor_imm);
    if (!LOGIC_SF(h_eor_imm))
        r = (uint32_t)r;
    set_xsp(c, LOGIC_RD(h_eor_imm), r);
    return EXEC_NEXT;
}

static int h_ands_imm(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[LOGIC_RN(h_ands_imm)] & LOGIC_IMM(h_ands_imm);
    c->nzcv = LOGIC_SF(h_ands_imm) ? nzcv_logic64(r) : nzcv_logic32((uint32_t)r);
    set_x(c, LOGIC_RD(h_ands_imm), r);
    return EXEC_NEXT;
}

/* ---- Move wide (immediate) (C6.2.191 MOVN, C6.2.192 MOVZ, C6.2.190 MOVK) -- */

/* hw; for sf == 0, hw<1> == 1 is UNDEFINED. Returns the shift. */
static inline unsigned movw_shift(CPUState *c, uint32_t sf, uint32_t hw)
{
    if (unlikely(!sf && (hw & 2)))
        cpu_undefined(c);
    return hw * 16;
}

/* The operands of handler H (rows "sf opc 100101 hw imm16 Rd"). */
#define MOVW_SF(H) FIELD(H, z, insn)
#define MOVW_RD(H) FIELD(H, d, insn)
#define MOVW_IMM16(H) ((uint64_t)FIELD(H, i, insn))
#define MOVW_SHIFT(H) movw_shift(c, FIELD(H, z, insn), FIELD(H, w, insn))

static int h_movz(CPUState *c, uint32_t insn)
{
    set_x(c, MOVW_RD(h_movz), MOVW_IMM16(h_movz) << MOVW_SHIFT(h_movz));
    return EXEC_NEXT;
}

static int h_movn(CPUState *c, uint32_t insn)
{
    uint64_t r = ~(MOVW_IMM16(h_movn) << MOVW_SHIFT(h_movn));
    set_x(c, MOVW_RD(h_movn), MOVW_SF(h_movn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static int h_movk(CPUState *c, uint32_t insn)
{
    unsigned pos = MOVW_SHIFT(h_movk);
    uint64_t r = (c->x[MOVW_RD(h_movk)] & ~(0xffffull << pos)) | (MOVW_IMM16(h_movk) << pos);
    set_x(c, MOVW_RD(h_movk), MOVW_SF(h_movk) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

/* ---- Bitfield (C6.2.248 SBFM, C6.2.30 BFM, C6.2.330 UBFM) --------------- */

/*
 * The pseudocode computes (wmask, tmask) = DecodeBitMasks(N, imms, immr,
 * FALSE) and
 *     bot = (dst AND NOT(wmask)) OR (ROR(src, R) AND wmask)
 *     top = extend ? Replicate(src<S>) : dst
 *     result = (top AND NOT(tmask)) OR (bot AND tmask)
 * With N == sf the element is the whole register, which reduces to two
 * cases the code below uses directly:
 *   S >= R: the field src<S:R> lands at bit 0 (width S-R+1): xBFX, LSR, ASR.
 *   S <  R: the field src<S:0> lands at bit datasize-R (width S+1): xBFIZ, LSL.
 * tests/unit/test_dp_bitfield.c checks this against the pseudocode form.
 */

/* Returns false for the UNDEFINED combinations: sf != N, or sf == 0 with
 * immr<5> or imms<5> set. */
static inline bool bitfield_check(unsigned sf, unsigned N, unsigned R, unsigned S,
                                  unsigned *datasize)
{
    if (sf != N)
        return false;
    if (!sf && ((R | S) & 0x20))
        return false;
    *datasize = sf ? 64 : 32;
    return true;
}

static int h_sbfm(CPUState *c, uint32_t insn)
{
    unsigned ds, R = FIELD(h_sbfm, r, insn), S = FIELD(h_sbfm, s, insn);
    if (unlikely(!bitfield_check(FIELD(h_sbfm, z, insn), FIELD(h_sbfm, N, insn), R, S, &ds)))
        cpu_undefined(c);
    unsigned rd = FIELD(h_sbfm, d, insn);
    uint64_t src = c->x[FIELD(h_sbfm, n, insn)], r;
    if (S >= R)
        r = (uint64_t)sext64(src >> R, S - R + 1);
    else
        r = (uint64_t)sext64(src, S + 1) << (ds - R);
    set_x(c, rd, ds == 64 ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static int h_ubfm(CPUState *c, uint32_t insn)
{
    unsigned ds, R = FIELD(h_ubfm, r, insn), S = FIELD(h_ubfm, s, insn);
    if (unlikely(!bitfield_check(FIELD(h_ubfm, z, insn), FIELD(h_ubfm, N, insn), R, S, &ds)))
        cpu_undefined(c);
    unsigned rd = FIELD(h_ubfm, d, insn);
    uint64_t src = c->x[FIELD(h_ubfm, n, insn)], r;
    if (S >= R)
        r = (src >> R) & ones64(S - R + 1);
    else
        r = (src & ones64(S + 1)) << (ds - R);
    set_x(c, rd, ds == 64 ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static int h_bfm(CPUState *c, uint32_t insn)
{
    unsigned ds, R = FIELD(h_bfm, r, insn), S = FIELD(h_bfm, s, insn);
    if (unlikely(!bitfield_check(FIELD(h_bfm, z, insn), FIELD(h_bfm, N, insn), R, S, &ds)))
        cpu_undefined(c);
    unsigned rd = FIELD(h_bfm, d, insn);
    uint64_t src = c->x[FIELD(h_bfm, n, insn)], dst = c->x[rd], r;
    if (S >= R) {
        uint64_t m = ones64(S - R + 1);
        r = (dst & ~m) | ((src >> R) & m);
    } else {
        unsigned pos = ds - R;
        uint64_t m = ones64(S + 1) << pos;
        r = (dst & ~m) | ((src << pos) & m);
    }
    set_x(c, rd, ds == 64 ? r : (uint32_t)r);
    return EXEC_NEXT;
}

/* ---- Extract (C6.2.100 EXTR) -------------------------------------------- */

/* One handler per operand size (decode-time specialisation, see
 * docs/performance.md): the table maps sf == N == 1 to h_extr_x and
 * sf == N == 0 to h_extr_w; sf != N is UNDEFINED. ROR
 * (immediate) is EXTR with Rn == Rm. */
/* sf != N: UNDEFINED, through a lower-priority catch-all entry that keeps
 * the name and timing class of EXTR. */
static int h_extr_unalloc(CPUState *c, uint32_t insn)
{
    (void)insn;
    cpu_undefined(c);
}

static int h_extr_x(CPUState *c, uint32_t insn)
{
    unsigned lsb = FIELD(h_extr_x, s, insn);
    uint64_t hi = c->x[FIELD(h_extr_x, n, insn)], lo = c->x[FIELD(h_extr_x, m, insn)];
    /* (hi << (64 - lsb)) written as two shifts so that lsb == 0 gives lo. */
    set_x(c, FIELD(h_extr_x, d, insn), (lo >> lsb) | ((hi << 1) << (63 - lsb)));
    return EXEC_NEXT;
}

static int h_extr_w(CPUState *c, uint32_t insn)
{
    unsigned lsb = FIELD(h_extr_w, s, insn);
    if (unlikely(lsb & 0x20))
        cpu_undefined(c);
    uint32_t hi = (uint32_t)c->x[FIELD(h_extr_w, n, insn)];
    uint32_t lo = (uint32_t)c->x[FIELD(h_extr_w, m, insn)];
    set_w(c, FIELD(h_extr_w, d, insn), (lo >> lsb) | ((hi << 1) << (31 - lsb)));
    return EXEC_NEXT;
}

/* ---- Decode table (Arm ARM C4.1.2) -------------------------------------- */

const DecodePattern a64_dp_imm_patterns[] = {
    /* PC-rel. addressing: op immlo 10000 immhi Rd */
    { "ADR",       "0ll10000 hhhhhhhhhhhhhhhhhhh ddddd", h_adr, CLS_INT },
    { "ADRP",      "1ll10000 hhhhhhhhhhhhhhhhhhh ddddd", h_adrp, CLS_INT },
    /* Add/subtract (immediate): sf op S 100010 sh imm12 Rn Rd */
    { "ADD_imm",   "10010001 0hiiiiiiiiiiiinnnnnddddd", h_add_imm_x, CLS_INT },
    { "ADD_imm",   "00010001 0hiiiiiiiiiiiinnnnnddddd", h_add_imm_w, CLS_INT },
    { "ADDS_imm",  "10110001 0hiiiiiiiiiiiinnnnnddddd", h_adds_imm_x, CLS_INT },
    { "ADDS_imm",  "00110001 0hiiiiiiiiiiiinnnnnddddd", h_adds_imm_w, CLS_INT },
    { "SUB_imm",   "11010001 0hiiiiiiiiiiiinnnnnddddd", h_sub_imm_x, CLS_INT },
    { "SUB_imm",   "01010001 0hiiiiiiiiiiiinnnnnddddd", h_sub_imm_w, CLS_INT },
    { "SUBS_imm",  "11110001 0hiiiiiiiiiiiinnnnnddddd", h_subs_imm_x, CLS_INT },
    { "SUBS_imm",  "01110001 0hiiiiiiiiiiiinnnnnddddd", h_subs_imm_w, CLS_INT },
    /* Add/subtract (immediate, with tags) sf op S 100011 ...: FEAT_MTE (v8.5), not implemented */
    /* Logical (immediate): sf opc 100100 N immr imms Rn Rd */
    { "AND_imm",   "z0010010 0Nrrrrrrssssssnnnnnddddd", h_and_imm, CLS_INT },
    { "ORR_imm",   "z0110010 0Nrrrrrrssssssnnnnnddddd", h_orr_imm, CLS_INT },
    { "EOR_imm",   "z1010010 0Nrrrrrrssssssnnnnnddddd", h_eor_imm, CLS_INT },
    { "ANDS_imm",  "z1110010 0Nrrrrrrssssssnnnnnddddd", h_ands_imm, CLS_INT },
    /* Move wide (immediate): sf opc 100101 hw imm16 Rd; opc = 01 unallocated */
    { "MOVN",      "z0010010 1wwiiiiiiiiiiiiiiiiddddd", h_movn, CLS_INT },
    { "MOVZ",      "z1010010 1wwiiiiiiiiiiiiiiiiddddd", h_movz, CLS_INT },
    { "MOVK",      "z1110010 1wwiiiiiiiiiiiiiiiiddddd", h_movk, CLS_INT },
    /* Bitfield: sf opc 100110 N immr imms Rn Rd; opc = 11 unallocated */
    { "SBFM",      "z0010011 0Nrrrrrrssssssnnnnnddddd", h_sbfm, CLS_INT },
    { "BFM",       "z0110011 0Nrrrrrrssssssnnnnnddddd", h_bfm, CLS_INT },
    { "UBFM",      "z1010011 0Nrrrrrrssssssnnnnnddddd", h_ubfm, CLS_INT },
    /* Extract: sf op21 100111 N o0 Rm imms Rn Rd; only op21 = 00, o0 = 0 */
    { "EXTR",      "10010011 110mmmmmssssssnnnnnddddd", h_extr_x, CLS_INT },  /* sf = N = 1 */
    { "EXTR",      "00010011 100mmmmmssssssnnnnnddddd", h_extr_w, CLS_INT },  /* sf = N = 0 */
    { "EXTR",      "z0010011 1N0mmmmmssssssnnnnnddddd", h_extr_unalloc, CLS_INT, -1 },
    { NULL, NULL, NULL, 0, 0 },
};
