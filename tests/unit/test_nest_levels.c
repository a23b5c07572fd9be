/*
 * Nesting levels and L2-exit trees (docs/exit-trace.md, "Nesting levels",
 * issue 15 part 2): synthetic record sequences of a KVM-style nested run fed
 * to a83_nest_feed(), and the same run driven through the recorder's CPU
 * hooks. What is checked: FEAT_NV (Arm ARM D8.11, HCR_EL2.NV): a guest
 * hypervisor at vEL2 runs at EL1 with NV=1 and its ERET traps to EL2 with
 * ESR_ELx.EC = 0x1A; the L0 hypervisor enters the L2 guest with NV=0 (under
 * a shadow stage 2, another VMID). The level of every record and the tree of
 * L0 exits of each L2 exit (its own exit, the guest hypervisor's trapped MRS/
 * MSR and ERET) are checked exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arm83emu/trace.h"
#include "core/machine.h"
#include "trace/trace.h"

#define EC_SHIFT 26
#define ESR_IL (1ull << 25)
#define ESR_HVC ((0x16ull << EC_SHIFT) | ESR_IL)
#define ESR_SYSREG ((0x18ull << EC_SHIFT) | ESR_IL)
#define ESR_ERET ((0x1Aull << EC_SHIFT) | ESR_IL)
#define ESR_WFX ((0x01ull << EC_SHIFT) | ESR_IL)
#define ESR_DABT ((0x24ull << EC_SHIFT) | ESR_IL)

#define GUEST_FLAGS (A83_EXIT_FLAG_IMO | A83_EXIT_FLAG_FMO | A83_EXIT_FLAG_VM)
#define L1_FLAGS (GUEST_FLAGS | A83_EXIT_FLAG_NV | A83_EXIT_FLAG_E2H)   /* vEL2: NV set by L0 */
#define L2_FLAGS GUEST_FLAGS                                            /* L2: NV clear */

/* Contexts: L1 = VMID 1 (L0's VM), L2 = VMID 3 (L0's shadow stage 2 for
 * L1's guest); both single-vCPU VMs, so the same VMPIDR_EL2. */
#define L1_VMID 1
#define L2_VMID 3
#define PLAIN_VMID 5
#define VCPU0 0x80000000ull

static uint64_t seq;

static a83_exit_record rec(uint8_t kind, uint32_t cpu, uint16_t vmid, uint8_t flags, uint64_t esr)
{
    a83_exit_record r = { 0 };
    r.seq = seq++;
    r.kind = kind;
    r.cpu = cpu;
    r.vmid = vmid;
    r.vmpidr = VCPU0;
    r.flags = flags;
    r.level = 1;   /* the host rule's answer for a guest context */
    r.esr = kind == A83_EXIT_ENTRY ? esr : 0;
    r.from_el = kind == A83_EXIT_ENTRY ? 1 : 2;
    r.to_el = kind == A83_EXIT_ENTRY ? 2 : 1;
    r.vector = A83_VEC_SYNC;
    r.intid = 1023;
    r.entry_seq = A83_EXIT_NO_SEQ;
    return r;
}

/* Feeds one record; checks the level decided and the tree it joined. */
static void feed(a83_nest *n, uint8_t kind, uint32_t cpu, uint16_t vmid, uint8_t flags, uint64_t esr,
                 uint8_t want_level, uint64_t want_root)
{
    a83_exit_record r = rec(kind, cpu, vmid, flags, esr);
    uint64_t root = a83_nest_feed(n, &r);
    assert_int_equal(r.level, want_level);
    assert_int_equal(root, want_root);
}

#define E A83_EXIT_ENTRY
#define R A83_EXIT_RETURN
#define NO A83_EXIT_NO_SEQ

/* An L2 HVC reflected to L1: L1 (vEL2, NV=1) saves/restores with trapped
 * MRS/MSR, ERETs back (trapped, EC 0x1A), L0 re-enters L2 (NV=0). */
static void test_l2_hvc_tree(void **s)
{
    (void)s;
    a83_nest *n;
    assert_int_equal(a83_nest_new(&n), A83_OK);
    seq = 0;
    feed(n, R, 0, L1_VMID, L1_FLAGS, 0, 1, NO);              /* 0: L0 runs L1 at vEL2 */
    feed(n, E, 0, L1_VMID, L1_FLAGS, ESR_ERET, 1, NO);       /* 1: L1's ERET to its guest traps */
    feed(n, R, 0, L2_VMID, L2_FLAGS, 0, 2, NO);              /* 2: L0 enters L2 with NV=0: L2 */
    feed(n, E, 0, L2_VMID, L2_FLAGS, ESR_HVC, 2, 3);         /* 3: L2's HVC: a tree's root */
    feed(n, R, 0, L1_VMID, L1_FLAGS, 0, 1, NO);              /* 4: reflected to vEL2 */
    feed(n, E, 0, L1_VMID, L1_FLAGS, ESR_SYSREG, 1, 3);      /* 5: L1's MRS (e.g. MDSCR_EL1) */
    feed(n, R, 0, L1_VMID, L1_FLAGS, 0, 1, NO);              /* 6 */
    /* An interrupt taken at EL2 itself (host, level 0) changes nothing. */
    a83_exit_record irq = rec(E, 0, L1_VMID, L1_FLAGS, 0);
    irq.from_el = 2;
    irq.level = 0;
    irq.vector = A83_VEC_IRQ;
    assert_int_equal(a83_nest_feed(n, &irq), NO);            /* 7 */
    assert_int_equal(irq.level, 0);
    feed(n, E, 0, L1_VMID, L1_FLAGS, ESR_SYSREG, 1, 3);      /* 8: L1's MSR */
    feed(n, R, 0, L1_VMID, L1_FLAGS, 0, 1, NO);              /* 9 */
    feed(n, E, 0, L1_VMID, L1_FLAGS, ESR_ERET, 1, 3);        /* 10: L1's ERET back to L2 */
    feed(n, R, 0, L2_VMID, L2_FLAGS, 0, 2, NO);              /* 11: L2 runs again: tree closed */
    /* An L2 exit that L0 handles alone (a shadow stage-2 fault): a tree of one. */
    feed(n, E, 0, L2_VMID, L2_FLAGS, ESR_DABT, 2, 12);       /* 12 */
    feed(n, R, 0, L2_VMID, L2_FLAGS, 0, 2, NO);              /* 13: known L2 context */
    /* L1's exits after the tree closed belong to no tree. */
    feed(n, E, 0, L2_VMID, L2_FLAGS, ESR_WFX, 2, 14);        /* 14: L2 WFI, reflected */
    feed(n, R, 0, L1_VMID, L1_FLAGS, 0, 1, NO);              /* 15 */
    feed(n, E, 0, L1_VMID, L1_FLAGS, ESR_WFX, 1, 14);        /* 16: L1 idles: still in the tree */
    feed(n, R, 0, L1_VMID, L1_FLAGS, 0, 1, NO);              /* 17 */
    feed(n, E, 0, L1_VMID, L1_FLAGS, ESR_ERET, 1, 14);       /* 18 */
    feed(n, R, 0, L2_VMID, L2_FLAGS, 0, 2, NO);              /* 19 */
    a83_nest_free(n);
}

/* A plain guest (no NV ever) stays level 1, even when entered on a CPU
 * whose last guest exit came from a guest hypervisor, unless that exit was a
 * trapped ERET; a context later seen with NV=1 is a guest hypervisor's. */
static void test_plain_guest_and_unmark(void **s)
{
    (void)s;
    a83_nest *n;
    assert_int_equal(a83_nest_new(&n), A83_OK);
    seq = 0;
    feed(n, R, 1, PLAIN_VMID, GUEST_FLAGS, 0, 1, NO);
    feed(n, E, 1, PLAIN_VMID, GUEST_FLAGS, ESR_HVC, 1, NO);
    feed(n, R, 1, L1_VMID, L1_FLAGS, 0, 1, NO);
    feed(n, E, 1, L1_VMID, L1_FLAGS, ESR_WFX, 1, NO);        /* L1 WFI: not an ERET */
    feed(n, R, 1, PLAIN_VMID, GUEST_FLAGS, 0, 1, NO);        /* L0 schedules another VM: level 1 */
    /* The ERET trap on CPU 0 does not mark a context entered on CPU 1. */
    feed(n, E, 0, L1_VMID, L1_FLAGS, ESR_ERET, 1, NO);
    feed(n, R, 1, PLAIN_VMID, GUEST_FLAGS, 0, 1, NO);
    feed(n, R, 0, L2_VMID, L2_FLAGS, 0, 2, NO);              /* CPU 0: L2 */
    /* The trapped ERET's emulation may return to L1's own vEL0 (NV=1). */
    feed(n, E, 0, L2_VMID, L2_FLAGS, ESR_HVC, 2, 8);
    feed(n, R, 0, L1_VMID, L1_FLAGS, 0, 1, NO);
    feed(n, E, 0, L1_VMID, L1_FLAGS, ESR_ERET, 1, 8);
    feed(n, R, 0, L1_VMID, L1_FLAGS, 0, 1, NO);              /* to L1's vEL0 (hyp context) */
    /* VMID 3 reused with NV=1 (a new guest hypervisor): no longer L2. */
    feed(n, R, 0, L2_VMID, L1_FLAGS, 0, 1, NO);
    feed(n, E, 0, L2_VMID, L2_FLAGS, ESR_HVC, 1, NO);
    /* A host record (level 0) keeps its level; NULL trackers are refused. */
    a83_exit_record h = rec(E, 0, 0, A83_EXIT_FLAG_TGE, ESR_HVC);
    h.level = 0;
    assert_int_equal(a83_nest_feed(n, &h), NO);
    assert_int_equal(h.level, 0);
    assert_int_equal(a83_nest_feed(NULL, &h), NO);
    assert_int_equal(a83_nest_new(NULL), A83_ERR_ARG);
    a83_nest_free(n);
    a83_nest_free(NULL);
}

/* ---- The recorder: the same decision, live, through the CPU hooks ---------- */

#define HCR_VM (1ull << 0)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_RW (1ull << 31)
#define HCR_E2H (1ull << 34)
#define HCR_NV (1ull << 42)
#define HCR_GUEST (HCR_RW | HCR_IMO | HCR_FMO | HCR_VM)

typedef struct Sink {
    a83_exit_record r[64];
    unsigned n;
} Sink;

static void sink_fn(void *opaque, const a83_exit_record *rec_)
{
    Sink *sk = opaque;
    if (sk->n < 64)
        sk->r[sk->n++] = *rec_;
}

static void enter(CPUState *c, uint16_t vmid, uint64_t hcr)
{
    c->sr[SR_VTTBR_EL2] = (uint64_t)vmid << 48;
    c->sr[SR_VMPIDR_EL2] = VCPU0 ^ c->mpidr;   /* stored XORed with MPIDR */
    c->sr[SR_HCR_EL2] = hcr;
    trace_mode_sync(c);
    c->el = 1;
    trace_exception_return(c, 2, 1, 0x1000);
}

static void trap(CPUState *c, uint64_t esr, uint64_t cycles)
{
    c->cycles += cycles;
    c->sr[SR_ESR_EL2] = esr;
    c->el = 2;
    trace_exception_entry(c, 1, 2, A83_VEC_SYNC, c->cycles);
    c->cycles += 100;   /* L0's handling */
}

static void test_recorder_levels(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    cfg.ncpus = 1;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    Sink sk = { 0 };
    a83_set_exit_callback(m, sink_fn, &sk);
    CPUState *c = m->cpu[0];
    c->el = 2;
    c->cycles = 0;
    c->halted = false;
    const uint64_t l1 = HCR_GUEST | HCR_NV | HCR_E2H, l2 = HCR_GUEST;
    enter(c, L1_VMID, l1);            /* 0 */
    trap(c, ESR_ERET, 1000);          /* 1 */
    enter(c, L2_VMID, l2);            /* 2: L2 */
    trap(c, ESR_HVC, 1000);           /* 3: the L2 HVC at cycle 2100 */
    enter(c, L1_VMID, l1);            /* 4 */
    trap(c, ESR_SYSREG, 50);          /* 5 */
    enter(c, L1_VMID, l1);            /* 6 */
    trap(c, ESR_ERET, 50);            /* 7 */
    enter(c, L2_VMID, l2);            /* 8: ends the L2 HVC */
    assert_int_equal(sk.n, 9);
    const uint8_t want[9] = { 1, 1, 2, 2, 1, 1, 1, 1, 2 };
    for (unsigned i = 0; i < 9; i++) {
        assert_int_equal(sk.r[i].seq, i);
        assert_int_equal(sk.r[i].level, want[i]);
    }
    /* The L2 exit's round trip: its trap at 2100 to the ERET at 2500 (L0's
     * handling 100 + L1 runs 50 + its MRS 100 + L1 runs 50 + its ERET 100). */
    assert_int_equal(sk.r[8].entry_seq, 3);
    assert_int_equal(sk.r[8].spent, 400);
    /* L1's MRS exit ended at the next entry into L1. */
    assert_int_equal(sk.r[6].entry_seq, 5);
    assert_int_equal(sk.r[6].spent, 100);
    /* Re-deriving the levels from the records gives the recorder's answer
     * (arm83emu-trace does this on files). */
    a83_nest *n;
    assert_int_equal(a83_nest_new(&n), A83_OK);
    const uint64_t roots[9] = { NO, NO, NO, 3, NO, 3, NO, 3, NO };
    for (unsigned i = 0; i < 9; i++) {
        a83_exit_record r = sk.r[i];
        r.level = 1;
        assert_int_equal(a83_nest_feed(n, &r), roots[i]);
        assert_int_equal(r.level, want[i]);
    }
    a83_nest_free(n);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_l2_hvc_tree),
        cmocka_unit_test(test_plain_guest_and_unmark),
        cmocka_unit_test(test_recorder_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
