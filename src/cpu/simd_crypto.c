/*
 * Cryptographic extension: AESE/AESD/AESMC/AESIMC (FEAT_AES), SHA1C/SHA1P/
 * SHA1M/SHA1H/SHA1SU0/SHA1SU1 (FEAT_SHA1), SHA256H/SHA256H2/SHA256SU0/
 * SHA256SU1 (FEAT_SHA256) (Arm ARM C4.1.x "Cryptographic AES",
 * "Cryptographic three-register SHA", "Cryptographic two-register SHA";
 * C7.2 pseudocode and the shared functions AESSubBytes, AESShiftRows,
 * AESMixColumns, SHA256hash, SHAchoose, SHAparity, SHAmajority, ...).
 * PMULL/PMULL2 .1Q (also FEAT_AES) is in simd_3diff.c.
 *
 * The AES state is the 128-bit register as 16 bytes, byte i = bits
 * [8i+7:8i], laid out column-major as in FIPS-197 section 3.4:
 * state[row][col] = byte[row + 4*col].
 */
#include "cpu/decode_fields.h"
#include "cpu/simd_internal.h"

/* FIPS-197 section 5.1.1 S-box and section 5.3.2 inverse S-box. Generated
 * from the definition (multiplicative inverse in GF(2^8) modulo
 * x^8+x^4+x^3+x+1 followed by the affine transformation with c = 0x63);
 * checked against the FIPS-197 appendix vectors in tests/unit/test_simd_crypto.c. */
static const uint8_t aes_sbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};
static const uint8_t aes_inv_sbox[256] = {
    0x52, 0x09, 0x6a, 0xd5, 0x30, 0x36, 0xa5, 0x38, 0xbf, 0x40, 0xa3, 0x9e, 0x81, 0xf3, 0xd7, 0xfb,
    0x7c, 0xe3, 0x39, 0x82, 0x9b, 0x2f, 0xff, 0x87, 0x34, 0x8e, 0x43, 0x44, 0xc4, 0xde, 0xe9, 0xcb,
    0x54, 0x7b, 0x94, 0x32, 0xa6, 0xc2, 0x23, 0x3d, 0xee, 0x4c, 0x95, 0x0b, 0x42, 0xfa, 0xc3, 0x4e,
    0x08, 0x2e, 0xa1, 0x66, 0x28, 0xd9, 0x24, 0xb2, 0x76, 0x5b, 0xa2, 0x49, 0x6d, 0x8b, 0xd1, 0x25,
    0x72, 0xf8, 0xf6, 0x64, 0x86, 0x68, 0x98, 0x16, 0xd4, 0xa4, 0x5c, 0xcc, 0x5d, 0x65, 0xb6, 0x92,
    0x6c, 0x70, 0x48, 0x50, 0xfd, 0xed, 0xb9, 0xda, 0x5e, 0x15, 0x46, 0x57, 0xa7, 0x8d, 0x9d, 0x84,
    0x90, 0xd8, 0xab, 0x00, 0x8c, 0xbc, 0xd3, 0x0a, 0xf7, 0xe4, 0x58, 0x05, 0xb8, 0xb3, 0x45, 0x06,
    0xd0, 0x2c, 0x1e, 0x8f, 0xca, 0x3f, 0x0f, 0x02, 0xc1, 0xaf, 0xbd, 0x03, 0x01, 0x13, 0x8a, 0x6b,
    0x3a, 0x91, 0x11, 0x41, 0x4f, 0x67, 0xdc, 0xea, 0x97, 0xf2, 0xcf, 0xce, 0xf0, 0xb4, 0xe6, 0x73,
    0x96, 0xac, 0x74, 0x22, 0xe7, 0xad, 0x35, 0x85, 0xe2, 0xf9, 0x37, 0xe8, 0x1c, 0x75, 0xdf, 0x6e,
    0x47, 0xf1, 0x1a, 0x71, 0x1d, 0x29, 0xc5, 0x89, 0x6f, 0xb7, 0x62, 0x0e, 0xaa, 0x18, 0xbe, 0x1b,
    0xfc, 0x56, 0x3e, 0x4b, 0xc6, 0xd2, 0x79, 0x20, 0x9a, 0xdb, 0xc0, 0xfe, 0x78, 0xcd, 0x5a, 0xf4,
    0x1f, 0xdd, 0xa8, 0x33, 0x88, 0x07, 0xc7, 0x31, 0xb1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xec, 0x5f,
    0x60, 0x51, 0x7f, 0xa9, 0x19, 0xb5, 0x4a, 0x0d, 0x2d, 0xe5, 0x7a, 0x9f, 0x93, 0xc9, 0x9c, 0xef,
    0xa0, 0xe0, 0x3b, 0x4d, 0xae, 0x2a, 0xf5, 0xb0, 0xc8, 0xeb, 0xbb, 0x3c, 0x83, 0x53, 0x99, 0x61,
    0x17, 0x2b, 0x04, 0x7e, 0xba, 0x77, 0xd6, 0x26, 0xe1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0c, 0x7d,
};

/** xtime(): multiplication by x in GF(2^8) (FIPS-197 section 4.2.1). */
static uint8_t xtime(uint8_t b)
{
    return (uint8_t)((b << 1) ^ ((b & 0x80) ? 0x1b : 0));
}

/** GF(2^8) multiplication (FIPS-197 section 4.2). */
static uint8_t gmul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    while (b) {
        if (b & 1)
            r ^= a;
        a = xtime(a);
        b >>= 1;
    }
    return r;
}

static void to_bytes(const Vec *v, uint8_t b[16])
{
    for (unsigned i = 0; i < 16; i++)
        b[i] = (uint8_t)vget(v, i, 8);
}

static Vec from_bytes(const uint8_t b[16])
{
    Vec v = { { 0, 0 } };
    for (unsigned i = 0; i < 16; i++)
        vput(&v, i, 8, b[i]);
    return v;
}

/** AESShiftRows / AESInvShiftRows. */
static void shift_rows(uint8_t s[16], bool inv)
{
    uint8_t t[16];
    for (unsigned r = 0; r < 4; r++)
        for (unsigned col = 0; col < 4; col++) {
            if (inv)
                t[r + 4 * ((col + r) % 4)] = s[r + 4 * col];
            else
                t[r + 4 * col] = s[r + 4 * ((col + r) % 4)];
        }
    memcpy(s, t, 16);
}

/** AESMixColumns / AESInvMixColumns (FIPS-197 sections 5.1.3, 5.3.3). */
static void mix_columns(uint8_t s[16], bool inv)
{
    static const uint8_t fwd[4] = { 2, 3, 1, 1 }, bwd[4] = { 14, 11, 13, 9 };
    const uint8_t *k = inv ? bwd : fwd;
    for (unsigned col = 0; col < 4; col++) {
        uint8_t *p = s + 4 * col, in[4];
        memcpy(in, p, 4);
        for (unsigned r = 0; r < 4; r++)
            p[r] = gmul(in[r], k[0]) ^ gmul(in[(r + 1) % 4], k[1]) ^ gmul(in[(r + 2) % 4], k[2]) ^
                   gmul(in[(r + 3) % 4], k[3]);
    }
}

enum { AES_E = 4, AES_D = 5, AES_MC = 6, AES_IMC = 7 };

/* One handler per row (src/cpu/simd.c): the operation, fixed by the row's
 * opcode, is a constant of one inline body. */
static inline __attribute__((always_inline)) int aes(CPUState *c, unsigned rn, unsigned rd, unsigned op)
{
    if (!has_feat(c, FEAT_AES))
        cpu_undefined(c);
    fp_check_access(c);
    Vec n = vread(c, rn), d = vread(c, rd);
    uint8_t s[16];
    if (op == AES_E || op == AES_D) {
        /* AESE: SubBytes(ShiftRows(Vd EOR Vn)); AESD: the inverses. */
        Vec x = { { d.d[0] ^ n.d[0], d.d[1] ^ n.d[1] } };
        to_bytes(&x, s);
        shift_rows(s, op == AES_D);
        const uint8_t *box = op == AES_D ? aes_inv_sbox : aes_sbox;
        for (unsigned i = 0; i < 16; i++)
            s[i] = box[s[i]];
    } else {
        to_bytes(&n, s);
        mix_columns(s, op == AES_IMC);
    }
    Vec r = from_bytes(s);
    vwrite(c, rd, &r, true);
    return EXEC_NEXT;
}

/* The handler of a two-register row (Rn, Rd): BODY(c, n, d, OP). */
#define ROW_2REG(NAME, BODY, OP)                                                      \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return BODY(c, FIELD(NAME, n, insn), FIELD(NAME, d, insn), OP);               \
    }
ROW_2REG(simd_aese, aes, AES_E)
ROW_2REG(simd_aesd, aes, AES_D)
ROW_2REG(simd_aesmc, aes, AES_MC)
ROW_2REG(simd_aesimc, aes, AES_IMC)

static uint32_t rol32(uint32_t x, unsigned n) { return (x << n) | (x >> ((32 - n) & 31)); }
static uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << ((32 - n) & 31)); }

static uint32_t sha_choose(uint32_t x, uint32_t y, uint32_t z) { return ((y ^ z) & x) ^ z; }
static uint32_t sha_majority(uint32_t x, uint32_t y, uint32_t z) { return (x & y) | ((x | y) & z); }
static uint32_t sha_parity(uint32_t x, uint32_t y, uint32_t z) { return x ^ y ^ z; }

/** 32-bit word views of a vector, w[0] = bits 31:0. */
static void to_words(const Vec *v, uint32_t w[4])
{
    for (unsigned i = 0; i < 4; i++)
        w[i] = (uint32_t)vget(v, i, 32);
}

static Vec from_words(const uint32_t w[4])
{
    Vec v = { { (uint64_t)w[1] << 32 | w[0], (uint64_t)w[3] << 32 | w[2] } };
    return v;
}

/** SHA256hash(X, Y, W, part1): four rounds; X = (a,b,c,d), Y = (e,f,g,h)
 *  with a, e in word 0. Returns X (part1) or Y. */
static Vec sha256hash(const Vec *xv, const Vec *yv, const Vec *wv, bool part1)
{
    uint32_t x[4], y[4], w[4];
    to_words(xv, x);
    to_words(yv, y);
    to_words(wv, w);
    for (unsigned e = 0; e < 4; e++) {
        uint32_t chs = sha_choose(y[0], y[1], y[2]);
        uint32_t maj = sha_majority(x[0], x[1], x[2]);
        uint32_t s1 = ror32(y[0], 6) ^ ror32(y[0], 11) ^ ror32(y[0], 25);
        uint32_t s0 = ror32(x[0], 2) ^ ror32(x[0], 13) ^ ror32(x[0], 22);
        uint32_t t = y[3] + s1 + chs + w[e];
        x[3] = t + x[3];
        y[3] = t + s0 + maj;
        /* <Y, X> = ROL(Y:X, 32) */
        uint32_t ytop = y[3], xtop = x[3];
        y[3] = y[2]; y[2] = y[1]; y[1] = y[0]; y[0] = xtop;
        x[3] = x[2]; x[2] = x[1]; x[1] = x[0]; x[0] = ytop;
    }
    return from_words(part1 ? x : y);
}

enum { SHA1C = 0, SHA1P = 1, SHA1M = 2, SHA1SU0 = 3, SHA256H = 4, SHA256H2 = 5, SHA256SU1 = 6 };

/* SHA three-register rows (one handler per row, the operation a constant). */
static inline __attribute__((always_inline)) int sha3(CPUState *c, unsigned rm, unsigned rn, unsigned rd, unsigned op)
{
    if (!has_feat(c, op <= SHA1SU0 ? FEAT_SHA1 : FEAT_SHA256))
        cpu_undefined(c);
    fp_check_access(c);
    Vec d = vread(c, rd), n = vread(c, rn), m = vread(c, rm), r;
    uint32_t x[4], w[4], t[4];
    switch (op) {
    case SHA1C: case SHA1P: case SHA1M: {
        uint32_t y = (uint32_t)n.d[0];
        to_words(&d, x);
        to_words(&m, w);
        for (unsigned e = 0; e < 4; e++) {
            uint32_t f = op == SHA1C ? sha_choose(x[1], x[2], x[3])
                       : op == SHA1P ? sha_parity(x[1], x[2], x[3])
                                     : sha_majority(x[1], x[2], x[3]);
            y = y + rol32(x[0], 5) + f + w[e];
            x[1] = rol32(x[1], 30);
            /* <Y, X> = ROL(Y:X, 32) */
            uint32_t top = x[3];
            x[3] = x[2]; x[2] = x[1]; x[1] = x[0]; x[0] = y;
            y = top;
        }
        r = from_words(x);
        break;
    }
    case SHA1SU0:
        /* result = (Vn<63:0> : Vd<127:64>) EOR Vd EOR Vm */
        r.d[0] = d.d[1] ^ d.d[0] ^ m.d[0];
        r.d[1] = n.d[0] ^ d.d[1] ^ m.d[1];
        break;
    case SHA256H: r = sha256hash(&d, &n, &m, true); break;
    case SHA256H2: r = sha256hash(&n, &d, &m, false); break;
    default: {   /* SHA256SU1 */
        uint32_t o1[4], o2[4], o3[4], t0[4];
        to_words(&d, o1);
        to_words(&n, o2);
        to_words(&m, o3);
        t0[0] = o2[1]; t0[1] = o2[2]; t0[2] = o2[3]; t0[3] = o3[0];   /* Vm<31:0> : Vn<127:32> */
        uint32_t t1[2] = { o3[2], o3[3] };                            /* Vm<127:64> */
        for (unsigned e = 0; e < 4; e++) {
            uint32_t elt = e < 2 ? t1[e] : t[e - 2];
            elt = ror32(elt, 17) ^ ror32(elt, 19) ^ (elt >> 10);
            t[e] = elt + o1[e] + t0[e];
        }
        r = from_words(t);
        break;
    }
    }
    vwrite(c, rd, &r, true);
    return EXEC_NEXT;
}

#define SHA3_ROW(NAME, OP)                                                            \
    int NAME(CPUState *c, uint32_t insn)                                              \
    {                                                                                 \
        return sha3(c, FIELD(NAME, m, insn), FIELD(NAME, n, insn), FIELD(NAME, d, insn), OP); \
    }
SHA3_ROW(simd_sha1c, SHA1C)
SHA3_ROW(simd_sha1p, SHA1P)
SHA3_ROW(simd_sha1m, SHA1M)
SHA3_ROW(simd_sha1su0, SHA1SU0)
SHA3_ROW(simd_sha256h, SHA256H)
SHA3_ROW(simd_sha256h2, SHA256H2)
SHA3_ROW(simd_sha256su1, SHA256SU1)

enum { SHA1H = 0, SHA1SU1 = 1, SHA256SU0 = 2 };

/* SHA two-register rows (one handler per row, the operation a constant). */
static inline __attribute__((always_inline)) int sha2(CPUState *c, unsigned rn, unsigned rd, unsigned op)
{
    if (!has_feat(c, op == SHA256SU0 ? FEAT_SHA256 : FEAT_SHA1))
        cpu_undefined(c);
    fp_check_access(c);
    Vec d = vread(c, rd), n = vread(c, rn), r;
    uint32_t x[4], y[4], t[4];
    switch (op) {
    case SHA1H:
        vreg_set_scalar(c, rd, 4, rol32((uint32_t)n.d[0], 30));
        return EXEC_NEXT;
    case SHA1SU1:
        /* T = Vd EOR LSR(Vn, 32); each word ROL 1; word 3 also EOR ROL(T<31:0>, 2) */
        to_words(&d, x);
        to_words(&n, y);
        t[0] = x[0] ^ y[1]; t[1] = x[1] ^ y[2]; t[2] = x[2] ^ y[3]; t[3] = x[3];
        x[0] = rol32(t[0], 1); x[1] = rol32(t[1], 1); x[2] = rol32(t[2], 1);
        x[3] = rol32(t[3], 1) ^ rol32(t[0], 2);
        r = from_words(x);
        break;
    default:   /* SHA256SU0: T = Vn<31:0> : Vd<127:32> */
        to_words(&d, x);
        to_words(&n, y);
        t[0] = x[1]; t[1] = x[2]; t[2] = x[3]; t[3] = y[0];
        for (unsigned e = 0; e < 4; e++)
            x[e] = x[e] + (ror32(t[e], 7) ^ ror32(t[e], 18) ^ (t[e] >> 3));
        r = from_words(x);
        break;
    }
    vwrite(c, rd, &r, true);
    return EXEC_NEXT;
}

ROW_2REG(simd_sha1h, sha2, SHA1H)
ROW_2REG(simd_sha1su1, sha2, SHA1SU1)
ROW_2REG(simd_sha256su0, sha2, SHA256SU0)
