/*
 * ComputePAC: the architected QARMA5-64 cipher of pointer authentication
 * (Arm ARM, shared pseudocode ComputePAC and its helpers PACCellShuffle,
 * PACCellInvShuffle, PACMult, PACSub, PACInvSub, RotCell, TweakCellRot,
 * TweakCellInvRot, TweakShuffle, TweakInvShuffle).
 *
 * The state is 16 4-bit cells; cell i is bits <4i+3:4i>. The helpers work
 * on the whole 64-bit word where the pseudocode loops over cells: PACSub
 * substitutes two cells per byte-table lookup, PACMult rotates all cells at
 * once and combines 16-bit rows.
 */
#include "cpu/pauth.h"

#include <pthread.h>

/* Cell i of the result is cell perm[i] of the input. */
static inline uint64_t cell_permute(uint64_t x, const uint8_t perm[16])
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 16; i++)
        r |= ((x >> (4 * perm[i])) & 0xf) << (4 * i);
    return r;
}

/* PACCellShuffle: outdata<3:0> = indata<55:52> (cell 13), <7:4> = <27:24>
 * (cell 6), ... as in the pseudocode. */
static const uint8_t cell_shuffle[16] = { 13, 6, 11, 0, 7, 12, 1, 10, 8, 3, 14, 5, 2, 9, 4, 15 };
/* PACCellInvShuffle: the inverse permutation. */
static const uint8_t cell_inv_shuffle[16] = { 3, 6, 12, 9, 14, 11, 1, 4, 8, 13, 7, 2, 5, 0, 10, 15 };

uint64_t PACCellShuffle(uint64_t x) { return cell_permute(x, cell_shuffle); }
uint64_t PACCellInvShuffle(uint64_t x) { return cell_permute(x, cell_inv_shuffle); }

/* PACSub / PACInvSub: the 4-bit sbox (QARMA sigma2) and its inverse. */
static const uint8_t sub4[16] = { 0xb, 0x6, 0x8, 0xf, 0xc, 0x0, 0x9, 0xe,
                                  0x3, 0x7, 0x4, 0x5, 0xd, 0x2, 0x1, 0xa };
static const uint8_t inv_sub4[16] = { 0x5, 0xe, 0xd, 0x8, 0xa, 0xb, 0x1, 0x9,
                                      0x2, 0x6, 0xf, 0x0, 0x4, 0xc, 0x7, 0x3 };

/* The same on two cells (one byte) at a time, built once from sub4. */
static uint8_t sub8[256], inv_sub8[256];
static pthread_once_t sub8_once = PTHREAD_ONCE_INIT;

static void sub8_init(void)
{
    for (unsigned b = 0; b < 256; b++) {
        sub8[b] = (uint8_t)(sub4[b & 0xf] | sub4[b >> 4] << 4);
        inv_sub8[b] = (uint8_t)(inv_sub4[b & 0xf] | inv_sub4[b >> 4] << 4);
    }
}

static inline uint64_t sub_bytes(uint64_t x, const uint8_t t[256])
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += 8)
        r |= (uint64_t)t[(x >> i) & 0xff] << i;
    return r;
}

uint64_t PACSub(uint64_t x)
{
    pthread_once(&sub8_once, sub8_init);
    return sub_bytes(x, sub8);
}

uint64_t PACInvSub(uint64_t x)
{
    pthread_once(&sub8_once, sub8_init);
    return sub_bytes(x, inv_sub8);
}

/* RotCell(cell, amount) on every cell at once: a 4-bit rotate left. */
#define NIB1 0x1111111111111111ull
static inline uint64_t rot_cells(uint64_t x, unsigned amount)
{
    uint64_t keep = (0xfull >> amount) * NIB1;   /* bits that move up within a cell */
    return ((x & keep) << amount) | ((x & ~keep) >> (4 - amount));
}

/* PACMult: the MixColumns-like matrix over rows of four cells. Row j is
 * cells 4j..4j+3 (a 16-bit lane); the pseudocode's loop over column i
 * computes for each column
 *   t0 = rot1(c[i+8]) ^ rot2(c[i+4]) ^ rot1(c[i])     -> out c[i+12]
 *   t1 = rot1(c[i+12]) ^ rot1(c[i+4]) ^ rot2(c[i])    -> out c[i+8]
 *   t2 = rot2(c[i+12]) ^ rot1(c[i+8]) ^ rot1(c[i])    -> out c[i+4]
 *   t3 = rot1(c[i+12]) ^ rot2(c[i+8]) ^ rot1(c[i+4])  -> out c[i]
 * which is the same per 16-bit row. */
uint64_t PACMult(uint64_t x)
{
    uint64_t r1 = rot_cells(x, 1), r2 = rot_cells(x, 2);
#define ROW(v, j) (((v) >> (16 * (j))) & 0xffff)
    uint64_t t0 = ROW(r1, 2) ^ ROW(r2, 1) ^ ROW(r1, 0);
    uint64_t t1 = ROW(r1, 3) ^ ROW(r1, 1) ^ ROW(r2, 0);
    uint64_t t2 = ROW(r2, 3) ^ ROW(r1, 2) ^ ROW(r1, 0);
    uint64_t t3 = ROW(r1, 3) ^ ROW(r2, 2) ^ ROW(r1, 1);
#undef ROW
    return t3 | t2 << 16 | t1 << 32 | t0 << 48;
}

/* TweakCellRot: out<3> = in<0> ^ in<1>, out<2:0> = in<3:1> (an LFSR step). */
static inline uint64_t tweak_cell_rot(uint64_t c)
{
    return (c >> 1) | (((c ^ (c >> 1)) & 1) << 3);
}

/* TweakCellInvRot: out<3:1> = in<2:0>, out<0> = in<0> ^ in<3>. */
static inline uint64_t tweak_cell_inv_rot(uint64_t c)
{
    return ((c << 1) & 0xe) | ((c ^ (c >> 3)) & 1);
}

/* TweakShuffle: cell i of the output is cell tweak_perm[i] of the input,
 * passed through TweakCellRot when bit i of tweak_rot is set. */
static const uint8_t tweak_perm[16] = { 4, 5, 6, 7, 11, 2, 3, 8, 12, 13, 14, 15, 0, 1, 10, 9 };
static const uint16_t tweak_rot = (1u << 2) | (1u << 4) | (1u << 7) | (1u << 11) | (1u << 12) |
                                  (1u << 14) | (1u << 15);
/* TweakInvShuffle: the inverse, with TweakCellInvRot. */
static const uint8_t tweak_inv_perm[16] = { 12, 13, 5, 6, 0, 1, 2, 3, 7, 15, 14, 4, 8, 9, 10, 11 };
static const uint16_t tweak_inv_rot = (1u << 0) | (1u << 6) | (1u << 8) | (1u << 9) |
                                      (1u << 10) | (1u << 11) | (1u << 15);

uint64_t TweakShuffle(uint64_t x)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 16; i++) {
        uint64_t cell = (x >> (4 * tweak_perm[i])) & 0xf;
        if ((tweak_rot >> i) & 1)
            cell = tweak_cell_rot(cell);
        r |= cell << (4 * i);
    }
    return r;
}

uint64_t TweakInvShuffle(uint64_t x)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 16; i++) {
        uint64_t cell = (x >> (4 * tweak_inv_perm[i])) & 0xf;
        if ((tweak_inv_rot >> i) & 1)
            cell = tweak_cell_inv_rot(cell);
        r |= cell << (4 * i);
    }
    return r;
}

/* Round constants RC[0..4] and Alpha of ComputePAC (the fractional digits
 * of pi, as in QARMA). */
static const uint64_t RC[5] = {
    0x0000000000000000ull, 0x13198A2E03707344ull, 0xA4093822299F31D0ull,
    0x082EFA98EC4E6C89ull, 0x452821E638D01377ull,
};
#define PAC_ALPHA 0xC0AC29B7C97C50DDull

uint64_t ComputePAC_reference(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1)
{
    /* modk0 = key0<0>:key0<63:2>:(key0<63> EOR key0<1>) */
    uint64_t modk0 = (key0 << 63) | ((key0 >> 2) << 1) | (((key0 >> 63) ^ (key0 >> 1)) & 1);
    uint64_t runningmod = modifier;
    uint64_t w = data ^ key0;

    for (unsigned i = 0; i <= 4; i++) {
        w ^= key1 ^ runningmod;            /* roundkey = key1 EOR runningmod */
        w ^= RC[i];
        if (i > 0) {
            w = PACCellShuffle(w);
            w = PACMult(w);
        }
        w = PACSub(w);
        runningmod = TweakShuffle(runningmod);
    }
    w ^= modk0 ^ runningmod;
    w = PACCellShuffle(w);
    w = PACMult(w);
    w = PACSub(w);
    w = PACCellShuffle(w);
    w = PACMult(w);
    w ^= key1;
    w = PACCellInvShuffle(w);
    w = PACInvSub(w);
    w = PACMult(w);
    w = PACCellInvShuffle(w);
    w ^= key0;
    w ^= runningmod;
    for (unsigned i = 0; i <= 4; i++) {
        w = PACInvSub(w);
        if (i < 4) {
            w = PACMult(w);
            w = PACCellInvShuffle(w);
        }
        runningmod = TweakInvShuffle(runningmod);
        w ^= RC[4 - i];
        w ^= key1 ^ runningmod;
        w ^= PAC_ALPHA;
    }
    return w ^ modk0;
}

/* ---- Fast ComputePAC ---------------------------------------------------
 *
 * Every step of the cipher except PACSub/PACInvSub is linear over GF(2)
 * (cell permutations, TweakCellRot, PACMult), so a linear step L satisfies
 * L(x) = XOR over the 8 bytes b_i of x of L(b_i << 8i). lin_tab builds the
 * 8 x 256 table of those images once, from the reference functions above;
 * a step then costs 8 loads and 7 XORs. Consecutive linear steps are fused.
 * ComputePAC_reference() stays the executable specification; the unit test
 * compares both. */

typedef struct LinTab {
    uint64_t t[8][256];
} LinTab;

static LinTab tab_ms;    /* PACMult(PACCellShuffle(x)) */
static LinTab tab_ims;   /* PACCellInvShuffle(PACMult(x)) */
static LinTab tab_is;    /* PACCellInvShuffle(x) */
static LinTab tab_tw;    /* TweakShuffle(x) */
static LinTab tab_itw;   /* TweakInvShuffle(x) */
static pthread_once_t tabs_once = PTHREAD_ONCE_INIT;

static uint64_t f_ms(uint64_t x) { return PACMult(PACCellShuffle(x)); }
static uint64_t f_ims(uint64_t x) { return PACCellInvShuffle(PACMult(x)); }

static void lin_build(LinTab *t, uint64_t (*f)(uint64_t))
{
    for (unsigned i = 0; i < 8; i++)
        for (unsigned b = 0; b < 256; b++)
            t->t[i][b] = f((uint64_t)b << (8 * i));
}

static void tabs_init(void)
{
    pthread_once(&sub8_once, sub8_init);
    lin_build(&tab_ms, f_ms);
    lin_build(&tab_ims, f_ims);
    lin_build(&tab_is, PACCellInvShuffle);
    lin_build(&tab_tw, TweakShuffle);
    lin_build(&tab_itw, TweakInvShuffle);
}

static inline uint64_t lin(const LinTab *t, uint64_t x)
{
    return t->t[0][x & 0xff] ^ t->t[1][(x >> 8) & 0xff] ^ t->t[2][(x >> 16) & 0xff] ^
           t->t[3][(x >> 24) & 0xff] ^ t->t[4][(x >> 32) & 0xff] ^ t->t[5][(x >> 40) & 0xff] ^
           t->t[6][(x >> 48) & 0xff] ^ t->t[7][x >> 56];
}

static uint64_t compute_pac_tables(uint64_t data, uint64_t modifier, uint64_t key0,
                                   uint64_t key1)
{
    uint64_t modk0 = (key0 << 63) | ((key0 >> 2) << 1) | (((key0 >> 63) ^ (key0 >> 1)) & 1);
    uint64_t rm = modifier;
    uint64_t w = data ^ key0;

    for (unsigned i = 0; i <= 4; i++) {
        w ^= key1 ^ rm ^ RC[i];
        if (i > 0)
            w = lin(&tab_ms, w);                 /* PACCellShuffle, PACMult */
        w = sub_bytes(w, sub8);                  /* PACSub */
        rm = lin(&tab_tw, rm);                   /* TweakShuffle */
    }
    w ^= modk0 ^ rm;
    w = sub_bytes(lin(&tab_ms, w), sub8);        /* PACCellShuffle, PACMult, PACSub */
    w = lin(&tab_ms, w) ^ key1;                  /* PACCellShuffle, PACMult, EOR key1 */
    /* PACCellInvShuffle then PACInvSub == PACInvSub then PACCellInvShuffle
     * (a cell permutation commutes with a cell-wise sbox) */
    w = lin(&tab_is, sub_bytes(w, inv_sub8));
    w = lin(&tab_ims, w);                        /* PACMult, PACCellInvShuffle */
    w ^= key0 ^ rm;
    for (unsigned i = 0; i <= 4; i++) {
        w = sub_bytes(w, inv_sub8);              /* PACInvSub */
        if (i < 4)
            w = lin(&tab_ims, w);                /* PACMult, PACCellInvShuffle */
        rm = lin(&tab_itw, rm);                  /* TweakInvShuffle */
        w ^= RC[4 - i] ^ key1 ^ rm ^ PAC_ALPHA;
    }
    return w ^ modk0;
}

/* ---- ComputePAC with SSSE3 ---------------------------------------------
 *
 * One cell per byte of an xmm register: every step is a byte shuffle
 * (PSHUFB) or a XOR. A cell permutation is a shuffle by its index vector;
 * PACSub, PACInvSub, RotCell and TweakCellRot are shuffles of a 16-entry
 * table by the cells; PACMult is, per output cell, the XOR of three cells
 * of the other rows (two rotated by 1, one by 2), i.e. three shuffles of
 * the rotated states (pac_mult_src()); a permutation before or after it
 * folds into those three index vectors. No table lookup touches memory, so
 * a ComputePAC costs about 150 vector instructions instead of some 200
 * loads from 80 KiB of tables. The same results as ComputePAC_reference()
 * (test_pauth). Used when the host has SSSE3 (pac_ssse3_ok). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PAC_SSSE3 1
#include <immintrin.h>

#define SSSE3 __attribute__((target("ssse3")))

typedef struct PacVec {
    __m128i sub, inv_sub, rot1, rot2;     /* cell -> cell tables */
    __m128i ms[3];       /* PACMult(PACCellShuffle(x)): sources in rot1, rot1, rot2 */
    __m128i mi[3];       /* PACCellInvShuffle(PACMult(x)) */
    __m128i inv_shuffle; /* PACCellInvShuffle */
    __m128i tw, tw_d, tw_m;     /* TweakShuffle: permutation, TweakCellRot(c) ^ c, rotated cells */
    __m128i itw, itw_d, itw_m;  /* TweakInvShuffle: the same with TweakCellInvRot */
    __m128i rc[5], alpha;
} PacVec;

static PacVec pv;
static bool pac_ssse3_ok;

static __m128i bytes16(const uint8_t b[16])
{
    return _mm_loadu_si128((const __m128i *)(const void *)b);
}

/* PACMult's sources of output cell o (row o / 4, column i = o % 4): the
 * cells of the other rows the scalar PACMult() XORs (k = 0, 1: rotated by
 * 1; k = 2: rotated by 2). */
static unsigned pac_mult_src(unsigned o, unsigned k)
{
    static const uint8_t row[4][3] = {
        { 3, 1, 2 },    /* row 0: rot1 row 3, rot1 row 1, rot2 row 2 */
        { 2, 0, 3 },    /* row 1: rot1 row 2, rot1 row 0, rot2 row 3 */
        { 3, 1, 0 },    /* row 2: rot1 row 3, rot1 row 1, rot2 row 0 */
        { 2, 0, 1 },    /* row 3: rot1 row 2, rot1 row 0, rot2 row 1 */
    };
    return 4u * row[o >> 2][k] + (o & 3);
}

static void pac_vec_init(void)
{
    uint8_t b[16];
    for (unsigned c = 0; c < 16; c++)
        b[c] = sub4[c];
    pv.sub = bytes16(b);
    for (unsigned c = 0; c < 16; c++)
        b[c] = inv_sub4[c];
    pv.inv_sub = bytes16(b);
    for (unsigned c = 0; c < 16; c++)
        b[c] = (uint8_t)(((c << 1) | (c >> 3)) & 0xf);
    pv.rot1 = bytes16(b);
    for (unsigned c = 0; c < 16; c++)
        b[c] = (uint8_t)(((c << 2) | (c >> 2)) & 0xf);
    pv.rot2 = bytes16(b);
    for (unsigned k = 0; k < 3; k++) {
        for (unsigned o = 0; o < 16; o++)
            b[o] = cell_shuffle[pac_mult_src(o, k)];            /* shuffle, then mult */
        pv.ms[k] = bytes16(b);
        for (unsigned o = 0; o < 16; o++)
            b[o] = (uint8_t)pac_mult_src(cell_inv_shuffle[o], k); /* mult, then inverse shuffle */
        pv.mi[k] = bytes16(b);
    }
    pv.inv_shuffle = bytes16(cell_inv_shuffle);
    pv.tw = bytes16(tweak_perm);
    pv.itw = bytes16(tweak_inv_perm);
    for (unsigned c = 0; c < 16; c++)
        b[c] = (uint8_t)(tweak_cell_rot(c) ^ c);
    pv.tw_d = bytes16(b);
    for (unsigned c = 0; c < 16; c++)
        b[c] = (uint8_t)(tweak_cell_inv_rot(c) ^ c);
    pv.itw_d = bytes16(b);
    for (unsigned i = 0; i < 16; i++)
        b[i] = (tweak_rot >> i) & 1 ? 0xff : 0;
    pv.tw_m = bytes16(b);
    for (unsigned i = 0; i < 16; i++)
        b[i] = (tweak_inv_rot >> i) & 1 ? 0xff : 0;
    pv.itw_m = bytes16(b);
}

/* The 16 cells of x, one per byte (cell i in byte i). */
static inline SSSE3 __m128i to_cells(uint64_t x)
{
    __m128i v = _mm_cvtsi64_si128((long long)x), m = _mm_set1_epi8(0x0f);
    return _mm_unpacklo_epi8(_mm_and_si128(v, m), _mm_and_si128(_mm_srli_epi16(v, 4), m));
}

static inline SSSE3 uint64_t from_cells(__m128i v)
{
    __m128i w = _mm_maddubs_epi16(v, _mm_set1_epi16(0x1001));   /* even cell + 16 * odd cell */
    return (uint64_t)_mm_cvtsi128_si64(_mm_packus_epi16(w, w));
}

#define SHUF _mm_shuffle_epi8
#define XOR _mm_xor_si128

/* PACMult with the permutation folded into idx (pv.ms or pv.mi). */
static inline SSSE3 __m128i mult(__m128i x, const __m128i idx[3])
{
    __m128i r1 = SHUF(pv.rot1, x), r2 = SHUF(pv.rot2, x);
    return XOR(XOR(SHUF(r1, idx[0]), SHUF(r1, idx[1])), SHUF(r2, idx[2]));
}

static inline SSSE3 __m128i tweak(__m128i x, __m128i perm, __m128i d, __m128i mask)
{
    __m128i p = SHUF(x, perm);
    return XOR(p, _mm_and_si128(SHUF(d, p), mask));
}

static SSSE3 uint64_t compute_pac_ssse3(uint64_t data, uint64_t modifier, uint64_t key0,
                                        uint64_t key1)
{
    uint64_t modk0 = (key0 << 63) | ((key0 >> 2) << 1) | (((key0 >> 63) ^ (key0 >> 1)) & 1);
    __m128i k1 = to_cells(key1), rm = to_cells(modifier);
    __m128i w = to_cells(data ^ key0);
    for (unsigned i = 0; i <= 4; i++) {
        w = XOR(w, XOR(XOR(k1, rm), pv.rc[i]));
        if (i > 0)
            w = mult(w, pv.ms);                          /* PACCellShuffle, PACMult */
        w = SHUF(pv.sub, w);                             /* PACSub */
        rm = tweak(rm, pv.tw, pv.tw_d, pv.tw_m);         /* TweakShuffle */
    }
    w = XOR(w, XOR(to_cells(modk0), rm));
    w = SHUF(pv.sub, mult(w, pv.ms));
    w = XOR(mult(w, pv.ms), k1);
    w = SHUF(SHUF(pv.inv_sub, w), pv.inv_shuffle);       /* PACCellInvShuffle, PACInvSub */
    w = mult(w, pv.mi);                                  /* PACMult, PACCellInvShuffle */
    w = XOR(w, XOR(to_cells(key0), rm));
    for (unsigned i = 0; i <= 4; i++) {
        w = SHUF(pv.inv_sub, w);                         /* PACInvSub */
        if (i < 4)
            w = mult(w, pv.mi);                          /* PACMult, PACCellInvShuffle */
        rm = tweak(rm, pv.itw, pv.itw_d, pv.itw_m);      /* TweakInvShuffle */
        w = XOR(w, XOR(XOR(pv.rc[4 - i], k1), XOR(rm, pv.alpha)));
    }
    return from_cells(w) ^ modk0;
}

static SSSE3 void pac_vec_consts(void)
{
    for (unsigned i = 0; i < 5; i++)
        pv.rc[i] = to_cells(RC[i]);
    pv.alpha = to_cells(PAC_ALPHA);
}
#undef SHUF
#undef XOR
#endif

static pthread_once_t fast_once = PTHREAD_ONCE_INIT;

static void fast_init(void)
{
    pthread_once(&tabs_once, tabs_init);
#ifdef PAC_SSSE3
    __builtin_cpu_init();
    if (__builtin_cpu_supports("ssse3")) {
        pac_vec_init();
        pac_vec_consts();
        pac_ssse3_ok = true;
    }
#endif
}

bool ComputePAC_ssse3(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1, uint64_t *out)
{
    pthread_once(&fast_once, fast_init);
#ifdef PAC_SSSE3
    if (pac_ssse3_ok) {
        *out = compute_pac_ssse3(data, modifier, key0, key1);
        return true;
    }
#endif
    (void)data;
    (void)modifier;
    (void)key0;
    (void)key1;
    return false;
}

uint64_t ComputePAC_tables(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1)
{
    pthread_once(&tabs_once, tabs_init);
    return compute_pac_tables(data, modifier, key0, key1);
}

/* A memo of recent results: the same pointer is usually signed and then
 * authenticated with the same modifier (PACIASP ... AUTIASP of one call,
 * the same call site again and again), so most ComputePACs repeat a recent
 * one. Direct-mapped, per host thread, keyed by all four inputs: a pure
 * cache that cannot change a result. Its size weighs a hit against a
 * miss: with the SSSE3 cipher a miss costs about 35 ns, so a memo that
 * fits the host's L1/L2 (512 entries, 24 KiB) beats the 32 Ki entries
 * (1.5 MiB) the table cipher (150-300 ns a miss) needed, whose hits were
 * host cache misses themselves: the nested benchmark's first 4 G
 * instructions took 13.5-18.2 s of CPU with 512 entries against 16.9-21.1 s
 * with 32 Ki (docs/performance.md "Session 9"). Without a memo the PAuth
 * boot is 20% slower: most ComputePACs do repeat. */
#define PAC_MEMO_BITS 9
typedef struct PACMemo {
    uint64_t data, modifier, key0, key1, pac;
    bool valid;
} PACMemo;
static _Thread_local PACMemo pac_memo[1u << PAC_MEMO_BITS];

uint64_t ComputePAC(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1)
{
    uint64_t h = (data ^ (modifier * 0x9e3779b97f4a7c15ull) ^ key1) * 0xff51afd7ed558ccdull;
    PACMemo *e = &pac_memo[h >> (64 - PAC_MEMO_BITS)];
    if (likely(e->valid && e->data == data && e->modifier == modifier && e->key0 == key0 &&
               e->key1 == key1))
        return e->pac;
    pthread_once(&fast_once, fast_init);
    uint64_t pac;
#ifdef PAC_SSSE3
    if (likely(pac_ssse3_ok))
        pac = compute_pac_ssse3(data, modifier, key0, key1);
    else
#endif
        pac = compute_pac_tables(data, modifier, key0, key1);
    *e = (PACMemo){ data, modifier, key0, key1, pac, true };
    return pac;
}
