/*
 * The translator's x86-64 emitter (src/jit/x86emit.c) against Capstone's
 * x86-64 disassembler: every form, with low and extended registers (REX.R /
 * REX.B), RSP/R12 bases (SIB byte), negative and large displacements and
 * immediates, must decode to exactly the instruction meant, with the length
 * the emitter claims. Encodings: Intel SDM Vol. 2 (REX, ModRM, SIB).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <capstone/capstone.h>

#include "jit/x86emit.h"

static csh cs;
static const char *const rn[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const rn32[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };

/* Disassembles exactly one instruction covering the whole buffer and
 * compares "mnemonic operands" with want. */
static void check(const X86Buf *b, uint64_t addr, const char *want)
{
    assert_false(b->overflow);
    cs_insn *in = NULL;
    size_t n = cs_disasm(cs, b->start, x86_len(b), addr, 0, &in);
    if (n != 1 || in[0].size != x86_len(b)) {
        if (n)
            cs_free(in, n);
        fail_msg("'%s': %zu instructions decoded from %zu bytes", want, n, x86_len(b));
    }
    char got[400];
    snprintf(got, sizeof got, "%s %s", in[0].mnemonic, in[0].op_str);
    cs_free(in, n);
    if (strcmp(got, want))
        fail_msg("emitted '%s', want '%s'", got, want);
}

static char *fmt_disp(char *s, size_t n, const char *size, unsigned base, int32_t d)
{
    if (d < 0)
        snprintf(s, n, "%sptr [%s - 0x%x]", size, rn[base], (unsigned)-(int64_t)d);
    else if (d)
        snprintf(s, n, "%sptr [%s + 0x%x]", size, rn[base], (unsigned)d);
    else
        snprintf(s, n, "%sptr [%s]", size, rn[base]);
    return s;
}

static const int32_t disps[] = { 0, 0x18, 0x7f0, -16, 0x12345678, -0x7fffffff - 1 };

/* The [base + disp] forms with an immediate: mnemonic, operand size as
 * Capstone prints it, immediate; emit_mem_imm() calls the emitter of row f. */
static const struct {
    const char *op, *ptr;
    int64_t imm;
} mem_imm[] = {
    { "add", "qword ", 0x1234 }, { "sub", "qword ", 1 },     { "cmp", "qword ", -20 },
    { "cmp", "qword ", 0x12345 }, { "cmp", "dword ", 0x12345 }, { "cmp", "byte ", 0 },
    { "test", "byte ", 2 },       { "cmp", "word ", 0 },
};

static void emit_mem_imm(X86Buf *b, size_t f, unsigned base, int32_t d)
{
    int32_t imm = (int32_t)mem_imm[f].imm;
    switch (f) {
    case 0: x86_add_m64_imm32(b, base, d, imm); break;
    case 1: x86_sub_m64_imm32(b, base, d, imm); break;
    case 2: case 3: x86_cmp_m64_imm32(b, base, d, imm); break;
    case 4: x86_cmp_m32_imm32(b, base, d, imm); break;
    case 5: x86_cmp_m8_imm8(b, base, d, (uint8_t)imm); break;
    case 6: x86_test_m8_imm8(b, base, d, (uint8_t)imm); break;
    default: x86_cmp_m16_imm8(b, base, d, (int8_t)imm); break;
    }
}

static void test_memory_forms(void **state)
{
    (void)state;
    uint8_t buf[32];
    X86Buf b;
    char m[80], want[200];
    for (unsigned base = 0; base < 16; base++) {
        for (size_t k = 0; k < sizeof disps / sizeof disps[0]; k++) {
            int32_t d = disps[k];
            for (size_t f = 0; f < sizeof mem_imm / sizeof mem_imm[0]; f++) {
                x86_init(&b, buf, sizeof buf);
                emit_mem_imm(&b, f, base, d);
                char imm[24];
                int64_t v = mem_imm[f].imm;
                if (v < 0)
                    snprintf(imm, sizeof imm, "-0x%llx", (unsigned long long)-v);
                else if (v > 9)
                    snprintf(imm, sizeof imm, "0x%llx", (unsigned long long)v);
                else
                    snprintf(imm, sizeof imm, "%lld", (long long)v);
                snprintf(want, sizeof want, "%s %s, %s", mem_imm[f].op,
                         fmt_disp(m, sizeof m, mem_imm[f].ptr, base, d), imm);
                check(&b, 0x1000, want);
            }

            unsigned reg = (base * 7 + 3) & 15;
            x86_init(&b, buf, sizeof buf);
            x86_cmp_r64_m64(&b, reg, base, d);
            snprintf(want, sizeof want, "cmp %s, %s", rn[reg], fmt_disp(m, sizeof m, "qword ", base, d));
            check(&b, 0x1000, want);

            x86_init(&b, buf, sizeof buf);
            x86_mov_r64_m64(&b, reg, base, d);
            snprintf(want, sizeof want, "mov %s, %s", rn[reg], fmt_disp(m, sizeof m, "qword ", base, d));
            check(&b, 0x1000, want);
        }
    }
    /* A negative immediate is sign-extended from imm32. */
    x86_init(&b, buf, sizeof buf);
    x86_add_m64_imm32(&b, X86_RBX, 0x100, -1);
    check(&b, 0, "add qword ptr [rbx + 0x100], -1");
}

static void test_register_forms(void **state)
{
    (void)state;
    uint8_t buf[32];
    X86Buf b;
    char want[100];
    for (unsigned r = 0; r < 16; r++) {
        unsigned s = 15 - r;
        x86_init(&b, buf, sizeof buf);
        x86_mov_r64_r64(&b, r, s);
        snprintf(want, sizeof want, "mov %s, %s", rn[r], rn[s]);
        check(&b, 0, want);

        x86_init(&b, buf, sizeof buf);
        x86_mov_r32_imm32(&b, r, 0xd503201fu);
        snprintf(want, sizeof want, "mov %s, 0xd503201f", rn32[r]);
        check(&b, 0, want);

        x86_init(&b, buf, sizeof buf);
        x86_mov_r64_imm64(&b, r, 0x123456789abcdef0ull);
        snprintf(want, sizeof want, "movabs %s, 0x123456789abcdef0", rn[r]);
        check(&b, 0, want);
        /* the shorter forms where the value allows */
        x86_init(&b, buf, sizeof buf);
        x86_mov_r64_imm64(&b, r, 0xfffffffeull);
        snprintf(want, sizeof want, "mov %s, 0xfffffffe", rn32[r]);
        check(&b, 0, want);
        x86_init(&b, buf, sizeof buf);
        x86_mov_r64_imm64(&b, r, 0xffffffff80000000ull);
        snprintf(want, sizeof want, "mov %s, -0x80000000", rn[r]);
        check(&b, 0, want);
        x86_init(&b, buf, sizeof buf);
        x86_mov_r64_imm64(&b, r, 0x100000000ull);
        snprintf(want, sizeof want, "movabs %s, 0x100000000", rn[r]);
        check(&b, 0, want);

        x86_init(&b, buf, sizeof buf);
        x86_test_r32_r32(&b, r, s);
        snprintf(want, sizeof want, "test %s, %s", rn32[r], rn32[s]);
        check(&b, 0, want);

        x86_init(&b, buf, sizeof buf);
        x86_jmp_r64(&b, r);
        snprintf(want, sizeof want, "jmp %s", rn[r]);
        check(&b, 0, want);

        x86_init(&b, buf, sizeof buf);
        x86_call_r64(&b, r);
        snprintf(want, sizeof want, "call %s", rn[r]);
        check(&b, 0, want);

        x86_init(&b, buf, sizeof buf);
        x86_push_r64(&b, r);
        snprintf(want, sizeof want, "push %s", rn[r]);
        check(&b, 0, want);

        x86_init(&b, buf, sizeof buf);
        x86_pop_r64(&b, r);
        snprintf(want, sizeof want, "pop %s", rn[r]);
        check(&b, 0, want);
    }
    x86_init(&b, buf, sizeof buf);
    x86_ret(&b);
    check(&b, 0, "ret ");
    x86_init(&b, buf, sizeof buf);
    x86_cmc(&b);
    check(&b, 0, "cmc ");
}

static void test_alu_forms(void **state)
{
    (void)state;
    static const struct { unsigned op; const char *name; } alu[] = {
        { X86_ADD, "add" }, { X86_OR, "or" }, { X86_AND, "and" }, { X86_SUB, "sub" }, { X86_XOR, "xor" },
        { X86_CMP, "cmp" } };
    static const struct { unsigned op; const char *name; } sh[] = {
        { X86_ROL, "rol" }, { X86_ROR, "ror" }, { X86_SHL, "shl" }, { X86_SHR, "shr" }, { X86_SAR, "sar" } };
    uint8_t buf[32];
    X86Buf b;
    char want[100], m[80];
    for (unsigned r = 0; r < 16; r++) {
        unsigned s = (r * 5 + 1) & 15;
        for (int w = 0; w < 2; w++) {
            const char *const *n = w ? rn : rn32;
            for (unsigned k = 0; k < 6; k++) {
                x86_init(&b, buf, sizeof buf);
                x86_alu_rr(&b, alu[k].op, w, r, s);
                snprintf(want, sizeof want, "%s %s, %s", alu[k].name, n[r], n[s]);
                check(&b, 0, want);

                x86_init(&b, buf, sizeof buf);
                x86_alu_ri(&b, alu[k].op, w, r, 0x123000);
                snprintf(want, sizeof want, "%s %s, 0x123000", alu[k].name, n[r]);
                check(&b, 0, want);

                /* the sign-extended imm8 form (83 /op ib) */
                x86_init(&b, buf, sizeof buf);
                x86_alu_ri(&b, alu[k].op, w, r, -4);
                /* (Capstone prints the logical ops' immediate unsigned) */
                if (alu[k].op == X86_AND || alu[k].op == X86_OR || alu[k].op == X86_XOR)
                    snprintf(want, sizeof want, "%s %s, %s", alu[k].name, n[r],
                             w ? "0xfffffffffffffffc" : "0xfffffffc");
                else
                    snprintf(want, sizeof want, "%s %s, -4", alu[k].name, n[r]);
                check(&b, 0, want);
                assert_int_equal(x86_len(&b), (r >= 8 || w) ? 4 : 3);

                if (k == 5)
                    continue;
                x86_init(&b, buf, sizeof buf);
                x86_shift_ri(&b, sh[k].op, w, r, 37);
                snprintf(want, sizeof want, "%s %s, 0x25", sh[k].name, n[r]);
                check(&b, 0, want);

                x86_init(&b, buf, sizeof buf);
                x86_shift_cl(&b, sh[k].op, w, r);
                snprintf(want, sizeof want, "%s %s, cl", sh[k].name, n[r]);
                check(&b, 0, want);
            }
            x86_init(&b, buf, sizeof buf);
            x86_bswap(&b, w, r);
            snprintf(want, sizeof want, "bswap %s", n[r]);
            check(&b, 0, want);
            if (!w) {
                x86_init(&b, buf, sizeof buf);
                x86_mov_r32_r32(&b, r, s);
                snprintf(want, sizeof want, "mov %s, %s", rn32[r], rn32[s]);
                check(&b, 0, want);
            }
            x86_init(&b, buf, sizeof buf);
            x86_not_r(&b, w, r);
            snprintf(want, sizeof want, "not %s", n[r]);
            check(&b, 0, want);
            /* ADC and SBB (register, register): the carry-in forms */
            x86_init(&b, buf, sizeof buf);
            x86_alu_rr(&b, X86_ADC, w, r, s);
            snprintf(want, sizeof want, "adc %s, %s", n[r], n[s]);
            check(&b, 0, want);
            x86_init(&b, buf, sizeof buf);
            x86_alu_rr(&b, X86_SBB, w, r, s);
            snprintf(want, sizeof want, "sbb %s, %s", n[r], n[s]);
            check(&b, 0, want);
        }
        for (size_t k = 0; k < sizeof disps / sizeof disps[0]; k++) {
            x86_init(&b, buf, sizeof buf);
            x86_mov_m64_r64(&b, r, disps[k], s);
            snprintf(want, sizeof want, "mov %s, %s", fmt_disp(m, sizeof m, "qword ", r, disps[k]), rn[s]);
            check(&b, 0, want);

            x86_init(&b, buf, sizeof buf);
            x86_mov_r32_m32(&b, s, r, disps[k]);
            snprintf(want, sizeof want, "mov %s, %s", rn32[s], fmt_disp(m, sizeof m, "dword ", r, disps[k]));
            check(&b, 0, want);

            x86_init(&b, buf, sizeof buf);
            x86_movzx_r32_m8(&b, s, r, disps[k]);
            snprintf(want, sizeof want, "movzx %s, %s", rn32[s], fmt_disp(m, sizeof m, "byte ", r, disps[k]));
            check(&b, 0, want);
        }
    }
}

static void test_branches(void **state)
{
    (void)state;
    static const char *const cc[16] = { "jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja",
                                        "js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg" };
    uint8_t buf[64];
    X86Buf b;
    char want[64];
    for (unsigned c = 0; c < 16; c++) {
        /* Backward and forward targets in the buffer, disassembled at the
         * buffer's own address so that the target is absolute. */
        for (int t = 0; t < 2; t++) {
            x86_init(&b, buf + 16, 16);
            const uint8_t *target = t ? buf + 60 : buf;
            uint8_t *f = x86_jcc_rel32(&b, c, target);
            assert_ptr_equal(f, buf + 18);
            snprintf(want, sizeof want, "%s 0x%llx", cc[c], (unsigned long long)(uintptr_t)target);
            check(&b, (uintptr_t)(buf + 16), want);
        }
    }
    x86_init(&b, buf + 8, 16);
    uint8_t *f = x86_jmp_rel32(&b, buf + 40);
    snprintf(want, sizeof want, "jmp 0x%llx", (unsigned long long)(uintptr_t)(buf + 40));
    check(&b, (uintptr_t)(buf + 8), want);
    /* Patching: the same field retargeted, for a copy run elsewhere. */
    x86_patch_rel32(f, (const uint8_t *)0x10001, (const uint8_t *)0x20000);
    check(&b, 0x10000, "jmp 0x20000");

    /* jcc rel8, patched forward and backward; a target out of reach is
     * refused and leaves the field alone */
    static uint8_t big[512];
    for (unsigned c = 0; c < 16; c++) {
        x86_init(&b, big + 256 + 16, 2);
        uint8_t *f8 = x86_jcc_rel8(&b, c);
        assert_ptr_equal(f8, big + 256 + 17);
        assert_true(x86_patch_rel8(f8, c & 1 ? big + 256 + 18 + 127 : big + 256 + 18 - 128));
        snprintf(want, sizeof want, "%s 0x%llx", cc[c],
                 (unsigned long long)(uintptr_t)(c & 1 ? big + 256 + 18 + 127 : big + 256 + 18 - 128));
        check(&b, (uintptr_t)(big + 256 + 16), want);
        assert_false(x86_patch_rel8(f8, big + 256 + 18 + 128));
        assert_false(x86_patch_rel8(f8, big + 256 + 18 - 129));
        check(&b, (uintptr_t)(big + 256 + 16), want);
    }

    /* an address: RIP-relative lea from the run address when in reach */
    for (unsigned r = 0; r < 16; r++) {
        x86_init(&b, buf, 16);
        b.run_off = 0x1000;
        uintptr_t a = (uintptr_t)buf + 0x1000 + 7 - 0x80000000ull;
        x86_mov_r64_addr(&b, r, (const void *)a);
        snprintf(want, sizeof want, "lea %s, [rip - 0x80000000]", rn[r]);
        check(&b, (uintptr_t)buf + 0x1000, want);
        x86_init(&b, buf, 16);
        b.run_off = 0x1000;
        x86_mov_r64_addr(&b, r, (const void *)(a - 1));
        snprintf(want, sizeof want, "movabs %s, 0x%llx", rn[r], (unsigned long long)(a - 1));
        check(&b, 0, want);
    }

    /* x86_land_rel8: the jump lands at the next byte written; out of
     * reach it marks the buffer overflowed */
    x86_init(&b, big, sizeof big);
    uint8_t *l8 = x86_jcc_rel8(&b, X86_CC_E);
    b.p += 127;
    x86_land_rel8(&b, l8);
    assert_false(b.overflow);
    assert_int_equal(*l8, 127);
    x86_init(&b, big, sizeof big);
    l8 = x86_jcc_rel8(&b, X86_CC_E);
    b.p += 128;
    x86_land_rel8(&b, l8);
    assert_true(b.overflow);
    x86_land_rel8(&b, NULL);                /* after an overflow: accepted */

    /* call: rel32 from the run address (a second view 0x1000 above the
     * buffer) when the target is in reach, else movabs rax + call rax */
    x86_init(&b, buf, 16);
    b.run_off = 0x1000;
    x86_call_abs(&b, (const void *)((uintptr_t)buf + 0x1000 + 5 + 0x7fffffff));
    assert_int_equal(x86_len(&b), 5);
    snprintf(want, sizeof want, "call 0x%llx", (unsigned long long)((uintptr_t)buf + 0x1000 + 5 + 0x7fffffff));
    check(&b, (uintptr_t)buf + 0x1000, want);
    x86_init(&b, buf, 16);
    b.run_off = 0x1000;
    x86_call_abs(&b, (const void *)((uintptr_t)buf + 0x1000 + 5 - 0x80000000ull));
    assert_int_equal(x86_len(&b), 5);
    x86_init(&b, buf, 16);
    x86_call_abs(&b, (const void *)((uintptr_t)buf + 5 + 0x80000000ull));
    assert_int_equal(x86_len(&b), 12);
    cs_insn *in = NULL;
    assert_int_equal(cs_disasm(cs, buf, 12, 0, 0, &in), 2);
    snprintf(want, sizeof want, "0x%llx", (unsigned long long)((uintptr_t)buf + 5 + 0x80000000ull));
    assert_string_equal(in[0].mnemonic, "movabs");
    assert_non_null(strstr(in[0].op_str, want));
    assert_string_equal(in[1].mnemonic, "call");
    assert_string_equal(in[1].op_str, "rax");
    cs_free(in, 2);
}

static const char *const rn8[16] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                     "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };
static const char *const rn16[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
static const char *const ccn[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
                                     "s", "ns", "p", "np", "l", "ge", "le", "g" };

/* The forms of the inlined flag-setting, conditional and memory
 * instructions (jit_inline*.c), every register in every position. */
static void test_inline_forms(void **state)
{
    (void)state;
    uint8_t buf[32];
    X86Buf b;
    char want[120], m[80];
    for (unsigned r = 0; r < 16; r++) {
        unsigned s = (r * 7 + 5) & 15, x = s == X86_RSP ? X86_R9 : s;
        for (unsigned c = 0; c < 16; c++) {
            x86_init(&b, buf, sizeof buf);
            x86_setcc_r8(&b, c, r);
            snprintf(want, sizeof want, "set%s %s", ccn[c], rn8[r]);
            check(&b, 0, want);
            for (int w = 0; w < 2; w++) {
                x86_init(&b, buf, sizeof buf);
                x86_cmov(&b, c, w, r, s);
                snprintf(want, sizeof want, "cmov%s %s, %s", ccn[c], (w ? rn : rn32)[r], (w ? rn : rn32)[s]);
                check(&b, 0, want);
            }
        }
        for (unsigned sc = 0; sc < 4; sc++)
            for (int w = 0; w < 2; w++) {   /* lea r32 / lea r64, [base + index*scale] */
                x86_init(&b, buf, sizeof buf);
                (w ? x86_lea_r64_bis : x86_lea_r32_bis)(&b, r, s, x, sc);
                char sib[16] = "";
                if (sc)
                    snprintf(sib, sizeof sib, "*%u", 1u << sc);
                snprintf(want, sizeof want, "lea %s, [%s + %s%s]", (w ? rn : rn32)[r], rn[s], rn[x], sib);
                check(&b, 0, want);
            }
        for (size_t k = 0; k < sizeof disps / sizeof disps[0]; k++) {
            x86_init(&b, buf, sizeof buf);
            x86_lea_r64_disp(&b, r, s, disps[k]);
            snprintf(want, sizeof want, "lea %s, %s", rn[r], fmt_disp(m, sizeof m, "", s, disps[k]) + 4);
            check(&b, 0, want);

            x86_init(&b, buf, sizeof buf);
            x86_mov_m32_r32(&b, r, disps[k], s);
            snprintf(want, sizeof want, "mov %s, %s", fmt_disp(m, sizeof m, "dword ", r, disps[k]), rn32[s]);
            check(&b, 0, want);

            if (s == 0) {   /* once per base register */
                x86_init(&b, buf, sizeof buf);
                x86_prefetcht0_m(&b, r, disps[k]);
                snprintf(want, sizeof want, "prefetcht0 %s", fmt_disp(m, sizeof m, "byte ", r, disps[k]));
                check(&b, 0, want);
            }
        }
        x86_init(&b, buf, sizeof buf);
        x86_bt_r32_r32(&b, r, s);
        snprintf(want, sizeof want, "bt %s, %s", rn32[r], rn32[s]);
        check(&b, 0, want);

        x86_init(&b, buf, sizeof buf);
        x86_bt_r64_imm8(&b, r, 63);
        snprintf(want, sizeof want, "bt %s, 0x3f", rn[r]);
        check(&b, 0, want);
        for (int w = 0; w < 2; w++) {
            const char *const *n = w ? rn : rn32;
            x86_init(&b, buf, sizeof buf);
            x86_test_ri(&b, w, r, 15);      /* the byte form: the same flags for 0-127 */
            snprintf(want, sizeof want, "test %s, 0xf", rn8[r]);
            check(&b, 0, want);

            x86_init(&b, buf, sizeof buf);
            x86_test_ri(&b, w, r, 0x80);
            snprintf(want, sizeof want, "test %s, 0x80", n[r]);
            check(&b, 0, want);

            x86_init(&b, buf, sizeof buf);
            x86_imul_rr(&b, w, r, s);
            snprintf(want, sizeof want, "imul %s, %s", n[r], n[s]);
            check(&b, 0, want);

            x86_init(&b, buf, sizeof buf);
            x86_imul_rri(&b, w, r, s, 40);
            snprintf(want, sizeof want, "imul %s, %s, 0x28", n[r], n[s]);
            check(&b, 0, want);

            x86_init(&b, buf, sizeof buf);
            x86_neg_r(&b, w, r);
            snprintf(want, sizeof want, "neg %s", n[r]);
            check(&b, 0, want);

            for (int sign = 0; sign < 2; sign++) {
                x86_init(&b, buf, sizeof buf);
                x86_mul_r(&b, w, sign, r);
                snprintf(want, sizeof want, "%s %s", sign ? "imul" : "mul", n[r]);
                check(&b, 0, want);
            }
        }
        /* loads and stores through [base + index] */
        static const char *const szn[9] = { "", "byte", "word", "", "dword", "", "", "", "qword" };
        for (unsigned size = 1; size <= 8; size *= 2) {
            int8_t d8 = (int8_t)(size == 4 ? 4 : size == 2 ? -8 : 0);
            if (d8 > 0)
                snprintf(m, sizeof m, "%s ptr [%s + %s + %d]", szn[size], rn[s], rn[x], d8);
            else if (d8 < 0)
                snprintf(m, sizeof m, "%s ptr [%s + %s - %d]", szn[size], rn[s], rn[x], -d8);
            else
                snprintf(m, sizeof m, "%s ptr [%s + %s]", szn[size], rn[s], rn[x]);
            x86_init(&b, buf, sizeof buf);
            x86_load_bi(&b, size, false, false, r, s, x, d8);
            if (size == 8)
                snprintf(want, sizeof want, "mov %s, %s", rn[r], m);
            else if (size == 4)
                snprintf(want, sizeof want, "mov %s, %s", rn32[r], m);
            else
                snprintf(want, sizeof want, "movzx %s, %s", rn32[r], m);
            check(&b, 0, want);
            if (size < 8) {
                for (int w = 0; w < 2; w++) {
                    if (size == 4 && !w)
                        continue;
                    x86_init(&b, buf, sizeof buf);
                    x86_load_bi(&b, size, true, w, r, s, x, d8);
                    snprintf(want, sizeof want, "%s %s, %s", size == 4 ? "movsxd" : "movsx",
                             (w ? rn : rn32)[r], m);
                    check(&b, 0, want);
                }
            }
            x86_init(&b, buf, sizeof buf);
            x86_store_bi(&b, size, r, s, x, d8);
            const char *src = size == 1 ? rn8[r] : size == 2 ? rn16[r] : size == 4 ? rn32[r] : rn[r];
            snprintf(want, sizeof want, "mov %s, %s", m, src);
            check(&b, 0, want);
        }
    }
    /* RSP as an index has no encoding: refused */
    x86_init(&b, buf, sizeof buf);
    x86_load_bi(&b, 8, false, false, X86_RAX, X86_RCX, X86_RSP, 0);
    assert_true(b.overflow);
}

static void test_overflow(void **state)
{
    (void)state;
    uint8_t buf[16];
    X86Buf b;
    x86_init(&b, buf, 11);
    x86_mov_r64_imm64(&b, X86_RAX, 1ull << 40);   /* 10 bytes: fits */
    assert_false(b.overflow);
    x86_add_m64_imm32(&b, X86_RBX, 0, 1);   /* 11 bytes: does not */
    assert_true(b.overflow);
    assert_int_equal(x86_len(&b), 10);
    x86_ret(&b);                            /* nothing more after an overflow */
    assert_int_equal(x86_len(&b), 10);
    assert_null(x86_jmp_rel32(&b, buf));
}

int main(void)
{
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_forms),
        cmocka_unit_test(test_register_forms),
        cmocka_unit_test(test_alu_forms),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_inline_forms),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    cs_close(&cs);
    return r;
}
