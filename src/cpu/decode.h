/*
 * Declarative A64 decoding (DESIGN.md section 3).
 *
 * Every encoding is one line: a name, a 32-character bit pattern written
 * most significant bit first, exactly as the Arm ARM's encoding diagrams
 * read, a handler and a timing class. '0' and '1' are fixed bits; a letter
 * is a variable bit of the operand field that letter names (as in
 * dynarmic's tables: n = Rn, d = Rd, m = Rm, i = an immediate, ...). '_'
 * and ' ' may be used as separators and are ignored. Example:
 *
 *     { "ADD_imm", "z0010001 0hiiiiiiiiiiiinnnnnddddd", h_add_imm, CLS_INT },
 *
 * Operand fields. A field's value is the bits carrying its letter,
 * concatenated most significant first ("iii 1111 01 iiiii" is imm8 =
 * a:b:c:d:e:f:g:h). Handlers read operands with FIELD(handler, letter,
 * insn), an accessor generated at build time from the rows naming that
 * handler (scripts/gen-decode-fields.py -> <build>/gen/cpu/decode_fields.h):
 * positions are never written by hand, and naming a letter the rows do not
 * have does not compile. Where rows share a handler the field covers the
 * union of their positions (a row may have fixed bits there, never another
 * letter). At run time the same fields are compiled per row once
 * (decoder_row_fields()), for the translator's front end, traces and tests.
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

/** FIELD(handler, letter, insn): the operand field `letter` of the rows of
 *  `handler`, from the generated accessors (include "cpu/decode_fields.h"),
 *  as a uint32_t. A constant-time shift and mask (or, for a split field, an
 *  OR of two); usable in handlers on the hot path. */
#define FIELD(h, f, insn) FLD__##h##__##f(insn)

/** FIELD_CAT3(handler, a, b, c, insn): the concatenation a:b:c of three
 *  fields that sit next to each other in the instruction, a most
 *  significant (e.g. N:immr:imms), in one shift and mask. Does not compile
 *  unless each field is one run of bits and they are adjacent in that
 *  order. */
#define FIELD_CAT3(h, a, b, c, insn)                                             \
    ((uint32_t)((((uint32_t)(insn) >> FLDLSB__##h##__##c) &                      \
                 ((1u << (FLDW__##h##__##a + FLDW__##h##__##b + FLDW__##h##__##c)) - 1)) + \
                0 * sizeof(char[FLDLSB__##h##__##a == FLDLSB__##h##__##b + FLDW__##h##__##b && \
                                FLDLSB__##h##__##b == FLDLSB__##h##__##c + FLDW__##h##__##c \
                                ? 1 : -1])))

/** One operand field of a pattern row: its letter, its width in bits and
 *  the mask of the instruction bits carrying it. */
typedef struct DecodeField {
    char letter;
    uint8_t width;
    uint32_t mask;
} DecodeField;

/** The most fields a row may have (the parse fails beyond). */
#define DECODE_MAX_FIELDS 12

/** The fields of row p as compiled by the decoder (in order of first
 *  appearance, most significant bit first). Sets *fields to an array owned
 *  by the decoder (valid as long as it) and returns its length; returns 0
 *  with *fields = NULL when p is not a row of d. O(rows): for translation
 *  time, traces and tests, not for the execute loop. Thread-safe (d is
 *  immutable). */
unsigned decoder_row_fields(const Decoder *d, const DecodePattern *p, const DecodeField **fields);

/** The value of the bits of insn under mask, concatenated most significant
 *  first (a software PEXT): the value of the field with that mask. */
uint32_t decode_field_value(uint32_t mask, uint32_t insn);

/** The value of field `letter` of row p in insn, in *val. Returns false (and
 *  leaves *val alone) when the row has no such field or is not d's. */
bool decoder_field(const Decoder *d, const DecodePattern *p, char letter, uint32_t insn,
                   uint32_t *val);

/** Parses a pattern string into its fields (in order of first appearance).
 *  Returns the number of fields, or -1 if the pattern is malformed (not 32
 *  bits, a character that is neither 0, 1, a separator nor a letter, or
 *  more than DECODE_MAX_FIELDS fields). fields may be NULL. */
int decode_parse_fields(const char *pat, DecodeField fields[DECODE_MAX_FIELDS]);

/** Parses a pattern string into fixed-bit mask and value. Returns false if
 *  it does not have exactly 32 bit characters or has a character that is
 *  neither 0, 1, a separator nor a letter. */
bool decode_parse_pattern(const char *pat, uint32_t *mask, uint32_t *value);

/** Iteration over all patterns of all fragments (for tests and docs). */
typedef void (*decode_visit_fn)(const DecodePattern *p, const char *fragment, void *opaque);
void decoder_visit(decode_visit_fn fn, void *opaque);

/** The handler for unallocated encodings: raises UNDEFINED (EC 0x00). */
int a64_unallocated(CPUState *c, uint32_t insn);

/** Whether the instruction decoded to handler fn does nothing here but
 *  retire (its handler only returns EXEC_NEXT, whatever the state): the
 *  hints other than WFE, WFI, SEV and SEVL (NOP, YIELD, ESB, PSB CSYNC,
 *  CSDB, and BTI and the other hints this CPU does not implement: Arm ARM
 *  C6.2 HINT), and DMB and DSB (ordering no-ops with one CPU running at a
 *  time: src/cpu/sys_insn.c). The translator emits no code for them and
 *  does not end a block at them (src/jit/jit.c). */
bool a64_is_nop(int (*fn)(CPUState *, uint32_t), uint32_t insn);

/** Whether the instruction decoded to fn is a PAC hint on X30 (PACIASP,
 *  PACIAZ, AUTIASP, AUTIAZ and their B-key forms: Arm ARM C6.2.x), which is
 *  a NOP while its key is disabled in the current regime (AddPAC/Auth
 *  return X unchanged when SCTLR_ELx.EnIA/EnIB = 0). *key_bit: its key's
 *  bit in CPUState.pac_hint_keys. */
bool a64_pac_hint(int (*fn)(CPUState *, uint32_t), uint32_t insn, uint8_t *key_bit);

/** CPUState.pac_hint_keys for the current regime: bit 0 EnIA, bit 1 EnIB
 *  (0 without FEAT_PAuth). Kept by cpu_update_mmu_context(). */
uint8_t pac_hint_keys(const CPUState *c);

#endif
