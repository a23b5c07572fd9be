/*
 * Writes a synthetic exit trace of a Xen machine with three domains, for
 * the test of arm83emu-trace --xen (tests/xen/trace_domains.sh): Xen's
 * hypercalls (HVC #0xEA1, number in x16, first argument in x0: Xen's
 * public arch-arm.h) from VTTBR_EL2.VMID 1, 2 and 3, and one IRQ Xen takes
 * in EL2 itself:
 *   VMID 1: 2 x event_channel_op (32) EVTCHNOP_send (4), 100 cycles each
 *   VMID 2: 1 x grant_table_op (20) GNTTABOP_copy (5), 300 cycles;
 *           1 x memory_op (12) XENMEM_populate_physmap (6) with extent
 *           start 5 in the bits above MEMOP_CMD_MASK, 400 cycles
 *   VMID 3: 3 x sched_op (29) SCHEDOP_block (1), 1000 cycles each;
 *           1 x xen_version (17) XENVER_version (0), 50 cycles;
 *           1 x hypercall 99 (no name), 60 cycles
 *   EL2:    1 x IRQ INTID-less exception from EL2 to EL2 (level 0)
 * and 32-bit reads (stage-2 data aborts, 30 cycles) of IPA 0x03001008 from
 * VMID 3 (a domU: Xen's vGICD, GICD_IIDR) and of 0x08000008 from VMID 1
 * (dom0: the board's GIC distributor). Last, a domU exit that waits for
 * dom0: VMID 2 traps WFI, Xen (50 cycles) enters dom0 (VMID 1), which runs
 * 400 cycles and makes an event_channel_op send that never returns; Xen
 * (60 cycles) re-enters VMID 2: the WFI's round trip is 510 cycles, 400 of
 * them `other`, all dom0's.
 *
 * With a second file name it also writes the I/O trace of
 * tests/xen/trace_io.sh (2 CPUs, cycles per CPU): I/O requests followed
 * through dom0 (docs/xen.md, "Following an I/O request through dom0"),
 * with the event-channel upcall pending in a list register on the returns
 * that notify a domain (dom0's PPI 16 as Xen allocates it on the virt
 * board, a domU's GUEST_EVTCHN_PPI 31):
 *   d1 (VMID 2, CPU 0) sends at 1000, Xen 200, back in d1 at 1200;
 *   dom0 (VMID 1, CPU 1), in a WFI exit since 500, is entered at 1300 with
 *   the upcall pending, runs 1000 and sends at 2300 (Xen 150, back at 2450);
 *   d1 takes an IRQ exit at 2500 and is entered at 2600 with the upcall:
 *   request 1600 cycles: to dom0 300, dom0's segment 1000, back 300;
 *   Xen 200 + 150, dom0 1000, waiting 250.
 *   d2 (VMID 3, CPU 0) sends at 3000 (Xen 100); its other vCPU (CPU 1)
 *   takes an IRQ exit at 3300 and is entered at 3400 with the upcall:
 *   delivered in the same domain, 400 cycles: Xen 100, waiting 300.
 *   d2 sends at 4000 and 4200 (Xen 100 each) and no upcall follows: two
 *   requests not followed.
 */
#include "arm83emu/trace.h"
#include "core/machine.h"
#include "gic/gic_internal.h"
#include "trace/trace.h"

/* HCR_EL2.{RW,IMO,FMO,VM}: a Xen guest's configuration, so the default host
 * rule makes its exits guest exits (level 1). */
#define GUEST_HCR ((1ull << 31) | (1ull << 4) | (1ull << 3) | (1ull << 0))
#define ESR_EC_HVC64 (0x16ull << 26)
#define ESR_IL (1ull << 25)
#define XEN_HVC_IMM 0xEA1
#define VTTBR_VMID_SHIFT 48

/* A 32-bit read (ISV=1, SAS=2, WnR=0) of IPA ipa that faults at stage 2
 * (Arm ARM D17.2.37 ISS encoding for a data abort; HPFAR_EL2.FIPA). */
static void dabt_read(CPUState *c, unsigned vmid, uint64_t ipa)
{
    c->sr[SR_VTTBR_EL2] = (uint64_t)vmid << VTTBR_VMID_SHIFT;
    c->sr[SR_ESR_EL2] = (0x24ull << 26) | ESR_IL | (1u << 24) | (2u << 22) | 0x7;
    c->sr[SR_FAR_EL2] = ipa;
    c->sr[SR_HPFAR_EL2] = (ipa >> 12) << 4;
    c->el = 2;
    trace_exception_entry(c, 1, 2, A83_VEC_SYNC, c->cycles);
    c->cycles += 30;
    c->el = 1;
    trace_exception_return(c, 2, 1, 0x40080004);
    c->cycles += 10;
}

static void hypercall(CPUState *c, unsigned vmid, uint64_t nr, uint64_t x0, uint64_t spent)
{
    c->sr[SR_VTTBR_EL2] = (uint64_t)vmid << VTTBR_VMID_SHIFT;
    c->x[16] = nr;
    c->x[0] = x0;
    c->sr[SR_ESR_EL2] = ESR_EC_HVC64 | ESR_IL | XEN_HVC_IMM;
    c->sr[SR_ELR_EL2] = 0x40080000;
    c->el = 2;
    trace_exception_entry(c, 1, 2, A83_VEC_SYNC, c->cycles);
    c->cycles += spent;
    c->el = 1;
    trace_exception_return(c, 2, 1, 0x40080004);
    c->cycles += 10;
}

/* Entry of an exception from EL1 of VMID vmid on CPU c at cycle `at`:
 * HVC xen:event_channel_op send (esr 0) or an IRQ (esr 1) or WFI (esr 2). */
enum { IO_SEND, IO_IRQ, IO_WFI };
static void io_entry(CPUState *c, unsigned vmid, uint64_t at, int kind)
{
    c->cycles = at;
    c->sr[SR_VTTBR_EL2] = (uint64_t)vmid << VTTBR_VMID_SHIFT;
    c->x[16] = 32;
    c->x[0] = 4;
    c->sr[SR_ESR_EL2] = kind == IO_SEND ? ESR_EC_HVC64 | ESR_IL | XEN_HVC_IMM
                      : kind == IO_WFI  ? (0x01ull << 26) | ESR_IL
                                        : 0;
    c->el = 2;
    trace_exception_entry(c, 1, 2, kind == IO_IRQ ? A83_VEC_IRQ : A83_VEC_SYNC, c->cycles);
}

/* ERET into VMID vmid on CPU c at cycle `at`, with the event-channel
 * upcall (Group 1; vINTID 16 for dom0, VMID 1, else 31) pending in list
 * register 0 when upcall. */
static void io_return(CPUState *c, unsigned vmid, uint64_t at, bool upcall)
{
    GIC *g = c->m->gic;
    c->cycles = at;
    c->sr[SR_VTTBR_EL2] = (uint64_t)vmid << VTTBR_VMID_SHIFT;
    g->cpu[c->index].lr[0] = upcall ? ICH_LR_PENDING | ICH_LR_GROUP | (vmid == 1 ? 16 : 31) : 0;
    c->el = 1;
    trace_exception_return(c, 2, 1, 0x40080004);
    g->cpu[c->index].lr[0] = 0;   /* the guest acknowledges it */
}

/* A machine with EL2 and ncpus CPUs, tracing exits to path; NULL on error. */
static a83_machine *traced_machine(const char *path, unsigned ncpus)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    cfg.ncpus = ncpus;
    a83_machine *m;
    if (a83_machine_create(&cfg, &m))
        return NULL;
    if (a83_exit_trace_open(m, path)) {
        a83_machine_destroy(m);
        return NULL;
    }
    return m;
}

static int write_io_trace(const char *path)
{
    a83_machine *m = traced_machine(path, 2);
    if (!m)
        return 1;
    CPUState *c0 = m->cpu[0], *c1 = m->cpu[1];
    for (unsigned i = 0; i < 2; i++) {
        m->cpu[i]->sr[SR_HCR_EL2] = GUEST_HCR;
        m->cpu[i]->el = 1;
    }
    io_entry(c1, 1, 500, IO_WFI);          /* dom0 idles */
    io_entry(c0, 2, 1000, IO_SEND);        /* d1's request */
    io_return(c0, 2, 1200, false);
    io_return(c1, 1, 1300, true);          /* dom0 notified */
    io_entry(c1, 1, 2300, IO_SEND);        /* dom0's reply */
    io_return(c1, 1, 2450, false);
    io_entry(c0, 2, 2500, IO_IRQ);
    io_return(c0, 2, 2600, true);          /* d1 notified */
    io_entry(c0, 3, 3000, IO_SEND);        /* d2's event to its other vCPU */
    io_return(c0, 3, 3100, false);
    io_entry(c1, 3, 3300, IO_IRQ);
    io_return(c1, 3, 3400, true);
    io_entry(c0, 3, 4000, IO_SEND);        /* two sends nobody is notified of */
    io_return(c0, 3, 4100, false);
    io_entry(c0, 3, 4200, IO_SEND);
    io_return(c0, 3, 4300, false);
    if (a83_exit_trace_close(m))
        return 1;
    a83_machine_destroy(m);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3)
        return 2;
    if (argc == 3 && write_io_trace(argv[2]))
        return 1;
    a83_machine *m = traced_machine(argv[1], 1);
    if (!m)
        return 1;
    CPUState *c = m->cpu[0];
    c->sr[SR_HCR_EL2] = GUEST_HCR;
    c->el = 1;
    for (int i = 0; i < 2; i++)
        hypercall(c, 1, 32, 4, 100);
    hypercall(c, 2, 20, 5, 300);
    hypercall(c, 2, 12, (5u << 6) | 6, 400);
    for (int i = 0; i < 3; i++)
        hypercall(c, 3, 29, 1, 1000);
    hypercall(c, 3, 17, 0, 50);
    hypercall(c, 3, 99, 0, 60);
    dabt_read(c, 3, 0x03001008);
    dabt_read(c, 1, 0x08000008);
    /* Xen's own interrupt, taken while it runs at EL2 */
    c->el = 2;
    c->sr[SR_ESR_EL2] = 0;
    trace_exception_entry(c, 2, 2, A83_VEC_IRQ, c->cycles);
    c->cycles += 20;
    trace_exception_return(c, 2, 2, 0x40000000);
    /* a domU exit that waits for dom0 */
    c->el = 1;
    c->cycles += 100;
    c->sr[SR_VTTBR_EL2] = 2ull << VTTBR_VMID_SHIFT;
    c->sr[SR_ESR_EL2] = (0x01ull << 26) | ESR_IL;   /* WFI (EC 0x01, TI = 0) */
    c->el = 2;
    trace_exception_entry(c, 1, 2, A83_VEC_SYNC, c->cycles);
    c->cycles += 50;
    c->sr[SR_VTTBR_EL2] = 1ull << VTTBR_VMID_SHIFT;
    c->el = 1;
    trace_exception_return(c, 2, 1, 0x50000000);
    c->cycles += 400;
    c->x[16] = 32;
    c->x[0] = 4;
    c->sr[SR_ESR_EL2] = ESR_EC_HVC64 | ESR_IL | XEN_HVC_IMM;
    c->el = 2;
    trace_exception_entry(c, 1, 2, A83_VEC_SYNC, c->cycles);
    c->cycles += 60;
    c->sr[SR_VTTBR_EL2] = 2ull << VTTBR_VMID_SHIFT;
    c->el = 1;
    trace_exception_return(c, 2, 1, 0x40080004);
    c->cycles += 10;
    if (a83_exit_trace_close(m))
        return 1;
    a83_machine_destroy(m);
    return 0;
}
