/*
 * Exit traces (docs/exit-trace.md): records written through the recorder,
 * read back with the reader, every field equal (plain and zstd files);
 * digests; the reader refuses version-1, cut-short and corrupt files with
 * a message naming the record; and exit semantics that follow a vCPU
 * (issue 14): synthetic record streams driven through the CPU's hooks for a
 * VHE exit handled in host user space, nVHE host calls, vCPU migration
 * across CPUs and two guests interleaved on one CPU. The guest context is
 * VTTBR_EL2.VMID + VMPIDR_EL2; the host rule follows HCR_EL2.{TGE,IMO,FMO}
 * (Arm ARM D13.2.46: IMO/FMO route physical interrupts to EL2 and enable
 * virtual ones, which every KVM/Xen guest needs and their hosts do not use).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arm83emu/trace.h"
#include "core/machine.h"
#include "gic/gic_internal.h"
#include "trace/trace.h"

#define HCR_VM (1ull << 0)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_TGE (1ull << 27)
#define HCR_RW (1ull << 31)
#define HCR_E2H (1ull << 34)
#define HCR_API (1ull << 41)
#define HCR_APK (1ull << 40)
/* KVM's configurations (arch/arm64/include/asm/kvm_arm.h, facts only). */
#define GUEST_HCR (HCR_RW | HCR_IMO | HCR_FMO | HCR_VM)
#define VHE_GUEST_HCR (GUEST_HCR | HCR_E2H)
#define VHE_HOST_HCR (HCR_RW | HCR_TGE | HCR_E2H)
#define NVHE_HOST_HCR (HCR_RW | HCR_API | HCR_APK)

/* ---- A CPU driven the way src/cpu/exception.c calls the hooks ---------------- */

static void take_to_el2(CPUState *c, unsigned vec, uint64_t esr, uint64_t x0)
{
    unsigned from = c->el;
    c->x[0] = x0;
    c->sr[SR_ESR_EL2] = esr;
    c->sr[SR_ELR_EL2] = 0x40080000;
    c->el = 2;
    trace_exception_entry(c, from, 2, vec, c->cycles);
}

static void eret_to(CPUState *c, unsigned el)
{
    unsigned from = c->el;
    c->el = (uint8_t)el;
    trace_exception_return(c, from, el, 0x40080004);
}

static void set_hcr(CPUState *c, uint64_t hcr)
{
    c->sr[SR_HCR_EL2] = hcr;
    trace_mode_sync(c);
}

/* VMPIDR_EL2 as an MSR writes it: stored XORed with the CPU's MPIDR. */
static void set_vmpidr(CPUState *c, uint64_t vmpidr)
{
    c->sr[SR_VMPIDR_EL2] = vmpidr ^ c->mpidr;
}

static void set_guest(CPUState *c, uint16_t vmid, uint64_t vmpidr, uint64_t hcr)
{
    c->sr[SR_VTTBR_EL2] = (uint64_t)vmid << 48;
    set_vmpidr(c, vmpidr);
    set_hcr(c, hcr);
}

#define ESR_HVC ((0x16ull << 26) | (1ull << 25))
#define ESR_SVC ((0x15ull << 26) | (1ull << 25))
#define ESR_DABT ((0x24ull << 26) | (1ull << 25) | (1u << 24) | (2u << 22))

/* Records delivered live by the callback. */
typedef struct Sink {
    a83_exit_record r[64];
    unsigned n;
} Sink;

static void sink_fn(void *opaque, const a83_exit_record *rec)
{
    Sink *s = opaque;
    if (s->n < 64)
        s->r[s->n++] = *rec;
}

static a83_machine *machine_with_sink(unsigned ncpus, Sink *s)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    cfg.ncpus = ncpus;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    memset(s, 0, sizeof *s);
    a83_set_exit_callback(m, sink_fn, s);
    for (unsigned i = 0; i < ncpus; i++) {
        m->cpu[i]->el = 2;
        m->cpu[i]->cycles = 0;
        m->cpu[i]->halted = false;
    }
    return m;
}

static uint64_t parts_sum(const a83_exit_record *r)
{
    uint64_t s = 0;
    for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
        s += r->part[k];
    return s;
}

/* ---- File round trip ---------------------------------------------------------- */

static void make_records(a83_machine *m, unsigned n)
{
    CPUState *c = m->cpu[0];
    set_hcr(c, GUEST_HCR);
    for (unsigned i = 0; i < n; i++) {
        c->el = 1;
        c->cycles = 1000 + 1000 * (uint64_t)i;
        c->x[1] = i;
        c->sr[SR_FAR_EL2] = 0x1000 * i;
        c->sr[SR_HPFAR_EL2] = i << 4;
        c->sr[SR_VTTBR_EL2] = (uint64_t)(i % 3) << 48;
        set_vmpidr(c, 0x80000000u | (i % 3));
        take_to_el2(c, A83_VEC_SYNC, ESR_HVC | (i & 0xffff), 0xC4000003ull + i);
        c->cycles += 250 + i;
        eret_to(c, 1);
    }
}

static void roundtrip(const char *path)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_exit_trace_open(m, path), A83_OK);
    assert_int_equal(a83_exit_trace_open(m, path), A83_ERR_STATE);
    make_records(m, 500);
    assert_int_equal(a83_exit_trace_close(m), A83_OK);
    a83_exit_reader *rd;
    assert_int_equal(a83_exit_reader_open(path, &rd), A83_OK);
    uint32_t ncpus;
    uint64_t hz;
    a83_exit_reader_info(rd, &ncpus, &hz);
    assert_int_equal(ncpus, 1);
    assert_int_equal(hz, cfg.cpu_hz);
    assert_int_equal(a83_exit_reader_host_rule(rd), A83_HOST_RULE_AUTO);
    a83_exit_record r;
    for (unsigned i = 0; i < 500; i++) {
        assert_int_equal(a83_exit_reader_next(rd, &r), A83_OK);
        assert_int_equal(r.seq, 2 * i);
        assert_int_equal(r.kind, A83_EXIT_ENTRY);
        assert_int_equal(r.cycle, 1000 + 1000 * (uint64_t)i);
        assert_int_equal(r.esr, ESR_HVC | (i & 0xffff));
        assert_int_equal(r.far, 0x1000 * i);
        assert_int_equal(r.hpfar, (uint64_t)i << 4);
        assert_int_equal(r.elr, 0x40080000);
        assert_int_equal(r.x0, 0xC4000003ull + i);
        assert_int_equal(r.x1, i);
        assert_int_equal(r.vmid, i % 3);
        assert_int_equal(r.vmpidr, 0x80000000u | (i % 3));
        assert_int_equal(r.from_el, 1);
        assert_int_equal(r.to_el, 2);
        assert_int_equal(r.level, 1);
        assert_int_equal(r.intid, 1023);
        assert_int_equal(r.flags, A83_EXIT_FLAG_IMO | A83_EXIT_FLAG_FMO | A83_EXIT_FLAG_VM);
        assert_int_equal(r.entry_seq, A83_EXIT_NO_SEQ);
        assert_int_equal(a83_exit_reader_next(rd, &r), A83_OK);
        assert_int_equal(r.seq, 2 * i + 1);
        assert_int_equal(r.kind, A83_EXIT_RETURN);
        assert_int_equal(r.spent, 250 + i);
        assert_int_equal(r.entry_seq, 2 * i);
        assert_int_equal(r.entry_cpu, 0);
        assert_int_equal(r.part[A83_PART_EL2], 250 + i);
        assert_int_equal(parts_sum(&r), r.spent);
        assert_int_equal(r.elr, 0x40080004);
        assert_int_equal(r.from_el, 2);
        assert_int_equal(r.to_el, 1);
    }
    assert_int_equal(a83_exit_reader_next(rd, &r), A83_ERR_RANGE);
    a83_exit_reader_close(rd);
    a83_machine_destroy(m);
    unlink(path);
}

static void test_roundtrip_plain(void **s) { (void)s; roundtrip("/tmp/a83-test-exit.trace"); }
static void test_roundtrip_zstd(void **s) { (void)s; roundtrip("/tmp/a83-test-exit.trace.zst"); }

static void write_file(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(f);
}

static void test_bad_file(void **s)
{
    (void)s;
    write_file("/tmp/a83-test-bad.trace", "not a trace at all, really", 26);
    a83_exit_reader *rd;
    char msg[256];
    assert_int_equal(a83_exit_reader_open("/tmp/a83-test-bad.trace", &rd), A83_ERR_FORMAT);
    assert_int_equal(a83_exit_reader_open("/nonexistent/x.trace", &rd), A83_ERR_IO);
    /* A version-1 header (as arm83emu wrote before exit semantics v2). */
    uint8_t hdr[32] = { 'A', '8', '3', 'E', 'X', 'I', 'T', 0, 1, 0, 0, 0, 104, 0, 0, 0, 1 };
    write_file("/tmp/a83-test-bad.trace", hdr, sizeof hdr);
    assert_int_equal(a83_exit_reader_open_msg("/tmp/a83-test-bad.trace", &rd, msg, sizeof msg), A83_ERR_FORMAT);
    assert_non_null(strstr(msg, "version 1 trace: recorded by an older arm83emu; re-record it"));
    /* A header claiming 2^32-1 CPUs (issue 19: --perfetto trusted it). */
    hdr[8] = 2;
    hdr[12] = 160;
    hdr[16] = hdr[17] = hdr[18] = hdr[19] = 0xff;
    write_file("/tmp/a83-test-bad.trace", hdr, sizeof hdr);
    assert_int_equal(a83_exit_reader_open_msg("/tmp/a83-test-bad.trace", &rd, msg, sizeof msg), A83_ERR_FORMAT);
    assert_non_null(strstr(msg, "4294967295 CPUs"));
    unlink("/tmp/a83-test-bad.trace");
}

/* A file cut short: mid-record, and at a record boundary (no end record). */
static void test_truncated(void **s)
{
    (void)s;
    const char *path = "/tmp/a83-test-trunc.trace";
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_exit_trace_open(m, path), A83_OK);
    make_records(m, 3);   /* 6 records + the end record */
    assert_int_equal(a83_exit_trace_close(m), A83_OK);
    a83_machine_destroy(m);
    FILE *f = fopen(path, "rb");
    uint8_t buf[32 + 7 * A83_EXIT_RECORD_SIZE];
    assert_int_equal(fread(buf, 1, sizeof buf, f), sizeof buf);
    fclose(f);
    const size_t cuts[] = { 32 + 4 * A83_EXIT_RECORD_SIZE + 17, 32 + 4 * A83_EXIT_RECORD_SIZE };
    const char *want[] = { "record 4 is truncated", "cut short after 4 records" };
    for (unsigned k = 0; k < 2; k++) {
        write_file(path, buf, cuts[k]);
        a83_exit_reader *rd;
        assert_int_equal(a83_exit_reader_open(path, &rd), A83_OK);
        a83_exit_record r;
        for (unsigned i = 0; i < 4; i++)
            assert_int_equal(a83_exit_reader_next(rd, &r), A83_OK);
        assert_int_equal(a83_exit_reader_next(rd, &r), A83_ERR_FORMAT);
        assert_non_null(strstr(a83_exit_reader_error(rd), want[k]));
        a83_exit_reader_close(rd);
    }
    /* A record claiming a CPU the header does not have. */
    buf[32 + 2 * A83_EXIT_RECORD_SIZE + 72] = 5;
    write_file(path, buf, sizeof buf);
    a83_exit_reader *rd;
    assert_int_equal(a83_exit_reader_open(path, &rd), A83_OK);
    a83_exit_record r;
    assert_int_equal(a83_exit_reader_next(rd, &r), A83_OK);
    assert_int_equal(a83_exit_reader_next(rd, &r), A83_OK);
    assert_int_equal(a83_exit_reader_next(rd, &r), A83_ERR_FORMAT);
    assert_non_null(strstr(a83_exit_reader_error(rd), "record 2 is invalid"));
    a83_exit_reader_close(rd);
    unlink(path);
}

static uint64_t digest_of(unsigned n, uint8_t console_byte)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    a83_exit_trace_enable(m, true);
    make_records(m, n);
    machine_console_out(m, console_byte);
    uint64_t d1, d2;
    a83_digests(m, &d1, &d2);
    a83_machine_destroy(m);
    return d1 ^ (d2 * 3);
}

static void test_digest(void **s)
{
    (void)s;
    assert_int_equal(digest_of(10, 'a'), digest_of(10, 'a'));
    assert_int_not_equal(digest_of(10, 'a'), digest_of(11, 'a'));
    assert_int_not_equal(digest_of(10, 'a'), digest_of(10, 'b'));
}

/* ---- Exit semantics (issue 14) ----------------------------------------------- */

/* VHE (KVM_RUN loop): a guest MMIO read trapped to EL2, KVM's world switch
 * with TGE=0 (EL2 part), the host kernel with TGE=1, the exit handed to
 * QEMU at host EL0, QEMU's KVM_RUN system call, the host kernel, the world
 * switch and the ERET that re-enters the guest. The round trip is every
 * cycle from the trap to that ERET; the user-space part is QEMU's. */
static void test_vhe_exit_in_host_user(void **s)
{
    (void)s;
    Sink sk;
    a83_machine *m = machine_with_sink(1, &sk);
    CPUState *c = m->cpu[0];
    set_guest(c, 1, 0x80000000, VHE_GUEST_HCR);
    c->cycles = 1000;
    eret_to(c, 1);                       /* first entry: ends no exit */
    c->cycles = 5000;
    take_to_el2(c, A83_VEC_SYNC, ESR_DABT, 0);
    c->cycles += 100;                    /* world switch, TGE=0 */
    set_hcr(c, VHE_HOST_HCR);
    c->cycles += 200;                    /* host kernel: kvm_handle_guest_exit */
    eret_to(c, 0);                       /* KVM_RUN returns to QEMU */
    c->cycles += 3000;                   /* QEMU emulates the PL011 read */
    take_to_el2(c, A83_VEC_SYNC, ESR_SVC, 0);   /* ioctl(KVM_RUN) */
    c->cycles += 150;
    set_hcr(c, VHE_GUEST_HCR);
    c->cycles += 50;
    eret_to(c, 1);
    assert_int_equal(sk.n, 5);
    const a83_exit_record *e = &sk.r[1], *svc = &sk.r[3], *ret = &sk.r[4];
    assert_int_equal(e->kind, A83_EXIT_ENTRY);
    assert_int_equal(e->level, 1);
    assert_int_equal(svc->level, 0);     /* host EL0 under TGE: not a guest */
    assert_int_equal(sk.r[2].entry_seq, A83_EXIT_NO_SEQ);   /* the ERET to QEMU ends nothing */
    assert_int_equal(ret->entry_seq, e->seq);
    assert_int_equal(ret->spent, 3500);
    assert_int_equal(ret->part[A83_PART_EL2], 150);
    assert_int_equal(ret->part[A83_PART_HOST_KERNEL], 350);
    assert_int_equal(ret->part[A83_PART_HOST_USER], 3000);
    assert_int_equal(ret->part[A83_PART_OTHER], 0);
    assert_int_equal(ret->part[A83_PART_IDLE], 0);
    assert_int_equal(parts_sum(ret), ret->spent);
    a83_machine_destroy(m);
}

/* nVHE: the host kernel at EL1 (HCR_EL2 without IMO/FMO) calls
 * __kvm_vcpu_run (HVC #0, x0 = 0xC6000000 | 12 in Linux 6.1): a host call,
 * level 0. The guest's hypercall exits to EL2, the hypervisor returns to
 * the host kernel (ending __kvm_vcpu_run), which handles it at EL1 and
 * calls __kvm_vcpu_run again; the guest's exit ends at the ERET into it. */
static void test_nvhe_host_calls(void **s)
{
    (void)s;
    Sink sk;
    a83_machine *m = machine_with_sink(1, &sk);
    CPUState *c = m->cpu[0];
    const uint64_t vcpu_run = 0xC6000000u | 12;
    set_hcr(c, NVHE_HOST_HCR);
    c->el = 1;
    trace_mode_sync(c);
    c->cycles = 1000;
    take_to_el2(c, A83_VEC_SYNC, ESR_HVC, vcpu_run);          /* r0 */
    c->cycles += 300;
    set_guest(c, 3, 0x80000001, GUEST_HCR);
    eret_to(c, 1);                                             /* r1: into the guest */
    c->cycles += 700;                                          /* the guest runs */
    take_to_el2(c, A83_VEC_SYNC, ESR_HVC, 0x84000000);         /* r2: guest HVC */
    c->cycles += 400;
    set_hcr(c, NVHE_HOST_HCR);
    eret_to(c, 1);                                             /* r3: back to the host */
    c->cycles += 2000;                                         /* host kernel handles it */
    take_to_el2(c, A83_VEC_SYNC, ESR_HVC, vcpu_run);           /* r4 */
    c->cycles += 300;
    set_hcr(c, GUEST_HCR);
    eret_to(c, 1);                                             /* r5 */
    assert_int_equal(sk.n, 6);
    assert_int_equal(sk.r[0].level, 0);
    assert_int_equal(sk.r[0].x0, vcpu_run);
    assert_int_equal(sk.r[1].level, 1);
    assert_int_equal(sk.r[1].entry_seq, A83_EXIT_NO_SEQ);
    assert_int_equal(sk.r[2].level, 1);
    /* r3 ends the host call __kvm_vcpu_run (guest time included: other). */
    assert_int_equal(sk.r[3].level, 0);
    assert_int_equal(sk.r[3].entry_seq, sk.r[0].seq);
    assert_int_equal(sk.r[3].spent, 1400);
    assert_int_equal(sk.r[3].part[A83_PART_EL2], 700);
    assert_int_equal(sk.r[3].part[A83_PART_OTHER], 700);
    assert_int_equal(sk.r[4].level, 0);
    /* r5 ends the guest's exit: 400 at EL2, 2000 in the host kernel, 300 at EL2. */
    assert_int_equal(sk.r[5].entry_seq, sk.r[2].seq);
    assert_int_equal(sk.r[5].spent, 2700);
    assert_int_equal(sk.r[5].part[A83_PART_EL2], 700);
    assert_int_equal(sk.r[5].part[A83_PART_HOST_KERNEL], 2000);
    assert_int_equal(sk.r[5].part[A83_PART_HOST_USER], 0);
    assert_int_equal(parts_sum(&sk.r[5]), 2700);
    /* With the v1 rule (TGE only) the host kernel's HVCs would be guest exits. */
    a83_machine_destroy(m);
    m = machine_with_sink(1, &sk);
    assert_int_equal(a83_exit_trace_set_host_rule(m, A83_HOST_RULE_TGE), A83_OK);
    assert_int_equal(a83_exit_trace_set_host_rule(m, (a83_exit_host_rule)7), A83_ERR_ARG);
    c = m->cpu[0];
    set_hcr(c, NVHE_HOST_HCR);
    c->el = 1;
    take_to_el2(c, A83_VEC_SYNC, ESR_HVC, vcpu_run);
    assert_int_equal(sk.r[0].level, 1);
    a83_machine_destroy(m);
}

/* A vCPU that exits on CPU 0 and is re-entered on CPU 1: the exit ends on
 * CPU 1, its round trip runs from the entry's cycle (CPU 0) to the ERET's
 * (CPU 1), and its parts, taken on CPU 1, still add up to it. */
static void test_vcpu_migration(void **s)
{
    (void)s;
    Sink sk;
    a83_machine *m = machine_with_sink(2, &sk);
    CPUState *c0 = m->cpu[0], *c1 = m->cpu[1];
    set_guest(c0, 5, 0x80000002, GUEST_HCR);
    c0->el = 1;
    trace_mode_sync(c0);
    c0->cycles = 10000;
    c1->cycles = 9800;
    take_to_el2(c0, A83_VEC_SYNC, ESR_HVC, 0);      /* r0 on CPU 0 */
    c0->cycles += 500;
    set_hcr(c0, NVHE_HOST_HCR);
    eret_to(c0, 1);                                  /* r1: host on CPU 0 */
    c1->cycles += 1200;                              /* CPU 1 in its host kernel (EL2 here) */
    set_guest(c1, 5, 0x80000002, GUEST_HCR);
    c1->cycles += 100;
    eret_to(c1, 1);                                  /* r2: CPU 1 re-enters the vCPU */
    assert_int_equal(sk.n, 3);
    assert_int_equal(sk.r[1].entry_seq, A83_EXIT_NO_SEQ);
    const a83_exit_record *ret = &sk.r[2];
    assert_int_equal(ret->cpu, 1);
    assert_int_equal(ret->entry_cpu, 0);
    assert_int_equal(ret->entry_seq, sk.r[0].seq);
    assert_int_equal(ret->spent, 11100 - 10000);
    assert_int_equal(parts_sum(ret), ret->spent);
    /* CPU 1 spent 1300 cycles at EL2 since the exit (its clock read 9800
     * then): 200 more than the round trip, taken from "other" first, then
     * idle, host user, host kernel and EL2. */
    assert_int_equal(ret->part[A83_PART_EL2], 1100);
    a83_machine_destroy(m);
}

/* Two guests interleaved on one CPU: guest A (VMID 1) exits, the
 * hypervisor runs guest B (VMID 2) for 400 cycles, B exits, the CPU idles
 * in WFI for 1000 cycles, then A is re-entered: B's time lands in "other",
 * the WFI in "idle", and B's exit is still open. */
static void test_two_guests_one_cpu(void **s)
{
    (void)s;
    Sink sk;
    a83_machine *m = machine_with_sink(1, &sk);
    CPUState *c = m->cpu[0];
    set_guest(c, 1, 0x80000000, GUEST_HCR);
    c->el = 1;
    trace_mode_sync(c);
    c->cycles = 100;
    take_to_el2(c, A83_VEC_IRQ, 0, 0);            /* r0: A exits */
    c->cycles += 60;
    set_guest(c, 2, 0x80000000, GUEST_HCR);
    eret_to(c, 1);                                /* r1: into B */
    c->cycles += 400;
    take_to_el2(c, A83_VEC_SYNC, ESR_HVC, 0);     /* r2: B exits */
    c->cycles += 40;
    c->halted = true;                             /* WFI at EL2 */
    trace_mode_sync(c);
    c->cycles += 1000;
    c->halted = false;
    trace_mode_sync(c);
    c->cycles += 20;
    set_guest(c, 1, 0x80000000, GUEST_HCR);
    eret_to(c, 1);                                /* r3: A again */
    assert_int_equal(sk.n, 4);
    assert_int_equal(sk.r[1].entry_seq, A83_EXIT_NO_SEQ);   /* B had no open exit */
    const a83_exit_record *ret = &sk.r[3];
    assert_int_equal(ret->entry_seq, sk.r[0].seq);
    assert_int_equal(ret->vmid, 1);
    assert_int_equal(ret->spent, 1520);
    assert_int_equal(ret->part[A83_PART_OTHER], 400);
    assert_int_equal(ret->part[A83_PART_IDLE], 1000);
    assert_int_equal(ret->part[A83_PART_EL2], 120);
    assert_int_equal(parts_sum(ret), 1520);
    a83_machine_destroy(m);
}

/* Two vCPUs of one VM (same VMID) on two CPUs, each with VMPIDR_EL2 equal
 * to its CPU's MPIDR (Xen's dom0 on 2 CPUs): two contexts, each exit
 * ended by its own vCPU's re-entry. */
static void test_vcpus_of_one_vm(void **s)
{
    (void)s;
    Sink sk;
    a83_machine *m = machine_with_sink(2, &sk);
    CPUState *c0 = m->cpu[0], *c1 = m->cpu[1];
    assert_int_not_equal(c0->mpidr, c1->mpidr);
    set_guest(c0, 1, c0->mpidr, GUEST_HCR);
    set_guest(c1, 1, c1->mpidr, GUEST_HCR);
    c0->el = c1->el = 1;
    c0->cycles = c1->cycles = 1000;
    take_to_el2(c0, A83_VEC_SYNC, ESR_HVC, 0);   /* r0: vCPU 0 */
    take_to_el2(c1, A83_VEC_SYNC, ESR_HVC, 0);   /* r1: vCPU 1 */
    c0->cycles += 100;
    eret_to(c0, 1);                              /* r2 */
    c1->cycles += 300;
    eret_to(c1, 1);                              /* r3 */
    assert_int_equal(sk.n, 4);
    assert_int_equal(sk.r[0].vmpidr, c0->mpidr);
    assert_int_equal(sk.r[2].entry_seq, sk.r[0].seq);
    assert_int_equal(sk.r[2].spent, 100);
    assert_int_equal(sk.r[3].entry_seq, sk.r[1].seq);
    assert_int_equal(sk.r[3].spent, 300);
    a83_machine_destroy(m);
}

/* lr_pending: the private vINTIDs the list registers hold pending at an
 * ERET into a guest context (GICv3 spec 12.4.8 ICH_LR<n>_EL2: State 0b01
 * pending and 0b11 pending and active count, 0b10 active does not; vINTIDs
 * 32 and above are not recorded); 0 on returns to the host and on entries;
 * kept by the file encoding (bytes 156..159). */
static void test_lr_pending(void **s)
{
    (void)s;
    Sink sk;
    a83_machine *m = machine_with_sink(1, &sk);
    CPUState *c = m->cpu[0];
    GICCpu *gc = &m->gic->cpu[0];
    set_guest(c, 3, 0x80000000, GUEST_HCR);
    c->el = 1;
    trace_mode_sync(c);
    c->cycles = 100;
    take_to_el2(c, A83_VEC_SYNC, ESR_HVC, 0);             /* r0 */
    gc->lr[0] = ICH_LR_PENDING | ICH_LR_GROUP | 31;                      /* pending */
    gc->lr[1] = ICH_LR_PENDING | ICH_LR_ACTIVE | ICH_LR_GROUP | 27;     /* pending and active */
    gc->lr[2] = ICH_LR_ACTIVE | ICH_LR_GROUP | 1;                        /* active only */
    gc->lr[3] = ICH_LR_PENDING | ICH_LR_GROUP | 40;                      /* an SPI */
    c->cycles += 50;
    eret_to(c, 1);                                        /* r1: into the guest */
    take_to_el2(c, A83_VEC_SYNC, ESR_HVC, 0);             /* r2 */
    set_hcr(c, NVHE_HOST_HCR);
    eret_to(c, 1);                                        /* r3: into a host context */
    assert_int_equal(sk.n, 4);
    assert_int_equal(sk.r[0].lr_pending, 0);
    assert_int_equal(sk.r[1].lr_pending, (1u << 31) | (1u << 27));
    assert_int_equal(sk.r[2].lr_pending, 0);
    assert_int_equal(sk.r[3].level, 0);
    assert_int_equal(sk.r[3].lr_pending, 0);
    uint8_t buf[A83_EXIT_RECORD_SIZE];
    a83_exit_record back;
    a83_exit_record_encode(&sk.r[1], buf);
    a83_exit_record_decode(buf, &back);
    assert_int_equal(back.lr_pending, (1u << 31) | (1u << 27));
    assert_int_equal(buf[159], 0x88);   /* little-endian u32 at 156: bits 31 and 27 */
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_plain),
        cmocka_unit_test(test_roundtrip_zstd),
        cmocka_unit_test(test_bad_file),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_digest),
        cmocka_unit_test(test_vhe_exit_in_host_user),
        cmocka_unit_test(test_nvhe_host_calls),
        cmocka_unit_test(test_vcpu_migration),
        cmocka_unit_test(test_two_guests_one_cpu),
        cmocka_unit_test(test_vcpus_of_one_vm),
        cmocka_unit_test(test_lr_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
