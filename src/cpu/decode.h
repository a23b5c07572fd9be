/*
 * Declarative A64 decoding (DESIGN.md section 3).
 *
 * Every encoding is one line: a name, a 32-character bit pattern written
 * most significant bit first, exactly as the Arm ARM's encoding diagrams
 * read, a handler and a timing class. '0' and '1' are fixed bits; any other
 * character (a letter naming the field) is a variable bit. '_' and ' ' may
 * be used as separators and are ignored. Example:
 *
 *     { "ADD_imm", "z0010001 0hiiiiiiiiiiiinnnnnddddd", h_add_imm, CLS_INT },
 *
 * Two patterns may only overlap (some word matches both) if they have
 * different priorities; the higher priority wins. tests/unit/test_decode.c
 * checks this over all tables. Encodings that are not implemented are kept
 * in the tables as comments so a reader sees what is missing.
 *
 * The tables are fragments, one per Arm ARM group (src/cpu/dp_imm.c,
 * dp_reg.c, branch.c, ldst.c, sys.c, fp_*.c, simd_*.c ...), each ending
 * with a { NULL } entry, and listed in decode.c.
 */
#ifndef A83_DECODE_H
#define A83_DECODE_H

#include "cpu/cpu.h"

/* Instruction classes, for the cycle model (src/timing) and traces. */
enum InsnClass {
    CLS_INT = 0,       /* integer ALU */
    CLS_MUL,
    CLS_DIV,
    CLS_LOAD,
    CLS_STORE,
    CLS_BRANCH,
    CLS_FP,
    CLS_FP_DIV,
    CLS_SIMD,
    CLS_SYS,           /* MRS/MSR/SYS, hints */
    CLS_BARRIER,       /* DMB/DSB/ISB */
    CLS_EXC,           /* SVC/HVC/SMC/BRK/ERET */
    CLS_ATOMIC,
    CLS_CRYPTO,
    CLS_UNDEF,
    CLS__COUNT
};

typedef struct DecodePattern {
    const char *name;
    const char *pattern;
    InsnHandler fn;
    uint16_t cls;
    int8_t prio;       /* higher wins where patterns overlap; default 0 */
} DecodePattern;

/* The fragments. Each is terminated by an entry with name == NULL. */
extern const DecodePattern a64_dp_imm_patterns[];
extern const DecodePattern a64_dp_reg_patterns[];
extern const DecodePattern a64_branch_patterns[];
extern const DecodePattern a64_ldst_patterns[];
extern const DecodePattern a64_sys_patterns[];
extern const DecodePattern a64_atomic_patterns[];
extern const DecodePattern a64_fp_patterns[];
extern const DecodePattern a64_simd_patterns[];
extern const DecodePattern a64_pauth_patterns[];

/** A compiled decoder (built from all fragments). Immutable once built. */
typedef struct Decoder Decoder;

/** Returns the decoder, built from all fragments on the first call and then
 *  shared (immutable) by every caller in the process; thread-safe
 *  (pthread_once). Returns NULL on allocation failure. Pattern strings that
 *  are malformed (not 32 bits) make the build fail with NULL too; the unit
 *  test catches that at development time. decoder_destroy() of the shared
 *  decoder does nothing. */
Decoder *decoder_create(void);
void decoder_destroy(Decoder *d);

/** Returns the matching pattern for insn, or NULL when unallocated. */
const DecodePattern *decoder_lookup(const Decoder *d, uint32_t insn);

/** Parses a pattern string into fixed-bit mask and value. Returns false if
 *  it does not have exactly 32 bit characters. */
bool decode_parse_pattern(const char *pat, uint32_t *mask, uint32_t *value);

/** Iteration over all patterns of all fragments (for tests and docs). */
typedef void (*decode_visit_fn)(const DecodePattern *p, const char *fragment, void *opaque);
void decoder_visit(decode_visit_fn fn, void *opaque);

/** The handler for unallocated encodings: raises UNDEFINED (EC 0x00). */
int a64_unallocated(CPUState *c, uint32_t insn);

#endif
