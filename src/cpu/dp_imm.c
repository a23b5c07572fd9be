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
#include "cpu/dp_util.h"
#include "cpu/exception.h"

/* ---- PC-relative addressing (C6.2.10 ADR, C6.2.11 ADRP) ----------------- */

static inline int64_t adr_imm(uint32_t insn)
{
    uint32_t immlo = (insn >> 29) & 3, immhi = (insn >> 5) & 0x7ffff;
    return sext64(((uint64_t)immhi << 2) | immlo, 21);
}

static int h_adr(CPUState *c, uint32_t insn)
{
    set_x(c, F_RD(insn), c->pc + (uint64_t)adr_imm(insn));
    return EXEC_NEXT;
}

static int h_adrp(CPUState *c, uint32_t insn)
{
    set_x(c, F_RD(insn), (c->pc & ~0xfffull) + ((uint64_t)adr_imm(insn) << 12));
    return EXEC_NEXT;
}

/* ---- Add/subtract (immediate) (C6.2.4 ADD, C6.2.8 ADDS, C6.2.310 SUB, SUBS) */

/* imm12 with the sh bit (bit 22) applied: LSL #0 or LSL #12. */
static inline uint64_t addsub_imm(uint32_t insn)
{
    uint64_t imm = (insn >> 10) & 0xfff;
    return imm << ((insn >> 10) & 0x1000 ? 12 : 0);
}

/* One handler per operand size (decode-time specialisation, see
 * docs/performance.md): the decode table maps sf = 1 to the _x and sf = 0
 * to the _w handlers. ADD/SUB: Rn and Rd may be SP. */
#define ADDSUB_IMM(NAME, OP)                                                     \
    static int NAME##_x(CPUState *c, uint32_t insn)                              \
    {                                                                            \
        set_xsp(c, F_RD(insn), get_xsp(c, F_RN(insn)) OP addsub_imm(insn));      \
        return EXEC_NEXT;                                                        \
    }                                                                            \
    static int NAME##_w(CPUState *c, uint32_t insn)                              \
    {                                                                            \
        uint32_t r = (uint32_t)get_xsp(c, F_RN(insn)) OP (uint32_t)addsub_imm(insn); \
        set_xsp(c, F_RD(insn), r);                                               \
        return EXEC_NEXT;                                                        \
    }
ADDSUB_IMM(h_add_imm, +)
ADDSUB_IMM(h_sub_imm, -)

/* ADDS/SUBS (CMN/CMP): Rn may be SP, Rd = 31 is XZR. */
static int h_adds_imm_x(CPUState *c, uint32_t insn)
{
    set_x(c, F_RD(insn), AddWithCarry64(get_xsp(c, F_RN(insn)), addsub_imm(insn), 0, &c->nzcv));
    return EXEC_NEXT;
}
static int h_adds_imm_w(CPUState *c, uint32_t insn)
{
    set_x(c, F_RD(insn), AddWithCarry32((uint32_t)get_xsp(c, F_RN(insn)),
                                        (uint32_t)addsub_imm(insn), 0, &c->nzcv));
    return EXEC_NEXT;
}
static int h_subs_imm_x(CPUState *c, uint32_t insn)
{
    set_x(c, F_RD(insn), AddWithCarry64(get_xsp(c, F_RN(insn)), ~addsub_imm(insn), 1, &c->nzcv));
    return EXEC_NEXT;
}
static int h_subs_imm_w(CPUState *c, uint32_t insn)
{
    set_x(c, F_RD(insn), AddWithCarry32((uint32_t)get_xsp(c, F_RN(insn)),
                                        ~(uint32_t)addsub_imm(insn), 1, &c->nzcv));
    return EXEC_NEXT;
}

/* ---- Logical (immediate) (C6.2.12 AND, C6.2.204 ORR, C6.2.97 EOR, ANDS) ---- */

/* DecodeBitMasks(N, imms, immr, TRUE).wmask for every N:immr:imms (bits
 * [22:10] of the instruction), or 0 where the pseudocode is UNDEFINED: a
 * valid logical immediate is never all zeros, so 0 is free as a marker.
 * Filled once when the library is loaded (a pure function of the index,
 * so deterministic); it replaces ~20 dependent operations per executed
 * AND/ORR/EOR/ANDS (immediate) with one load. */
#define LOGIC_IMM_INDEX(insn) (((insn) >> 10) & 0x1fff)
static uint64_t logic_imm_table[1u << 13];

__attribute__((constructor)) static void logic_imm_table_init(void)
{
    for (unsigned i = 0; i < (1u << 13); i++) {
        uint64_t wmask;
        unsigned N = i >> 12, immr = (i >> 6) & 0x3f, imms = i & 0x3f;
        logic_imm_table[i] = DecodeBitMasks(N, imms, immr, true, &wmask, NULL) ? wmask : 0;
    }
}

/* The immediate of a logical (immediate) instruction, or UNDEFINED for a
 * reserved (N, immr, imms) or for sf == 0 with N == 1. For sf == 0 (N = 0,
 * element size <= 32) the low 32 bits are the 32-bit immediate. */
static inline uint64_t logic_imm(CPUState *c, uint32_t insn)
{
    uint64_t wmask = logic_imm_table[LOGIC_IMM_INDEX(insn)];
    if (unlikely(!wmask || (!F_SF(insn) && ((insn >> 22) & 1))))
        cpu_undefined(c);
    return F_SF(insn) ? wmask : (uint32_t)wmask;
}

static int h_and_imm(CPUState *c, uint32_t insn)
{
    set_xsp(c, F_RD(insn), c->x[F_RN(insn)] & logic_imm(c, insn));
    return EXEC_NEXT;
}

static int h_orr_imm(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[F_RN(insn)] | logic_imm(c, insn);
    if (!F_SF(insn))
        r = (uint32_t)r;
    set_xsp(c, F_RD(insn), r);
    return EXEC_NEXT;
}

static int h_eor_imm(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[F_RN(insn)] ^ logic_imm(c, insn);
    if (!F_SF(insn))
        r = (uint32_t)r;
    set_xsp(c, F_RD(insn), r);
    return EXEC_NEXT;
}

static int h_ands_imm(CPUState *c, uint32_t insn)
{
    uint64_t r = c->x[F_RN(insn)] & logic_imm(c, insn);
    c->nzcv = F_SF(insn) ? nzcv_logic64(r) : nzcv_logic32((uint32_t)r);
    set_x(c, F_RD(insn), r);
    return EXEC_NEXT;
}

/* ---- Move wide (immediate) (C6.2.191 MOVN, C6.2.192 MOVZ, C6.2.190 MOVK) -- */

/* hw (bits [22:21]); for sf == 0, hw<1> == 1 is UNDEFINED. Returns the shift. */
static inline unsigned movw_shift(CPUState *c, uint32_t insn)
{
    unsigned hw = (insn >> 21) & 3;
    if (unlikely(!F_SF(insn) && (hw & 2)))
        cpu_undefined(c);
    return hw * 16;
}

static int h_movz(CPUState *c, uint32_t insn)
{
    uint64_t imm16 = (insn >> 5) & 0xffff;
    set_x(c, F_RD(insn), imm16 << movw_shift(c, insn));
    return EXEC_NEXT;
}

static int h_movn(CPUState *c, uint32_t insn)
{
    uint64_t imm16 = (insn >> 5) & 0xffff;
    uint64_t r = ~(imm16 << movw_shift(c, insn));
    set_x(c, F_RD(insn), F_SF(insn) ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static int h_movk(CPUState *c, uint32_t insn)
{
    unsigned pos = movw_shift(c, insn);
    uint64_t imm16 = (insn >> 5) & 0xffff;
    uint64_t r = (c->x[F_RD(insn)] & ~(0xffffull << pos)) | (imm16 << pos);
    set_x(c, F_RD(insn), F_SF(insn) ? r : (uint32_t)r);
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
static inline bool bitfield_fields(uint32_t insn, unsigned *datasize, unsigned *R, unsigned *S)
{
    unsigned sf = F_SF(insn), N = (insn >> 22) & 1;
    *R = (insn >> 16) & 0x3f;
    *S = (insn >> 10) & 0x3f;
    if (sf != N)
        return false;
    if (!sf && ((*R | *S) & 0x20))
        return false;
    *datasize = sf ? 64 : 32;
    return true;
}

static int h_sbfm(CPUState *c, uint32_t insn)
{
    unsigned ds, R, S;
    if (unlikely(!bitfield_fields(insn, &ds, &R, &S)))
        cpu_undefined(c);
    uint64_t src = c->x[F_RN(insn)], r;
    if (S >= R)
        r = (uint64_t)sext64(src >> R, S - R + 1);
    else
        r = (uint64_t)sext64(src, S + 1) << (ds - R);
    set_x(c, F_RD(insn), ds == 64 ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static int h_ubfm(CPUState *c, uint32_t insn)
{
    unsigned ds, R, S;
    if (unlikely(!bitfield_fields(insn, &ds, &R, &S)))
        cpu_undefined(c);
    uint64_t src = c->x[F_RN(insn)], r;
    if (S >= R)
        r = (src >> R) & ones64(S - R + 1);
    else
        r = (src & ones64(S + 1)) << (ds - R);
    set_x(c, F_RD(insn), ds == 64 ? r : (uint32_t)r);
    return EXEC_NEXT;
}

static int h_bfm(CPUState *c, uint32_t insn)
{
    unsigned ds, R, S;
    if (unlikely(!bitfield_fields(insn, &ds, &R, &S)))
        cpu_undefined(c);
    uint64_t src = c->x[F_RN(insn)], dst = c->x[F_RD(insn)], r;
    if (S >= R) {
        uint64_t m = ones64(S - R + 1);
        r = (dst & ~m) | ((src >> R) & m);
    } else {
        unsigned pos = ds - R;
        uint64_t m = ones64(S + 1) << pos;
        r = (dst & ~m) | ((src << pos) & m);
    }
    set_x(c, F_RD(insn), ds == 64 ? r : (uint32_t)r);
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
    unsigned lsb = (insn >> 10) & 0x3f;
    uint64_t hi = c->x[F_RN(insn)], lo = c->x[F_RM(insn)];
    /* (hi << (64 - lsb)) written as two shifts so that lsb == 0 gives lo. */
    set_x(c, F_RD(insn), (lo >> lsb) | ((hi << 1) << (63 - lsb)));
    return EXEC_NEXT;
}

static int h_extr_w(CPUState *c, uint32_t insn)
{
    unsigned lsb = (insn >> 10) & 0x3f;
    if (unlikely(lsb & 0x20))
        cpu_undefined(c);
    uint32_t hi = (uint32_t)c->x[F_RN(insn)], lo = (uint32_t)c->x[F_RM(insn)];
    set_w(c, F_RD(insn), (lo >> lsb) | ((hi << 1) << (31 - lsb)));
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
