/*
 * Cryptographic extension (Arm ARM C7.2 AESE/AESD/AESMC/AESIMC, SHA1*,
 * SHA256*, PMULL): whole AES-128 encryption and decryption against the
 * FIPS-197 appendix B and C.1 vectors, and full SHA-1 and SHA-256 digests
 * of "abc" (FIPS 180-4 examples) built from the emulated instructions.
 */
#include "simd_harness.h"

/* Register convention of every word below: Vd = v0, Vn = v1, Vm = v2. */
#define SHA256H   0x5e024020u   /* sha256h q0, q1, v2.4s */
#define SHA256H2  0x5e025020u   /* sha256h2 q0, q1, v2.4s */
#define SHA256SU0 0x5e282820u   /* sha256su0 v0.4s, v1.4s */
#define SHA256SU1 0x5e026020u   /* sha256su1 v0.4s, v1.4s, v2.4s */
#define SHA1C     0x5e020020u   /* sha1c q0, s1, v2.4s */
#define SHA1P     0x5e021020u   /* sha1p q0, s1, v2.4s */
#define SHA1M     0x5e022020u   /* sha1m q0, s1, v2.4s */
#define SHA1SU0   0x5e023020u   /* sha1su0 v0.4s, v1.4s, v2.4s */
#define SHA1SU1   0x5e281820u   /* sha1su1 v0.4s, v1.4s */
#define SHA1H     0x5e280820u   /* sha1h s0, s1 */
#define AESE      0x4e284820u   /* aese v0.16b, v1.16b */
#define AESD      0x4e285820u   /* aesd v0.16b, v1.16b */
#define AESMC     0x4e286820u   /* aesmc v0.16b, v1.16b */
#define AESIMC    0x4e287820u   /* aesimc v0.16b, v1.16b */
#define PMULL_1Q  0x0ee2e020u   /* pmull v0.1q, v1.1d, v2.1d */
#define PMULL2_1Q 0x4ee2e020u   /* pmull2 v0.1q, v1.2d, v2.2d */
#define PMULL_8H  0x0e22e020u   /* pmull v0.8h, v1.8b, v2.8b */

static a83_machine *M;

/** Runs insn with v0 = d, v1 = n, v2 = m; returns v0. */
static V128 op(uint32_t insn, V128 d, V128 n, V128 m)
{
    h_vset(M, 0, d);
    h_vset(M, 1, n);
    h_vset(M, 2, m);
    h_exec(M, insn);
    return h_vget(M, 0);
}

static const V128 Z = { 0, 0 };

static V128 vxor(V128 a, V128 b) { V128 r = { a.lo ^ b.lo, a.hi ^ b.hi }; return r; }

static int setup(void **state) { (void)state; M = h_new(); return 0; }
static int teardown(void **state) { (void)state; a83_machine_destroy(M); return 0; }

/* ---- AES --------------------------------------------------------------- */

/** SubWord(w) via AESE: with all four columns equal, ShiftRows is the
 *  identity, so AESE(0, w:w:w:w) leaves SubWord(w) in each column. */
static uint32_t subword(uint32_t w)
{
    uint32_t in[4] = { w, w, w, w }, out[4];
    h_to_words(op(AESE, Z, h_words(in), Z), out);
    return out[0];
}

/** FIPS-197 section 5.2 KeyExpansion for AES-128; words are the
 *  little-endian view of the round key bytes (byte 0 in bits 7:0). */
static void expand_key(const uint8_t key[16], V128 rk[11])
{
    uint32_t w[44];
    memcpy(w, key, 16);
    uint8_t rcon = 1;
    for (unsigned i = 4; i < 44; i++) {
        uint32_t t = w[i - 1];
        if (i % 4 == 0) {
            t = subword((t >> 8) | (t << 24)) ^ rcon;          /* RotWord, SubWord, Rcon */
            rcon = (uint8_t)((rcon << 1) ^ ((rcon & 0x80) ? 0x1b : 0));
        }
        w[i] = w[i - 4] ^ t;
    }
    for (unsigned r = 0; r < 11; r++)
        rk[r] = h_words(&w[4 * r]);
}

static V128 aes128_encrypt(const V128 rk[11], V128 s)
{
    for (unsigned r = 0; r < 9; r++) {
        s = op(AESE, s, rk[r], Z);
        s = op(AESMC, Z, s, Z);
    }
    s = op(AESE, s, rk[9], Z);
    return vxor(s, rk[10]);
}

/** The equivalent inverse cipher with AESD/AESIMC (FIPS-197 5.3.5). */
static V128 aes128_decrypt(const V128 rk[11], V128 s)
{
    s = op(AESD, s, rk[10], Z);
    for (unsigned r = 9; r >= 1; r--) {
        s = op(AESIMC, Z, s, Z);
        s = op(AESD, s, op(AESIMC, Z, rk[r], Z), Z);
    }
    return vxor(s, rk[0]);
}

static void check_aes(const uint8_t key[16], const uint8_t pt[16], const uint8_t ct[16])
{
    V128 rk[11];
    expand_key(key, rk);
    V128 c = aes128_encrypt(rk, h_bytes(pt)), e = h_bytes(ct);
    assert_v128(c, e.lo, e.hi);
    V128 p = aes128_decrypt(rk, c), ep = h_bytes(pt);
    assert_v128(p, ep.lo, ep.hi);
}

/* FIPS-197 section 5.1.1: SubBytes({53}) = {ed}; S({00}) = {63}. */
static void test_aes_sbox(void **state)
{
    (void)state;
    assert_int_equal(subword(0x00005300u), 0x6363ed63u);
    /* AESD with ShiftRows-invariant input inverts it: InvSubBytes({ed}) = {53}. */
    uint32_t in[4] = { 0x6363ed63u, 0x6363ed63u, 0x6363ed63u, 0x6363ed63u }, out[4];
    h_to_words(op(AESD, Z, h_words(in), Z), out);
    assert_int_equal(out[0], 0x00005300u);
}

/* FIPS-197 section 5.1.3 MixColumns on one column (the appendix B round 1
 * column d4 bf 5d 30 -> 04 66 81 e5), and InvMixColumns undoing it. */
static void test_aes_mixcolumns(void **state)
{
    (void)state;
    uint32_t in[4] = { 0x305dbfd4u, 0, 0, 0x305dbfd4u }, out[4];
    V128 r = op(AESMC, Z, h_words(in), Z);
    h_to_words(r, out);
    assert_int_equal(out[0], 0xe5816604u);
    assert_int_equal(out[1], 0);
    assert_int_equal(out[3], 0xe5816604u);
    h_to_words(op(AESIMC, Z, r, Z), out);
    assert_int_equal(out[0], 0x305dbfd4u);
    assert_int_equal(out[3], 0x305dbfd4u);
}

/* FIPS-197 appendix B (cipher example) and appendix C.1 (AES-128). */
static void test_aes_fips197(void **state)
{
    (void)state;
    static const uint8_t kb[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
    static const uint8_t pb[16] = { 0x32, 0x43, 0xf6, 0xa8, 0x88, 0x5a, 0x30, 0x8d,
                                    0x31, 0x31, 0x98, 0xa2, 0xe0, 0x37, 0x07, 0x34 };
    static const uint8_t cb[16] = { 0x39, 0x25, 0x84, 0x1d, 0x02, 0xdc, 0x09, 0xfb,
                                    0xdc, 0x11, 0x85, 0x97, 0x19, 0x6a, 0x0b, 0x32 };
    check_aes(kb, pb, cb);
    uint8_t kc[16], pc[16];
    for (unsigned i = 0; i < 16; i++) {
        kc[i] = (uint8_t)i;
        pc[i] = (uint8_t)(i * 0x11);
    }
    static const uint8_t cc[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                    0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
    check_aes(kc, pc, cc);
}

/* ---- SHA --------------------------------------------------------------- */

/** floor(root(x)) for k = 2 (square) or 3 (cube), exact integer arithmetic. */
static unsigned __int128 iroot(unsigned __int128 x, unsigned k)
{
    unsigned __int128 lo = 0, hi = (unsigned __int128)1 << (k == 2 ? 64 : 43);
    while (lo < hi) {
        unsigned __int128 mid = (lo + hi + 1) / 2, p = mid * mid;
        if (k == 3)
            p *= mid;
        if (p <= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static unsigned nth_prime(unsigned n)
{
    unsigned p = 1;
    for (unsigned found = 0; found <= n;) {
        p++;
        bool prime = true;
        for (unsigned d = 2; d * d <= p; d++)
            if (p % d == 0)
                prime = false;
        found += prime;
    }
    return p;
}

/** The "abc" message block as 16 big-endian words (FIPS 180-4 5.1.1). */
static void abc_block(uint32_t w[16])
{
    memset(w, 0, 64);
    w[0] = 0x61626380u;
    w[15] = 24;
}

static V128 vadd32(V128 a, const uint32_t k[4])
{
    uint32_t x[4];
    h_to_words(a, x);
    for (unsigned i = 0; i < 4; i++)
        x[i] += k[i];
    return h_words(x);
}

/* SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c
 * b410ff61 f20015ad (FIPS 180-4 example). K and H(0) are computed from
 * their definitions (cube / square roots of the first primes). */
static void test_sha256_abc(void **state)
{
    (void)state;
    uint32_t k[64], h0[8], msg[16];
    for (unsigned i = 0; i < 64; i++)
        k[i] = (uint32_t)iroot((unsigned __int128)nth_prime(i) << 96, 3);
    for (unsigned i = 0; i < 8; i++)
        h0[i] = (uint32_t)iroot((unsigned __int128)nth_prime(i) << 64, 2);
    assert_int_equal(k[0], 0x428a2f98u);
    assert_int_equal(h0[0], 0x6a09e667u);
    abc_block(msg);

    V128 w[4];
    for (unsigned i = 0; i < 4; i++)
        w[i] = h_words(&msg[4 * i]);
    V128 abcd = h_words(h0), efgh = h_words(h0 + 4);
    for (unsigned g = 0; g < 16; g++) {
        V128 wk = vadd32(w[g % 4], &k[4 * g]);
        V128 old = abcd;
        abcd = op(SHA256H, abcd, efgh, wk);
        efgh = op(SHA256H2, efgh, old, wk);
        if (g < 12) {
            /* W[4(g+4)..] = SU1(SU0(W[g], W[g+1]), W[g+2], W[g+3]) */
            V128 t = op(SHA256SU0, w[g % 4], w[(g + 1) % 4], Z);
            w[g % 4] = op(SHA256SU1, t, w[(g + 2) % 4], w[(g + 3) % 4]);
        }
    }
    uint32_t a[4], e[4];
    h_to_words(abcd, a);
    h_to_words(efgh, e);
    static const uint32_t want[8] = { 0xba7816bfu, 0x8f01cfeau, 0x414140deu, 0x5dae2223u,
                                      0xb00361a3u, 0x96177a9cu, 0xb410ff61u, 0xf20015adu };
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(a[i] + h0[i], want[i]);
        assert_int_equal(e[i] + h0[4 + i], want[4 + i]);
    }
}

/* SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d (FIPS 180-4
 * example): SHA1C/P/M for the four round groups, SHA1H for e, SHA1SU0/SU1
 * for the message schedule. */
static void test_sha1_abc(void **state)
{
    (void)state;
    static const uint32_t kc[4] = { 0x5a827999u, 0x6ed9eba1u, 0x8f1bbcdcu, 0xca62c1d6u };
    static const uint32_t h0[5] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u,
                                    0xc3d2e1f0u };
    uint32_t msg[16];
    abc_block(msg);
    V128 w[4];
    for (unsigned i = 0; i < 4; i++)
        w[i] = h_words(&msg[4 * i]);
    V128 abcd = h_words(h0);
    uint32_t e = h0[4];
    for (unsigned g = 0; g < 20; g++) {
        uint32_t kk[4] = { kc[g / 5], kc[g / 5], kc[g / 5], kc[g / 5] };
        V128 wk = vadd32(w[g % 4], kk);
        V128 ev = { e, 0 };
        uint32_t enext = (uint32_t)op(SHA1H, Z, abcd, Z).lo;
        uint32_t insn = g < 5 ? SHA1C : g < 10 ? SHA1P : g < 15 ? SHA1M : SHA1P;
        abcd = op(insn, abcd, ev, wk);
        e = enext;
        if (g < 16) {
            V128 t = op(SHA1SU0, w[g % 4], w[(g + 1) % 4], w[(g + 2) % 4]);
            w[g % 4] = op(SHA1SU1, t, w[(g + 3) % 4], Z);
        }
    }
    uint32_t a[4];
    h_to_words(abcd, a);
    static const uint32_t want[5] = { 0xa9993e36u, 0x4706816au, 0xba3e2571u, 0x7850c26cu,
                                      0x9cd0d89du };
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(a[i] + h0[i], want[i]);
    assert_int_equal(e + h0[4], want[4]);
}

/* SHA1H writes a scalar S: bits 127:32 of Vd are cleared (Arm ARM SHA1H). */
static void test_sha1h_scalar(void **state)
{
    (void)state;
    V128 d = { ~0ull, ~0ull }, n = { 0x0000000580000001ull, 7 };
    assert_v128(op(SHA1H, d, n, Z), 0x60000000ull, 0);   /* ROL(0x80000001, 30) */
}

/* ---- PMULL ------------------------------------------------------------- */

/* PMULL .1Q (FEAT_AES): 64x64 carry-less products; PMULL2 uses the upper
 * doublewords; PMULL .8H multiplies bytes (Arm ARM PolynomialMult). */
static void test_pmull(void **state)
{
    (void)state;
    V128 a = { 0x8000000000000001ull, 3 }, b = { 0x8000000000000003ull, 5 };
    /* (x^63 + 1)(x^63 + x + 1) = x^126 + x^64 + x^63 + x^63 + x + 1 */
    assert_v128(op(PMULL_1Q, Z, a, b), 0x0000000000000003ull, 0x4000000000000001ull);
    assert_v128(op(PMULL2_1Q, Z, a, b), 15, 0);         /* (x+1)(x^2+1) = x^3+x^2+x+1 */
    V128 c = { 0x00000000000003ffull, 0 }, d = { 0x00000000000003ffull, 0 };
    /* byte 0: 0xff * 0xff = 0x5555; byte 1: 3 * 3 = 5 */
    assert_v128(op(PMULL_8H, Z, c, d), 0x0000000000055555ull, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aes_sbox),
        cmocka_unit_test(test_aes_mixcolumns),
        cmocka_unit_test(test_aes_fips197),
        cmocka_unit_test(test_sha256_abc),
        cmocka_unit_test(test_sha1_abc),
        cmocka_unit_test(test_sha1h_scalar),
        cmocka_unit_test(test_pmull),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
