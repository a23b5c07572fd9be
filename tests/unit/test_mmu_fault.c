/*
 * mmu_raise_abort (the one fault-to-exception place): exact ESR_ELx,
 * FAR_ELx and HPFAR_EL2 for representative faults (Arm ARM D17.2.37 ISS
 * encodings for EC 0x20/0x21/0x24/0x25, D17.2.58 HPFAR_EL2), raised by
 * real accesses through mem_read/mem_write/mem_fetch_page and the DC/AT
 * instructions.
 */
#include "mmu_test_util.h"

#define POOL  (RAM + 0x100000)
#define POOL2 (RAM + 0x800000)

#define HCR_VM (1ull << 0)
#define VTCR_40BIT_L1 (24ull | (1ull << 6) | (5ull << 16))

#define ESR(ec, iss) (((uint64_t)(ec) << 26) | (1ull << 25) | (iss))
#define ISV (1u << 24)
#define SAS(n) ((uint32_t)(n) << 22)
#define SSE (1u << 21)
#define SRT(n) ((uint32_t)(n) << 16)
#define SF (1u << 15)
#define AR (1u << 14)
#define CM (1u << 8)
#define S1PTW (1u << 7)
#define WNR (1u << 6)

static a83_machine *M;
static CPUState *C;
static PT S1, S2;

/* EL1&0 with stage 1 (4KB, 48-bit) and stage 2 (4KB, 40-bit IPA, start
 * level 1). Stage 2 maps RAM identity with 2MB blocks except the IPA page
 * 0x09000000 (an emulated device: unmapped, so it faults at stage 2). */
static int setup(void **state)
{
    (void)state;
    M = mk_machine(1);
    C = M->cpu[0];
    pt_init(&S1, M, POOL, 12, 48, 0);
    pt_map(&S1, 0x10000, 0x40010000, 3, D_AF | D_AP_RW_ALL | D_PXN);
    pt_map(&S1, 0x11000, 0x09000000, 3, D_AF | D_IDX(1) | D_PXN | D_UXN);
    pt_map(&S1, 0x12000, 0x40012000, 3, D_AF | D_AP_RO_EL1);
    pt_map(&S1, 0x13000, 0x7ff00000, 3, D_AF);   /* IPA with no stage-2 table below */
    pt_init(&S2, M, POOL2, 12, 40, 1);
    for (uint64_t a = 0x40000000; a < 0x40000000 + (16ull << 20); a += 0x200000)
        pt_map(&S2, a, a, 2, D_AF | S2_R | S2_W | S2_NORMAL);
    C->sr[SR_VTCR_EL2] = VTCR_40BIT_L1;
    C->sr[SR_VTTBR_EL2] = S2.root;
    C->sr[SR_HCR_EL2] = HCR_VM;
    s1_enable(C, TCR_T0SZ(16) | TCR_IPS(5), S1.root, 0);
    C->el = 1;
    cpu_update_mmu_context(C);
    C->pc = 0x40080000;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    a83_machine_destroy(M);
    return 0;
}

/* A stage-2 data abort on "ldr x3, [x1]" to an emulated-device IPA: taken
 * to EL2 with EC 0x24, ISV = 1, SAS = 0b11, SRT = 3, SF = 1, DFSC =
 * translation fault level 1 (the stage-2 level-1 entry for 0x09000000 is
 * empty), FAR_EL2 = VA, HPFAR_EL2.FIPA = IPA[47:12] at bit 4. */
static void test_s2_dabt_isv_load(void **state)
{
    (void)state;
    if (setjmp(C->jmp) == 0) {
        mem_read(C, 0x11008, 8, MEMF_GPR(3, 1, 0));
        fail_msg("no abort");
    }
    assert_int_equal(C->el, 2);
    assert_int_equal(C->sr[SR_ESR_EL2], ESR(0x24, ISV | SAS(3) | SRT(3) | SF | 0x05));
    assert_int_equal(C->sr[SR_FAR_EL2], 0x11008);
    assert_int_equal(C->sr[SR_HPFAR_EL2], (0x09000008ull >> 12) << 4);
    assert_int_equal(C->sr[SR_ELR_EL2], 0x40080000);
    assert_int_equal(C->pc, RAM + 0x20000 + 0x400);        /* lower EL, sync */
}

/* "strh w5, [x1]" (store, 16 bits, 32-bit register) and "ldarsb"-like
 * signed acquire byte loads: WnR, SAS, SSE, AR, SF from the flags. */
static void test_s2_dabt_isv_store_signed(void **state)
{
    (void)state;
    if (setjmp(C->jmp) == 0) {
        mem_write(C, 0x11002, 2, 0x1234, MEMF_GPR(5, 0, 0));
        fail_msg("no abort");
    }
    assert_int_equal(C->sr[SR_ESR_EL2], ESR(0x24, ISV | SAS(1) | SRT(5) | WNR | 0x05));
    C->el = 1;
    cpu_update_mmu_context(C);
    if (setjmp(C->jmp) == 0) {
        mem_read(C, 0x11001, 1, MEMF_GPR(7, 1, 1) | MEMF_AR);
        fail_msg("no abort");
    }
    assert_int_equal(C->sr[SR_ESR_EL2], ESR(0x24, ISV | SAS(0) | SSE | SRT(7) | SF | AR | 0x05));
    assert_int_equal(C->sr[SR_FAR_EL2], 0x11001);
    /* An exclusive is not a single load/store with a valid syndrome. */
    C->el = 1;
    cpu_update_mmu_context(C);
    if (setjmp(C->jmp) == 0) {
        mem_read(C, 0x11000, 8, MEMF_GPR(2, 1, 0) | MEMF_EXCL);
        fail_msg("no abort");
    }
    assert_int_equal(C->sr[SR_ESR_EL2], ESR(0x24, 0x05));
}

/* A stage-2 fault on a stage-1 table walk: S1PTW = 1, ISV = 0, WnR = 0
 * even for a store (the walk reads), HPFAR = the descriptor's IPA. */
static void test_s1ptw_syndrome(void **state)
{
    (void)state;
    /* Stage 1 tables for VA 0x8000000000 in an IPA page stage 2 lacks. */
    uint64_t l1 = 0x7fe00000;           /* outside the 16MB stage-2 map */
    wr64(M, S1.root + 8, l1 | 3);
    if (setjmp(C->jmp) == 0) {
        mem_write(C, 0x8000000010ull, 8, 1, MEMF_GPR(1, 1, 0));
        fail_msg("no abort");
    }
    assert_int_equal(C->el, 2);
    assert_int_equal(C->sr[SR_ESR_EL2], ESR(0x24, S1PTW | 0x06));
    assert_int_equal(C->sr[SR_FAR_EL2], 0x8000000010ull);
    assert_int_equal(C->sr[SR_HPFAR_EL2], (0x7fe00000ull >> 12) << 4);
}

/* Stage-1 faults stay at EL1: EC 0x25 from EL1 (no ISV), EC 0x24 from
 * EL0; HPFAR_EL2 untouched. Permission fault on a write: WnR = 1. */
static void test_s1_dabt_el1_el0(void **state)
{
    (void)state;
    C->sr[SR_HPFAR_EL2] = 0x5550;
    if (setjmp(C->jmp) == 0) {
        mem_write(C, 0x12000, 4, 1, MEMF_GPR(0, 0, 0));
        fail_msg("no abort");
    }
    assert_int_equal(C->el, 1);
    assert_int_equal(C->sr[SR_ESR_EL1], ESR(0x25, WNR | 0x0f));
    assert_int_equal(C->sr[SR_FAR_EL1], 0x12000);
    assert_int_equal(C->sr[SR_HPFAR_EL2], 0x5550);
    C->el = 0;
    cpu_update_mmu_context(C);
    if (setjmp(C->jmp) == 0) {
        mem_read(C, 0x12008, 8, MEMF_GPR(0, 1, 0));
        fail_msg("no abort");
    }
    assert_int_equal(C->el, 1);
    assert_int_equal(C->sr[SR_ESR_EL1], ESR(0x24, 0x0f));
}

/* Instruction aborts: stage-1 permission (UXN) from EL0 is EC 0x20 with
 * IFSC; a stage-2 fault on a fetch goes to EL2 with HPFAR. */
static void test_iabt(void **state)
{
    (void)state;
    C->el = 0;
    cpu_update_mmu_context(C);
    C->pc = 0x11000;
    if (setjmp(C->jmp) == 0) {
        mem_fetch_page(C, 0x11000);
        fail_msg("no abort");
    }
    assert_int_equal(C->el, 1);
    assert_int_equal(C->sr[SR_ESR_EL1], ESR(0x20, 0x0f));
    assert_int_equal(C->sr[SR_FAR_EL1], 0x11000);
    /* EL1 fetch from VA 0x13000 -> IPA 0x7ff00000: stage-2 translation
     * fault at level 2, to EL2 as EC 0x20 (lower EL). */
    C->el = 1;
    cpu_update_mmu_context(C);
    if (setjmp(C->jmp) == 0) {
        mem_fetch_page(C, 0x13000);
        fail_msg("no abort");
    }
    assert_int_equal(C->el, 2);
    assert_int_equal(C->sr[SR_ESR_EL2], ESR(0x20, 0x06));
    assert_int_equal(C->sr[SR_HPFAR_EL2], (0x7ff00000ull >> 12) << 4);
}

/* DC ZVA is a write (WnR = 1, CM = 0); DC CIVAC is cache maintenance
 * (CM = 1, WnR = 1); both give the VA in FAR. DC ZVA to Device memory is
 * an Alignment fault (DFSC 0b100001). */
static void test_dc_faults(void **state)
{
    (void)state;
    if (setjmp(C->jmp) == 0) {
        sys_insn(C, "DC ZVA", 0x4000);
        fail_msg("no abort");
    }
    assert_int_equal(C->sr[SR_ESR_EL1], ESR(0x25, WNR | 0x07));
    assert_int_equal(C->sr[SR_FAR_EL1], 0x4000);
    C->el = 1;
    cpu_update_mmu_context(C);
    if (setjmp(C->jmp) == 0) {
        sys_insn(C, "DC CIVAC", 0x4010);
        fail_msg("no abort");
    }
    assert_int_equal(C->sr[SR_ESR_EL1], ESR(0x25, CM | WNR | 0x07));
    assert_int_equal(C->sr[SR_FAR_EL1], 0x4010);
    /* MMU off: data is Device-nGnRnE, DC ZVA faults on alignment. */
    C->el = 1;
    C->sr[SR_SCTLR_EL1] &= ~1ull;
    C->sr[SR_HCR_EL2] = 0;
    mmu_regs_changed(C);
    if (setjmp(C->jmp) == 0) {
        sys_insn(C, "DC ZVA", 0x40040000);
        fail_msg("no abort");
    }
    assert_int_equal(C->sr[SR_ESR_EL1], ESR(0x25, WNR | 0x21));
}

/* AT S1E1R at EL1 whose stage-1 walk faults at stage 2 is taken to EL2
 * (Arm ARM D8.14): EC 0x24, CM = 1, WnR = 1, S1PTW = 1; PAR_EL1 unchanged. */
static void test_at_s1ptw_abort(void **state)
{
    (void)state;
    wr64(M, S1.root + 8, 0x7fe00000ull | 3);
    C->sr[SR_PAR_EL1] = 0x1234;
    if (setjmp(C->jmp) == 0) {
        sys_insn(C, "AT S1E1R", 0x8000000000ull);
        fail_msg("no abort");
    }
    assert_int_equal(C->el, 2);
    assert_int_equal(C->sr[SR_ESR_EL2], ESR(0x24, CM | S1PTW | WNR | 0x06));
    assert_int_equal(C->sr[SR_PAR_EL1], 0x1234);
    assert_int_equal(C->sr[SR_HPFAR_EL2], (0x7fe00000ull >> 12) << 4);
}

/* Through a real instruction: "ldr x0, [x1]" at 0x40080000, one step
 * (a83_step), x1 pointing at the emulated-device page: the same syndrome
 * with SRT = 0, ELR_EL2 = the instruction, PC at the EL2 vector. */
static void test_step_ldr(void **state)
{
    (void)state;
    pt_map(&S1, 0x40080000, 0x40080000, 3, D_AF);
    uint32_t insn = 0xf9400020;            /* LDR X0, [X1] */
    assert_int_equal(a83_phys_write(M, 0x40080000, &insn, 4), A83_OK);
    C->powered = true;
    C->x[1] = 0x11010;
    C->pc = 0x40080000;
    assert_int_equal(a83_step(M, 0), A83_OK);
    assert_int_equal(C->el, 2);
    assert_int_equal(C->sr[SR_ESR_EL2], ESR(0x24, ISV | SAS(3) | SRT(0) | SF | 0x05));
    assert_int_equal(C->sr[SR_FAR_EL2], 0x11010);
    assert_int_equal(C->sr[SR_HPFAR_EL2], (0x09000010ull >> 12) << 4);
    assert_int_equal(C->sr[SR_ELR_EL2], 0x40080000);
    assert_int_equal(C->pc, RAM + 0x20000 + 0x400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_s2_dabt_isv_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s2_dabt_isv_store_signed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s1ptw_syndrome, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s1_dabt_el1_el0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iabt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dc_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_at_s1ptw_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_ldr, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
