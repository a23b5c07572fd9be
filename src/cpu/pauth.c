/*
 * A64 instruction group "pauth" (FEAT_PAuth, ARMv8.3): decode table fragment
 * and handlers, plus the pointer operations AddPAC, Auth, Strip and
 * CalculateBottomPACBit (Arm ARM D8.8 "Pointer authentication" and the
 * shared pseudocode of the same names). The cipher is in pauth_qarma.c.
 *
 * Instructions (Arm ARM C6.2): PACIA/PACIB/PACDA/PACDB and the Z forms,
 * AUTIA/AUTIB/AUTDA/AUTDB and the Z forms, XPACI/XPACD (data processing,
 * 1 source); PACGA (2 source); the HINT forms PAC*1716, PAC*Z, PAC*SP,
 * AUT*1716, AUT*Z, AUT*SP, XPACLRI (priority 1 over sys.c's generic HINT);
 * BRAA/BRAB/BRAAZ/BRABZ, BLRAA/BLRAB/BLRAAZ/BLRABZ, RETAA/RETAB,
 * ERETAA/ERETAB; LDRAA/LDRAB.
 *
 * Without FEAT_PAuth in the machine's feature set the HINT forms are NOPs
 * and the other encodings are UNDEFINED.
 *
 * Authentication failure follows ARMv8.3 without FEAT_FPAC: Auth() returns
 * the pointer with an error code in its extension bits, and the fault
 * happens when the pointer is used (translation fault of the non-canonical
 * address on the branch target fetch or the load).
 */
#include "cpu/pauth.h"

#include "cpu/decode.h"
#include "cpu/decode_fields.h"
#include "cpu/exception.h"
#include "cpu/sctlr.h"
#include "el2/traps.h"
#include "mmu/mem.h"
#include "mmu/tcr.h"

/* SCTLR_ELx.EnIA/EnIB/EnDA/EnDB: cpu/sctlr.h; TCR_ELx
 * fields: mmu/tcr.h. */

/* Without FEAT_TTST, TxSZ is effectively clamped to [16, 39] (the
 * CONSTRAINED UNPREDICTABLE choice Constraint_FORCE of
 * CalculateBottomPACBit, which is also what the walk uses). */
#define PAC_TSZ_MIN 16
#define PAC_TSZ_MAX 39

#define TOP_BYTE  0xff00000000000000ull
#define BIT(n)    (1ull << (n))

/* ---- Translation regime of the current EL ------------------------------ */

/* The stage 1 regime of PSTATE.EL for PAC purposes: its TCR and whether it
 * has two VA ranges (PtrHasUpperAndLowerAddRanges()): EL1&0 always; EL2
 * only as EL2&0 (E2H=1); EL0 is in EL2&0 when {E2H,TGE} = {1,1}. */
static inline bool regime_is_el2(const CPUState *c)
{
    return c->el == 2 || (c->el == 0 && el2_in_host(c));
}

static inline uint64_t regime_tcr(const CPUState *c, bool *two_ranges)
{
    if (regime_is_el2(c)) {
        *two_ranges = el2_e2h(c);
        return c->sr[SR_TCR_EL2];
    }
    *two_ranges = true;
    return c->sr[SR_TCR_EL1];
}

/* SCTLR_ELx of the current regime (the En* bits that apply). */
static inline uint64_t regime_sctlr(const CPUState *c)
{
    return regime_is_el2(c) ? c->sr[SR_SCTLR_EL2] : c->sr[SR_SCTLR_EL1];
}

/* EffectiveTBI(ptr, is_instr, PSTATE.EL): TBI applies, limited by TBID to
 * data addresses (FEAT_PAuth). */
static bool effective_tbi(const CPUState *c, uint64_t ptr, bool is_instr)
{
    bool two;
    uint64_t tcr = regime_tcr(c, &two);
    bool tbi, tbid;
    if (two) {
        bool hi = (ptr >> 55) & 1;
        tbi = tcr & (hi ? TCR_TBI1 : TCR_TBI0);
        tbid = tcr & (hi ? TCR_TBID1 : TCR_TBID0);
    } else {
        tbi = tcr & TCR_EL2_TBI;
        tbid = tcr & TCR_EL2_TBID;
    }
    return tbi && (!tbid || !is_instr);
}

unsigned CalculateBottomPACBit(const CPUState *c, unsigned top_bit)
{
    bool two;
    uint64_t tcr = regime_tcr(c, &two);
    unsigned tsz = (two && top_bit) ? TCR_T1SZ(tcr) : TCR_T0SZ(tcr);
    if (tsz > PAC_TSZ_MAX)
        tsz = PAC_TSZ_MAX;
    if (tsz < PAC_TSZ_MIN)
        tsz = PAC_TSZ_MIN;
    return 64 - tsz;
}

/* ---- AddPAC, Auth, Strip ----------------------------------------------- */

uint64_t AddPAC(CPUState *c, uint64_t ptr, uint64_t modifier, PACKey k, bool data)
{
    bool tbi = effective_tbi(c, ptr, !data);
    unsigned top_bit = tbi ? 55 : 63;
    bool two;
    uint64_t tcr = regime_tcr(c, &two);
    unsigned selbit;
    if (two) {
        /* Keep the upper/lower range choice where TBI differs between the
         * ranges: bit 55 if either range ignores the top byte for this kind
         * of access, else bit 63. */
        bool use55;
        if (data)
            use55 = tcr & (TCR_TBI1 | TCR_TBI0);
        else
            use55 = ((tcr & TCR_TBI1) && !(tcr & TCR_TBID1)) ||
                    ((tcr & TCR_TBI0) && !(tcr & TCR_TBID0));
        selbit = (ptr >> (use55 ? 55 : 63)) & 1;
    } else {
        selbit = (ptr >> top_bit) & 1;
    }
    unsigned bottom = CalculateBottomPACBit(c, selbit);
    uint64_t low = BIT(bottom) - 1;
    uint64_t ext = selbit ? ~0ull : 0;
    uint64_t ext_ptr = tbi ? (ptr & TOP_BYTE) | (ext & ~TOP_BYTE & ~low) | (ptr & low)
                           : (ext & ~low) | (ptr & low);
    uint64_t pac = ComputePAC(ext_ptr, modifier, k.hi, k.lo);
    /* Corrupt the PAC if the extension bits <top_bit:bottom> were not all
     * zeros or all ones. */
    uint64_t field = (top_bit == 63 ? ~0ull : BIT(top_bit + 1) - 1) & ~low;
    uint64_t f = ptr & field;
    if (f != 0 && f != field)
        pac ^= BIT(top_bit - 1);
    uint64_t pac_mid = pac & (BIT(55) - 1) & ~low;    /* PAC<54:bottom> */
    uint64_t top = tbi ? ptr & TOP_BYTE : pac & TOP_BYTE;
    return top | (uint64_t)selbit << 55 | pac_mid | (ptr & low);
}

/* The pointer with its PAC field replaced by copies of bit 55 (the common
 * part of Auth and Strip). */
static inline uint64_t original_ptr(const CPUState *c, uint64_t ptr, bool tbi, uint64_t *lowp)
{
    unsigned bottom = CalculateBottomPACBit(c, (ptr >> 55) & 1);
    uint64_t low = BIT(bottom) - 1;
    uint64_t ext = ((ptr >> 55) & 1) ? ~0ull : 0;
    *lowp = low;
    return tbi ? (ptr & TOP_BYTE) | (ext & ~TOP_BYTE & ~low) | (ptr & low)
               : (ext & ~low) | (ptr & low);
}

uint64_t Auth(CPUState *c, uint64_t ptr, uint64_t modifier, PACKey k, bool data,
              unsigned key_number)
{
    bool tbi = effective_tbi(c, ptr, !data);
    uint64_t low;
    uint64_t orig = original_ptr(c, ptr, tbi, &low);
    uint64_t pac = ComputePAC(orig, modifier, k.hi, k.lo);
    uint64_t mid = (BIT(55) - 1) & ~low;                /* bits <54:bottom> */
    bool ok = (pac & mid) == (ptr & mid) && (tbi || (pac & TOP_BYTE) == (ptr & TOP_BYTE));
    if (ok)
        return orig;
    /* error_code = key_number:NOT(key_number), at <54:53> (TBI) or <62:61>. */
    uint64_t error_code = key_number ? 2 : 1;
    unsigned pos = tbi ? 53 : 61;
    return (orig & ~(3ull << pos)) | error_code << pos;
}

uint64_t Strip(CPUState *c, uint64_t ptr, bool data)
{
    uint64_t low;
    return original_ptr(c, ptr, effective_tbi(c, ptr, !data), &low);
}

PACKey pauth_key(const CPUState *c, enum PACKeyId kid)
{
    static const uint16_t lo_slot[5] = { SR_APIAKEYLO_EL1, SR_APIBKEYLO_EL1, SR_APDAKEYLO_EL1,
                                         SR_APDBKEYLO_EL1, SR_APGAKEYLO_EL1 };
    static const uint16_t hi_slot[5] = { SR_APIAKEYHI_EL1, SR_APIBKEYHI_EL1, SR_APDAKEYHI_EL1,
                                         SR_APDBKEYHI_EL1, SR_APGAKEYHI_EL1 };
    PACKey k = { c->sr[hi_slot[kid]], c->sr[lo_slot[kid]] };
    return k;
}

/* ---- Enables and traps (AddPACIA ... AuthDB, TrapPACUse) ------------------ */

static const uint64_t key_enable[4] = { SCTLR_EnIA, SCTLR_EnIB, SCTLR_EnDA, SCTLR_EnDB };

/* TrapEL2 of AddPACxx/AuthXx/PACGA: EL1 with HCR_EL2.API == 0, or EL0 with
 * API == 0 unless {E2H,TGE} = {1,1}; EL2 is never trapped. Takes the trap
 * (TrapPACUse(EL2): EC 0x09, ISS 0) and does not return when it applies. */
static void pac_check_trap(CPUState *c)
{
    if (!el2_trap_api(c))
        return;
    ExceptionRecord e = { .ec = EC_PAC, .il = true, .iss = 0 };
    cpu_raise_sync(c, 2, &e);
}

/* AddPACIA/AddPACIB/AddPACDA/AddPACDB: x unchanged when the key is
 * disabled, else the trap check, else AddPAC. */
static uint64_t pac_add(CPUState *c, uint64_t x, uint64_t mod, enum PACKeyId kid)
{
    if (!(regime_sctlr(c) & key_enable[kid]))
        return x;
    pac_check_trap(c);
    return AddPAC(c, x, mod, pauth_key(c, kid), kid >= PAC_KEY_DA);
}

/* AuthIA/AuthIB/AuthDA/AuthDB (key_number: A = 0, B = 1). */
static uint64_t pac_auth(CPUState *c, uint64_t x, uint64_t mod, enum PACKeyId kid)
{
    if (!(regime_sctlr(c) & key_enable[kid]))
        return x;
    pac_check_trap(c);
    return Auth(c, x, mod, pauth_key(c, kid), kid >= PAC_KEY_DA, kid & 1);
}

/* ---- Data processing (1 source): PAC*, AUT*, XPAC* (C6.2.x) ----------------- */

/* opcode 00ZADB: Z = zero modifier (Rn must be 31), A = AUT (else PAC),
 * D = data key, B = key B. Rd is both source and destination (XZR for 31),
 * Rn the modifier (SP for 31). */
static int h_pac_1src(CPUState *c, uint32_t insn)
{
    unsigned d = FIELD(h_pac_1src, d, insn), n = FIELD(h_pac_1src, n, insn);
    bool z = FIELD(h_pac_1src, z, insn), aut = FIELD(h_pac_1src, a, insn);
    enum PACKeyId kid = (enum PACKeyId)((FIELD(h_pac_1src, D, insn) << 1) |
                                        FIELD(h_pac_1src, b, insn));   /* IA, IB, DA, DB */
    if (unlikely(!has_feat(c, FEAT_PAuth)) || (z && n != 31))
        cpu_undefined(c);
    uint64_t mod = z ? 0 : get_xsp(c, n);
    uint64_t x = c->x[d];
    set_x(c, d, aut ? pac_auth(c, x, mod, kid) : pac_add(c, x, mod, kid));
    return EXEC_NEXT;
}

/* XPACI / XPACD (D = bit 10): Strip; never trapped, no enable. */
static int h_xpac(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_PAuth)))
        cpu_undefined(c);
    unsigned d = FIELD(h_xpac, d, insn);
    set_x(c, d, Strip(c, c->x[d], FIELD(h_xpac, D, insn)));
    return EXEC_NEXT;
}

/* PACGA Xd, Xn, Xm|SP: ComputePAC(X[n], X[m]|SP, APGAKey)<63:32>:Zeros(32).
 * No enable bit; trapped like the others. */
static int h_pacga(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_PAuth)))
        cpu_undefined(c);
    unsigned d = FIELD(h_pacga, d, insn), n = FIELD(h_pacga, n, insn), m = FIELD(h_pacga, m, insn);
    pac_check_trap(c);
    PACKey k = pauth_key(c, PAC_KEY_GA);
    uint64_t pac = ComputePAC(c->x[n], get_xsp(c, m), k.hi, k.lo);
    set_x(c, d, pac & 0xffffffff00000000ull);
    return EXEC_NEXT;
}

/* ---- HINT space (C6.2.x) ------------------------------------------------- */

/*
 * PACIASP/AUTIASP and the other hints on X30 sign and authenticate the
 * same return addresses with the same stack pointers again and again. Their
 * result is a pure function of the operands (X30, the modifier), the hint
 * (op2: key, PAC or AUT, modifier), PSTATE.EL and the registers the
 * pseudocode reads: the key, SCTLR_ELx and TCR_ELx of the regime
 * (enable, TBI/TBID, TxSZ), and HCR_EL2 (E2H and TGE choose the regime,
 * API the trap; the machine's features are fixed). A per-CPU memo keyed by
 * all of them returns a recent result without the pseudocode and its
 * cipher memo (docs/pauth.md "Speed"); a trapped hint never gets an entry,
 * so the trap is taken every time.
 *
 * The registers change far less often than X30 and SP, so they are named
 * by a context id: the CPU keeps its last PAC_HINT_CTX_SLOTS contexts with
 * their ids, compares the current one with them in full (the most recent
 * first), and gives a context it does not find a new id, never used
 * before. Equal ids therefore mean equal contexts, and a memo entry of 32
 * bytes (X30, the modifier, the result, the tag with the id and the hint)
 * stands for the whole key: 4 Ki entries in 128 KiB. With 256 entries of
 * the whole key (72 bytes each) the nested benchmark's first 8 G
 * instructions hit 57% of 166 M hints; with 4 Ki entries, 81%. The current
 * context's id is kept (CPUState.pac_hint_cur) until an input may change:
 * an EL change, or a system register write that changed one of the
 * context's registers (sysreg_write_raw(); until session 18 any write
 * dropped it, and the nested run's first 8 G instructions made 6.6 M
 * context lookups, now 1.3 M).
 * Sixteen slots, not four: in the nested run's first 16 G instructions the
 * hypervisors and guests made 620 k new contexts with four (each losing its
 * entries with its old id) and 57 k with sixteen, and the far level's
 * misses fell from 78 M to 26 M.
 *
 * That memo is hashed over 128 KiB, so a hit was mostly a host cache miss.
 * In front of it a near level of 1024 sets of two entries (64 KiB, a set
 * per 64-byte line, the most recent entry first; 256 sets until session
 * 22) is indexed by the modifier (SP >> 4), X30's bits 11:2 and the
 * context id
 * (pac_hint_near_set(): the same stack depth in two kernels takes two
 * sets, and so do two functions called at the same depth): the PACIASP at
 * a function's entry and the AUTIASP at its return have the same SP and
 * the same low bits of X30 (a PAC field is higher), and the second way
 * keeps an entry when another hint's takes its set. An entry also answers
 * the opposite hint (AUT for a PAC, PAC for an AUT: same key, modifier and
 * context) where the pseudocode gives the entry's input back
 * (pac_hint_reverses()). In the nested run's first 4 G instructions, with
 * the set indexed by SP alone, 99.6% of 35 M AUT hints hit the near level,
 * and 55% of 35 M PAC hints (38% with one way): the misses were PACIASPs
 * of several callees of one caller, sharing a set. With X30's bits in the
 * index (session 18), the hints that miss the translator's probe of the
 * near level in the first 8 G instructions fell from 56.3 M to 25.9 M (6.6
 * M of those only because the context id had been dropped), the far
 * level's hits from 39.0 M to 8.2 M, and its misses (the pseudocode run)
 * from 12.8 M to 12.1 M. A far level of 32 Ki entries (1 MiB) would take
 * those misses to 5.5 M, but the run was not measurably faster.
 * With 1024 near sets instead of 256 (session 22), 3 G instructions of
 * the nested run's L1 and L2 phase (from a snapshot at 12 G) call the
 * handler 8.5 M times instead of 22.5 M, with 3.7 M far hits instead of
 * 16.2 M and 3.5 M pseudocode runs instead of 5.1 M (2048 sets: 5.6 M,
 * 1.1 M, 3.1 M; the run no faster than with 1024).
 */
static uint64_t pac_hint_ctx_id(CPUState *c, enum PACKeyId kid)
{
    bool el2 = regime_is_el2(c);
    PACKey k = pauth_key(c, kid);
    struct PACHintCtx now = {
        .key_hi = k.hi,
        .key_lo = k.lo,
        .hcr = el2_hcr(c),
        .sctlr = el2 ? c->sr[SR_SCTLR_EL2] : c->sr[SR_SCTLR_EL1],
        .tcr = el2 ? c->sr[SR_TCR_EL2] : c->sr[SR_TCR_EL1],
        .kid = (uint8_t)kid,
        .el = c->el,
    };
    /* the most recent first: contexts are filled round robin */
    for (unsigned n = 0, i = c->pac_hint_ctx_last; n < PAC_HINT_CTX_SLOTS;
         n++, i = (i + PAC_HINT_CTX_SLOTS - 1) % PAC_HINT_CTX_SLOTS) {
        const struct PACHintCtx *e = &c->pac_hint_ctx[i];
        if (e->key_hi == now.key_hi && e->key_lo == now.key_lo && e->hcr == now.hcr &&
            e->sctlr == now.sctlr && e->tcr == now.tcr && e->kid == now.kid && e->el == now.el) {
            c->pac_hint_ctx_last = i;
            return e->id;
        }
    }
    /* a new context: the slot after the last one (round robin) */
    unsigned i = (c->pac_hint_ctx_last + 1) % PAC_HINT_CTX_SLOTS;
    now.id = ++c->pac_hint_ctx_ids;
    c->pac_hint_ctx[i] = now;
    c->pac_hint_ctx_last = i;
    return now.id;
}

/*
 * Whether the hint that gave out from x (op2<2>: AUT, else PAC) is also
 * the opposite hint with the same key and modifier in the same context,
 * giving x from out. With the key disabled both are the identity. Else:
 *  - PAC: Auth(out) == x exactly when Strip(out) == x. Strip(out) is the
 *    pointer AddPAC signed, its extension bits copied from bit 55 of out,
 *    which AddPAC set to the range it chose, with the same EffectiveTBI
 *    and bottom PAC bit; if that is x, x's extension bits were uniform,
 *    AddPAC corrupted nothing, and Auth recomputes the same PAC from the
 *    same pointer, so the PAC field and (without TBI) the top byte match
 *    and it returns Strip(out). If not, Auth returns Strip(out) or it
 *    with an error code, not x.
 *  - AUT: AddPAC(out) == x exactly when out == Strip(x), i.e. Auth
 *    succeeded (its failure sets an error code of 01 or 10 in bits that
 *    Strip makes 00 or 11): then out is x's pointer with uniform
 *    extension bits, whose PAC is x's PAC field (and top byte without TBI)
 *    and whose bit 55 is x's, which is what AddPAC puts back.
 * (Arm ARM D8.8, AddPAC(), Auth(), Strip().)
 */
static bool pac_hint_reverses(CPUState *c, unsigned op2, uint64_t x, uint64_t out)
{
    if (op2 & 4)
        return Strip(c, x, false) == out;
    return Strip(c, out, false) == x;
}

/* Whether near entry n answers hint tag (op2 and context) on x with
 * modifier mod, directly or as the opposite hint; *out gets the result. */
static inline bool pac_hint_near_hit(const struct PACHintMemo *n, uint64_t tag, uint64_t x,
                                     uint64_t mod, uint64_t *out)
{
    if (n->mod != mod)
        return false;
    if ((n->tag & ~(uint64_t)PAC_TAG_REVERSE) == tag && n->x == x) {
        *out = n->out;
        return true;
    }
    if (n->tag == (tag ^ PAC_TAG_AUT ^ PAC_TAG_REVERSE) && n->out == x) {
        *out = n->x;
        return true;
    }
    return false;
}

static uint64_t pac_hint_memo(CPUState *c, unsigned op2, uint64_t x, uint64_t mod,
                              enum PACKeyId kid)
{
    /* The far level's place depends on X30, the modifier and the hint
     * alone: its line is asked for first, so that the host cache miss
     * (mostly one: the level spans 128 KiB) overlaps the near level's
     * probe. Translated code calls this after its own probe of the near
     * level missed (jit_inline_pac.c), so the far level is then the next
     * step. */
    uint64_t h = (x ^ (mod * 0x9e3779b97f4a7c15ull) ^ op2) * 0xff51afd7ed558ccdull;
    struct PACHintMemo *e = &c->pac_hint_memo[h >> (64 - PAC_HINT_MEMO_BITS)];
    __builtin_prefetch(e);
    uint64_t *cur = &c->pac_hint_cur[kid == PAC_KEY_IB];
    if (unlikely(!*cur))
        *cur = pac_hint_ctx_id(c, kid) | PAC_HINT_CUR_VALID;
    struct PACHintMemo *set = c->pac_hint_near[pac_hint_near_set(mod, x, *cur)];
    /* the shift drops PAC_HINT_CUR_VALID (ids stay far below 2^58) */
    uint64_t tag = PAC_TAG_VALID | (uint64_t)op2 << PAC_TAG_OP2_SHIFT | *cur << PAC_TAG_ID_SHIFT;
    uint64_t out;
    if (likely(pac_hint_near_hit(&set[0], tag, x, mod, &out)))
        return out;
    if (pac_hint_near_hit(&set[1], tag, x, mod, &out)) {
        struct PACHintMemo t = set[0];     /* the most recent first */
        set[0] = set[1];
        set[1] = t;
        return out;
    }
    if (likely((e->tag & ~(uint64_t)PAC_TAG_REVERSE) == tag && e->x == x && e->mod == mod)) {
        set[1] = set[0];
        set[0] = *e;
        return e->out;
    }
    out = (op2 & 4) ? pac_auth(c, x, mod, kid) : pac_add(c, x, mod, kid);
    if (pac_hint_reverses(c, op2, x, out))
        tag |= PAC_TAG_REVERSE;
    *e = (struct PACHintMemo){ x, mod, out, tag };
    set[1] = set[0];
    set[0] = *e;
    return out;
}

/* CRm = 0011: op2 = 0bBSA-style: bit 2 = AUT, bit 1 = key B, bit 0 = SP
 * (else Z): PACIAZ, PACIASP, PACIBZ, PACIBSP, AUTIAZ, AUTIASP, AUTIBZ,
 * AUTIBSP. Operand X30, modifier SP or zero. */
static int h_pac_hint_lr(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_PAuth)))
        return EXEC_NEXT;                          /* a NOP without the feature */
    unsigned op2 = FIELD(h_pac_hint_lr, o, insn);
    enum PACKeyId kid = (op2 & 2) ? PAC_KEY_IB : PAC_KEY_IA;
    uint64_t mod = (op2 & 1) ? c->sp : 0;
    c->x[30] = pac_hint_memo(c, op2, c->x[30], mod, kid);
    return EXEC_NEXT;
}

bool a64_pac_hint(int (*fn)(CPUState *, uint32_t), uint32_t insn, uint8_t *key_bit)
{
    if (fn != h_pac_hint_lr)
        return false;
    *key_bit = (FIELD(h_pac_hint_lr, o, insn) & 2) ? 2 : 1;   /* op2<1>: key B */
    return true;
}

uint8_t pac_hint_keys(const CPUState *c)
{
    if (!has_feat(c, FEAT_PAuth))
        return 0;
    uint64_t sctlr = regime_sctlr(c);
    return (uint8_t)(((sctlr & SCTLR_EnIA) ? 1 : 0) | ((sctlr & SCTLR_EnIB) ? 2 : 0));
}

/* CRm = 0001, op2 = 000 PACIA1716, 010 PACIB1716, 100 AUTIA1716,
 * 110 AUTIB1716: X17 with modifier X16. */
static int h_pac_hint_1716(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_PAuth)))
        return EXEC_NEXT;
    unsigned op2 = FIELD(h_pac_hint_1716, o, insn) << 1;   /* op2<0> is 0 in the row */
    enum PACKeyId kid = (op2 & 2) ? PAC_KEY_IB : PAC_KEY_IA;
    uint64_t x = c->x[17], mod = c->x[16];
    c->x[17] = (op2 & 4) ? pac_auth(c, x, mod, kid) : pac_add(c, x, mod, kid);
    return EXEC_NEXT;
}

/* XPACLRI: X30 = Strip(X30, instruction). */
static int h_xpaclri(CPUState *c, uint32_t insn)
{
    (void)insn;
    if (likely(has_feat(c, FEAT_PAuth)))
        c->x[30] = Strip(c, c->x[30], false);
    return EXEC_NEXT;
}

/* ---- Combined branches (C6.2.x BRAA, BLRAA, RETAA, ERETAA) ------------------- */

/* AArch64.BranchAddr(target, PSTATE.EL) for the branch forms: with the top
 * byte ignored for instruction addresses (AddrTop = 55), bits [63:56]
 * become the extension of bit 55 in a two-range regime (EL0, EL1,
 * IsInHost()), else zeros. A failed Auth's error code (bits 54:53 or
 * 62:61) is kept, so the fetch still faults. (branch.c has the same
 * function for BR/BLR/RET, static there.) */
static inline uint64_t pac_branch_addr(const CPUState *c, uint64_t target)
{
    if (likely(!effective_tbi(c, target, true)))
        return target;
    bool two;
    (void)regime_tcr(c, &two);
    if (two && ((target >> 55) & 1))
        return target | TOP_BYTE;
    return target & ~TOP_BYTE;
}

/* BRAA/BRAB/BRAAZ/BRABZ and BLR*: opc<0> = link, opc<3> = register
 * modifier (Rm, SP for 31) else zero, op3<0> (bit 10) = key B. */
static inline int bra(CPUState *c, bool link, bool use_mod, unsigned n, unsigned m, unsigned key_b)
{
    if (unlikely(!has_feat(c, FEAT_PAuth)))
        cpu_undefined(c);
    enum PACKeyId kid = key_b ? PAC_KEY_IB : PAC_KEY_IA;
    uint64_t mod = use_mod ? get_xsp(c, m) : 0;
    uint64_t target = pac_auth(c, c->x[n], mod, kid);
    if (link)
        c->x[30] = c->pc + 4;
    c->pc = pac_branch_addr(c, target);
    return EXEC_JUMP;
}

/* One handler per row: link (opc<0>) and the register modifier (opc<3>)
 * are fixed by the row. */
static int h_braz(CPUState *c, uint32_t insn)
{
    return bra(c, false, false, FIELD(h_braz, n, insn), 0, FIELD(h_braz, M, insn));
}

static int h_bra(CPUState *c, uint32_t insn)
{
    return bra(c, false, true, FIELD(h_bra, n, insn), FIELD(h_bra, m, insn), FIELD(h_bra, M, insn));
}

static int h_blraz(CPUState *c, uint32_t insn)
{
    return bra(c, true, false, FIELD(h_blraz, n, insn), 0, FIELD(h_blraz, M, insn));
}

static int h_blra(CPUState *c, uint32_t insn)
{
    return bra(c, true, true, FIELD(h_blra, n, insn), FIELD(h_blra, m, insn), FIELD(h_blra, M, insn));
}

/* RETAA/RETAB: branch to AuthIx(X30, SP). */
static int h_reta(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_PAuth)))
        cpu_undefined(c);
    enum PACKeyId kid = FIELD(h_reta, M, insn) ? PAC_KEY_IB : PAC_KEY_IA;
    c->pc = pac_branch_addr(c, pac_auth(c, c->x[30], c->sp, kid));
    return EXEC_JUMP;
}

/* ERETAA/ERETAB: UNDEFINED at EL0; the FEAT_NV trap of ERET
 * (AArch64.CheckForERetTrap: EC 0x1A, ISS ERET = 1, ERETA = key B); then
 * AArch64.ExceptionReturn(AuthIx(ELR_ELx, SP), SPSR_ELx) through the common
 * ERET path (cpu_exception_return()). */
#define ERET_ISS_ERET  0x2u
#define ERET_ISS_ERETA 0x1u
static int h_ereta(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_PAuth)) || c->el == 0)
        cpu_undefined(c);
    bool key_b = FIELD(h_ereta, M, insn);
    if (el2_trap_eret(c)) {
        ExceptionRecord e = { .ec = EC_ERET, .il = true,
                              .iss = ERET_ISS_ERET | (key_b ? ERET_ISS_ERETA : 0) };
        cpu_raise_sync(c, 2, &e);
    }
    uint64_t elr = c->sr[c->el == 2 ? SR_ELR_EL2 : SR_ELR_EL1];
    uint64_t spsr = c->sr[c->el == 2 ? SR_SPSR_EL2 : SR_SPSR_EL1];
    uint64_t target = pac_auth(c, elr, c->sp, key_b ? PAC_KEY_IB : PAC_KEY_IA);
    return cpu_exception_return(c, target, spsr);
}

/* ---- LDRAA / LDRAB (C6.2.x) ------------------------------------------------ */

/* LDRAx Xt, [Xn|SP, #simm10*8]{!}: M (bit 23) = key B, S:imm9 the scaled
 * offset, W (bit 11) = pre-index writeback. The base (SP alignment checked
 * first) is authenticated with the data key and a zero modifier. With
 * writeback and n == t (n != 31) the CONSTRAINED UNPREDICTABLE choice is
 * that the loaded value wins (X[t] is written last). */
static int h_ldra(CPUState *c, uint32_t insn)
{
    if (unlikely(!has_feat(c, FEAT_PAuth)))
        cpu_undefined(c);
    unsigned t = FIELD(h_ldra, t, insn), n = FIELD(h_ldra, n, insn);
    bool wback = FIELD(h_ldra, W, insn);
    int64_t offset =
        sext64(((uint64_t)FIELD(h_ldra, S, insn) << 9) | FIELD(h_ldra, i, insn), 10) * 8;
    uint64_t base;
    if (n == 31) {
        if (unlikely(c->sp & 15))
            cpu_check_sp_alignment(c, c->sp);
        base = c->sp;
    } else {
        base = c->x[n];
    }
    base = pac_auth(c, base, 0, FIELD(h_ldra, M, insn) ? PAC_KEY_DB : PAC_KEY_DA);
    uint64_t addr = base + (uint64_t)offset;
    uint64_t data = mem_read(c, addr, 8, wback ? 0 : MEMF_GPR(t, 1, 0));
    if (wback)
        set_xsp(c, n, addr);
    set_x(c, t, data);
    return EXEC_NEXT;
}

/* ---- Decode table (Arm ARM C4.1) ------------------------------------------ */

const DecodePattern a64_pauth_patterns[] = {
    /* Data processing (1 source): sf=1 S=0 opcode2=00001 opcode=00ZADB */
    { "PAC_AUT",   "11011010 11000001 00zaDb nnnnn ddddd", h_pac_1src, CLS_CRYPTO },
    /* opcode = 01000D, Rn = 11111 */
    { "XPAC",      "11011010 11000001 01000D 11111 ddddd", h_xpac, CLS_INT },
    /* Data processing (2 source): sf=1 S=0 opcode=001100 */
    { "PACGA",     "10011010 110mmmmm 001100 nnnnn ddddd", h_pacga, CLS_CRYPTO },
    /* HINT space: CRm=0011 (PACIAZ ... AUTIBSP), CRm=0001 op2 even
     * (PAC/AUT 1716), CRm=0000 op2=111 (XPACLRI). */
    { "PAC_HINT_LR",   "11010101 00000011 0010 0011 ooo 11111", h_pac_hint_lr, CLS_CRYPTO, 1 },
    { "PAC_HINT_1716", "11010101 00000011 0010 0001 oo0 11111", h_pac_hint_1716, CLS_CRYPTO, 1 },
    { "XPACLRI",       "11010101 00000011 0010 0000 111 11111", h_xpaclri, CLS_INT, 1 },
    /* Unconditional branch (register): op3 = 00001M */
    { "BRAxZ",     "11010110 00011111 00001M nnnnn 11111", h_braz, CLS_BRANCH },
    { "BRAx",      "11010111 00011111 00001M nnnnn mmmmm", h_bra, CLS_BRANCH },
    { "BLRAxZ",    "11010110 00111111 00001M nnnnn 11111", h_blraz, CLS_BRANCH },
    { "BLRAx",     "11010111 00111111 00001M nnnnn mmmmm", h_blra, CLS_BRANCH },
    { "RETAx",     "11010110 01011111 00001M 11111 11111", h_reta, CLS_BRANCH },
    { "ERETAx",    "11010110 10011111 00001M 11111 11111", h_ereta, CLS_EXC },
    /* Load register, pointer authenticated: size=11 V=0 M S 1 imm9 W 1 */
    { "LDRAx",     "11111000 MS1iiiii iiiiW1nn nnnttttt", h_ldra, CLS_LOAD },
    { NULL, NULL, NULL, 0, 0 },
};
