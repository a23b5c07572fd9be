/*
 * The floating-point instructions end to end: decoding of assembled words
 * (aarch64-linux-gnu-as -march=armv8.3-a) to the a64_fp_patterns entry,
 * no overlaps inside the table, and execution of single instructions on a
 * machine, checking V registers (including the rules for which bits a
 * write keeps or zeroes, Arm ARM C1.2.5 / V[] and Vpart[]), NZCV, FPSR,
 * FPCR masking and UNDEFINED for the FEAT_FP16 forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"
#include "cpu/decode.h"
#include "cpu/fpcore.h"

static const struct {
    uint32_t insn;
    const char *name;
} decode_cases[] = {
    { 0x1e222820, "FADD" },        /* fadd s0, s1, s2 */
    { 0x1e658883, "FNMUL" },       /* fnmul d3, d4, d5 */
    { 0x1f420c20, "FMADD" },       /* fmadd d0, d1, d2, d3 */
    { 0x1e202038, "FCMP" },        /* fcmpe s1, #0.0 */
    { 0x1e621424, "FCCMP" },       /* fccmp d1, d2, #4, ne */
    { 0x1e22cc20, "FCSEL" },       /* fcsel s0, s1, s2, gt */
    { 0x1e709000, "FMOV_imm" },    /* fmov d0, #-2.5 */
    { 0x1e23c020, "FCVT" },        /* fcvt h0, s1 */
    { 0x1ee2c020, "FCVT" },        /* fcvt d0, h1 */
    { 0x1e780020, "FP_cvt_int" },  /* fcvtzs w0, d1 */
    { 0x9e18d820, "FP_cvt_fixed" },/* fcvtzs x0, s1, #10 */
    { 0x9e620020, "FP_cvt_int" },  /* scvtf d0, x1 */
    { 0x9eae0020, "FP_cvt_int" },  /* fmov x0, v1.d[1] */
    { 0x1e7e0020, "FJCVTZS" },     /* fjcvtzs w0, d1 */
    { 0x4e22d420, "FADD_v" },      /* fadd v0.4s, v1.4s, v2.4s */
    { 0x4e62cc20, "FMLA_v" },      /* fmla v0.2d, v1.2d, v2.2d */
    { 0x5e22dc20, "FMULX_s" },     /* fmulx s0, s1, s2 */
    { 0x6e22d420, "FADDP_v" },     /* faddp v0.4s, v1.4s, v2.4s */
    { 0x7ee2d420, "FABD_s" },      /* fabd d0, d1, d2 */
    { 0x0e216820, "FCVTN_v" },     /* fcvtn v0.4h, v1.4s */
    { 0x4e617820, "FCVTL_v" },     /* fcvtl2 v0.2d, v1.4s */
    { 0x7e616820, "FCVTXN_s" },    /* fcvtxn s0, d1 */
    { 0x5ee1f820, "FRECPX_s" },    /* frecpx d0, d1 */
    { 0x2e219820, "FRINTX_v" },    /* frintx v0.2s, v1.2s */
    { 0x4ea1c820, "URECPE_v" },    /* urecpe v0.4s, v1.4s */
    { 0x6e30c820, "FMAXNMV" },     /* fmaxnmv s0, v1.4s */
    { 0x7e70d820, "FADDP_s" },     /* faddp d0, v1.2d */
    { 0x4fa21820, "FMLA_elem_v" }, /* fmla v0.4s, v1.4s, v2.s[3] */
    { 0x5fc29820, "FMUL_elem_s" }, /* fmul d0, d1, v2.d[1] */
    { 0x4f03f600, "FMOV_v_imm_s" },/* fmov v0.4s, #1.0 */
    { 0x6f04f500, "FMOV_v_imm_d" },/* fmov v0.2d, #-3.0 */
    { 0x4f7de420, "SCVTF_fix_v" }, /* scvtf v0.2d, v1.2d, #3 */
    { 0x7f3bfc20, "FCVTZU_fix_s" },/* fcvtzu s0, s1, #5 */
    { 0x6e82cc20, "FCMLA_v" },     /* fcmla v0.4s, v1.4s, v2.4s, #90 */
    { 0x6ec2f420, "FCADD" },       /* fcadd v0.2d, v1.2d, v2.2d, #270 */
    { 0x6f825820, "FCMLA_elem" },  /* fcmla v0.4s, v1.4s, v2.s[1], #180 */
};

/* Each assembled word decodes to the expected a64_fp_patterns entry. */
static void test_decode(void **s)
{
    Decoder *d = decoder_create();
    assert_non_null(d);
    for (size_t i = 0; i < sizeof decode_cases / sizeof decode_cases[0]; i++) {
        const DecodePattern *p = decoder_lookup(d, decode_cases[i].insn);
        if (!p || strcmp(p->name, decode_cases[i].name))
            print_error("%08x: got %s want %s\n", decode_cases[i].insn, p ? p->name : "(none)",
                        decode_cases[i].name);
        assert_non_null(p);
        assert_string_equal(p->name, decode_cases[i].name);
    }
    decoder_destroy(d);
}

struct pats {
    uint32_t mask[512], value[512];
    int prio[512];
    const char *name[512];
    unsigned n;
};

static void collect(const DecodePattern *p, const char *frag, void *opaque)
{
    struct pats *ps = opaque;
    if (strcmp(frag, "fp") || ps->n >= 512)
        return;
    assert_true(decode_parse_pattern(p->pattern, &ps->mask[ps->n], &ps->value[ps->n]));
    ps->prio[ps->n] = p->prio;
    ps->name[ps->n++] = p->name;
}

/* DESIGN.md: two patterns of the same priority never overlap. */
static void test_no_overlap(void **s)
{
    static struct pats ps;
    ps.n = 0;
    decoder_visit(collect, &ps);
    assert_true(ps.n > 100);
    for (unsigned i = 0; i < ps.n; i++)
        for (unsigned j = i + 1; j < ps.n; j++) {
            uint32_t common = ps.mask[i] & ps.mask[j];
            bool overlap = ((ps.value[i] ^ ps.value[j]) & common) == 0;
            if (overlap && ps.prio[i] == ps.prio[j])
                print_error("%s overlaps %s\n", ps.name[i], ps.name[j]);
            assert_false(overlap && ps.prio[i] == ps.prio[j]);
        }
}

/* ---- Execution ------------------------------------------------------------------ */

#define CODE 0x40100000ull
#define VBAR 0x40300000ull

static a83_machine *mach(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    a83_machine *m = NULL;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "VBAR_EL1", VBAR), A83_OK);
    /* CPACR_EL1.FPEN = 0b11: no FP/SIMD trap at EL0/EL1 (it resets to 0). */
    assert_int_equal(a83_sysreg_write(m, 0, "CPACR_EL1", 3u << 20), A83_OK);
    return m;
}

/* Runs one instruction at EL1h; returns the PC afterwards. */
static uint64_t run1(a83_machine *m, uint32_t insn)
{
    a83_phys_write(m, CODE, &insn, 4);
    a83_reg_write(m, 0, A83_REG_PSTATE, 0x3c5);
    a83_reg_write(m, 0, A83_REG_PC, CODE);
    a83_step(m, 0);
    uint64_t pc;
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    return pc;
}

static void vset(a83_machine *m, unsigned n, uint64_t lo, uint64_t hi)
{
    a83_vreg_write(m, 0, n, lo, hi);
}

static void vcheck(a83_machine *m, unsigned n, uint64_t lo, uint64_t hi)
{
    uint64_t l, h;
    a83_vreg_read(m, 0, n, &l, &h);
    assert_int_equal(l, lo);
    assert_int_equal(h, hi);
}

static uint64_t reg(a83_machine *m, a83_reg r)
{
    uint64_t v;
    a83_reg_read(m, 0, r, &v);
    return v;
}

/* Scalar writes zero the rest of the register; FCVTN2 and FMOV Vd.D[1]
 * keep the lower half; FCVTN (Q=0) zeroes the upper half. */
static void test_register_writes(void **s)
{
    a83_machine *m = mach();
    vset(m, 0, ~0ull, ~0ull);
    vset(m, 1, 0x3f800000, 5);
    vset(m, 2, 0x40000000, 6);
    assert_int_equal(run1(m, 0x1e222820), CODE + 4);          /* fadd s0, s1, s2 */
    vcheck(m, 0, 0x40400000, 0);
    vset(m, 0, 0x1111, 0x2222);
    vset(m, 1, 0x3ff0000000000000ull, 0xc000000000000000ull);
    run1(m, 0x4e616820);                                       /* fcvtn2 v0.4s, v1.2d */
    vcheck(m, 0, 0x1111, 0xc00000003f800000ull);
    vset(m, 0, 0x1111, 0x2222);
    vset(m, 1, 0x3f80000040000000ull, 0x4040000040800000ull);
    run1(m, 0x0e216820);                                       /* fcvtn v0.4h, v1.4s */
    vcheck(m, 0, 0x420044003c004000ull, 0);   /* 3.0, 4.0, 1.0, 2.0 */
    vset(m, 1, 0x77, 0x88);
    a83_reg_write(m, 0, A83_REG_X0, 0x1234);
    run1(m, 0x9eaf0001);                                       /* fmov v1.d[1], x0 */
    vcheck(m, 1, 0x77, 0x1234);
    run1(m, 0x9eae0020);                                       /* fmov x0, v1.d[1] */
    assert_int_equal(reg(m, A83_REG_X0), 0x1234);
    a83_machine_destroy(m);
}

/* FCMPE sets NZCV = 0011 and IOC for a quiet NaN; FJCVTZS sets Z. */
static void test_flags(void **s)
{
    a83_machine *m = mach();
    a83_reg_write(m, 0, A83_REG_FPSR, 0);
    vset(m, 1, 0x7fc00000, 0);
    run1(m, 0x1e202038);                                       /* fcmpe s1, #0.0 */
    assert_int_equal(reg(m, A83_REG_NZCV) >> 28, 0x3);
    assert_int_equal(reg(m, A83_REG_FPSR), FPSR_IOC);
    vset(m, 1, 0xc008000000000000ull, 0);                      /* -3.0 */
    run1(m, 0x1e7e0020);                                       /* fjcvtzs w0, d1 */
    assert_int_equal(reg(m, A83_REG_X0), 0xfffffffdull);
    assert_int_equal(reg(m, A83_REG_NZCV) >> 28, 0x4);
    a83_machine_destroy(m);
}

/* FPCR: only AHP, DN, FZ and RMode are writable (trap enables and FZ16 are
 * RAZ/WI: no trapping, no FEAT_FP16); FPSR keeps the cumulative flags and QC. */
static void test_fpcr_fpsr_masks(void **s)
{
    a83_machine *m = mach();
    uint64_t v;
    assert_int_equal(a83_sysreg_write(m, 0, "FPCR", ~0ull), A83_OK);
    assert_int_equal(a83_sysreg_read(m, 0, "FPCR", &v), A83_OK);
    assert_int_equal(v, 0x07c00000);
    assert_int_equal(a83_sysreg_write(m, 0, "FPSR", ~0ull), A83_OK);
    assert_int_equal(a83_sysreg_read(m, 0, "FPSR", &v), A83_OK);
    assert_int_equal(v, 0x0800009f);
    a83_machine_destroy(m);
}

/* MSR/MRS FPCR and FPSR through the instruction path: masks on write, and
 * the FP/SIMD access check first (CPACR_EL1.FPEN = 0 -> EC 0x07 to EL1,
 * Arm ARM FPCR/FPSR "Accessibility"), for the registers as for FADD. */
static void test_msr_mrs(void **s)
{
    a83_machine *m = mach();
    uint64_t esr;
    a83_reg_write(m, 0, A83_REG_X0, ~0ull);
    assert_int_equal(run1(m, 0xd51b4400), CODE + 4);          /* msr fpcr, x0 */
    assert_int_equal(reg(m, A83_REG_FPCR), 0x07c00000);
    a83_reg_write(m, 0, A83_REG_FPSR, FPSR_IXC | FPSR_QC);
    assert_int_equal(run1(m, 0xd53b4421), CODE + 4);          /* mrs x1, fpsr */
    assert_int_equal(reg(m, (a83_reg)1), FPSR_IXC | FPSR_QC);
    assert_int_equal(a83_sysreg_write(m, 0, "CPACR_EL1", 0), A83_OK);
    assert_int_equal(run1(m, 0xd53b4401), VBAR + 0x200);      /* mrs x1, fpcr */
    a83_sysreg_read(m, 0, "ESR_EL1", &esr);
    assert_int_equal(esr >> 26, 0x07);
    assert_int_equal(run1(m, 0x1e222820), VBAR + 0x200);      /* fadd s0, s1, s2 */
    a83_sysreg_read(m, 0, "ESR_EL1", &esr);
    assert_int_equal(esr >> 26, 0x07);
    /* UNDEFINED takes priority over the access trap (decode before execute) */
    assert_int_equal(run1(m, 0x1ee22820), VBAR + 0x200);      /* fadd h0, h1, h2 */
    a83_sysreg_read(m, 0, "ESR_EL1", &esr);
    assert_int_equal(esr >> 26, 0x00);
    a83_machine_destroy(m);
}

/* Half-precision arithmetic (FEAT_FP16, not implemented) is UNDEFINED:
 * EC 0x00 taken to EL1 at VBAR_EL1 + 0x200 (current EL, SPx). */
static void test_fp16_undefined(void **s)
{
    a83_machine *m = mach();
    uint64_t esr;
    assert_int_equal(run1(m, 0x1ee22820), VBAR + 0x200);      /* fadd h0, h1, h2 */
    a83_sysreg_read(m, 0, "ESR_EL1", &esr);
    assert_int_equal(esr >> 26, 0x00);
    assert_int_equal(run1(m, 0x5ee1f820), CODE + 4);          /* frecpx d0, d1 is fine */
    assert_int_equal(run1(m, 0x0f1dfc20), VBAR + 0x200);      /* fcvtzs v0.4h, v1.4h, #3 */
    assert_int_equal(run1(m, 0x4f121020), VBAR + 0x200);      /* fmla v0.8h, v1.8h, v2.h[1] */
    assert_int_equal(run1(m, 0x6ee1f820), CODE + 4);          /* fsqrt v0.2d, v1.2d */
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_no_overlap),
        cmocka_unit_test(test_register_writes),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_fpcr_fpsr_masks),
        cmocka_unit_test(test_fp16_undefined),
        cmocka_unit_test(test_msr_mrs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
