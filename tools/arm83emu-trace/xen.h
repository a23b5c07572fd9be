/* Xen naming for arm83emu-trace (xen.c): hypercalls with their sub-operation
 * and the domain of each exit (docs/xen.md, "The trace per domain"). */
#ifndef A83_TRACE_XEN_H
#define A83_TRACE_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arm83emu/trace.h"

/** The name of Xen hypercall nr (xen/include/public/xen.h __HYPERVISOR_*), or NULL. */
const char *xen_hypercall_name(uint64_t nr);

/**
 * The name of the sub-operation of hypercall nr whose first argument (x0) is
 * cmd ("send" for event_channel_op 4, "block" for sched_op 1, ...), from the
 * public headers of Xen 4.17 (sched.h, event_channel.h, grant_table.h,
 * memory.h, vcpu.h, version.h, hvm/hvm_op.h); NULL when the hypercall has
 * none that x0 names (its x0 is a pointer, e.g. domctl) or cmd is unknown.
 */
const char *xen_subop_name(uint64_t nr, uint64_t cmd);

/** Turns Xen mode on (--xen): sub-operations in causes, domain views. */
void xen_mode_set(bool on);
/** Back to the state before any option or record (xen.c: the mode, the
 *  --xen-domid overrides, the per-CPU runs; xen_io.c: the upcalls and
 *  --xen-dom0-ppi). For tests/fuzz/fuzz_trace.c, which runs the analysis
 *  many times in one process; the command runs it once. */
void xen_reset(void);
void xen_io_reset(void);
/** Whether Xen mode is on. */
bool xen_mode(void);

/**
 * Records that VTTBR_EL2.VMID vmid is domain domid (--xen-domid VMID=DOMID),
 * overriding the default rule. arg is "VMID=DOMID", both decimal, VMID 1..65535,
 * DOMID 0..32751 (DOMID_FIRST_RESERVED - 1). Returns false (nothing recorded)
 * when arg is malformed or out of range, or 64 overrides were given already.
 */
bool xen_domid_override(const char *arg);

/**
 * The domain of an exit for the per-domain views, written to buf (n bytes):
 * "Xen" for an exception Xen takes at EL2 itself (level 0: no guest
 * context), otherwise "dom0" or "dN" for the domain whose VMID the exit
 * carries. Default rule (docs/xen.md): Xen 4.17 on Arm gives each domain the
 * lowest free VMID other than 0 when it creates the domain (p2m_alloc_vmid)
 * and frees it when the domain is destroyed, and dom0 is the first domain it
 * creates; the toolstack's domains get domid 1, 2, ... in creation order. So
 * while no domain has been destroyed before the last one was created, VMID v
 * is domid v - 1. --xen-domid overrides the rule per VMID.
 */
void xen_domain_name(const a83_exit_record *r, unsigned level, char *buf, size_t n);

/**
 * In Xen mode, for an exit of a domain other than dom0: the region of Xen's
 * guest memory map (arch-arm.h GUEST_*: "vGICD", "vGICR", "vpl011", "RAM",
 * ...) holding IPA ipa, its base written to *base. NULL when Xen mode is off
 * or the exit is dom0's or has VMID 0 (their map is the board's).
 */
const char *xen_guest_region(const a83_exit_record *r, uint64_t ipa, uint64_t *base);

/**
 * Feeds one record, in file order, to the per-CPU record of which guest
 * context ran when (Xen mode only): a return into a guest context (level
 * >= 1, to_el < 2) starts a run of its VMID on that CPU, the CPU's next
 * exception from below EL2 ends it. Returns false when out of memory
 * (nothing recorded).
 */
bool xen_runs_feed(const a83_exit_record *r);

/**
 * Cycles in [t0, t1) during which dom0 (the VMID the rule maps to domid 0)
 * ran on CPU cpu, from the runs xen_runs_feed() recorded: the part of an
 * exit's `other` time that was dom0's (docs/xen.md, "Waiting for dom0").
 */
uint64_t xen_dom0_time(uint32_t cpu, uint64_t t0, uint64_t t1);

/**
 * The domain id of VMID vmid by the rule above (--xen-domid overrides), or
 * -1 for VMID 0 (Xen's INVALID_VMID, no domain).
 */
int xen_domid(uint16_t vmid);

/**
 * Whether entry record r is Xen's event_channel_op EVTCHNOP_send: HVC
 * #0xEA1 (ESR_EL2.EC 0x16, ISS imm16) with x16 = 32 and x0 = 4.
 */
bool xen_is_evtchn_send(const a83_exit_record *r);

/**
 * Cycles in [t0, t1) during which at least one vCPU of dom0 ran on some
 * CPU (the union of xen_runs_feed()'s dom0 runs over the CPUs; CPU clocks
 * are taken as one time base). Returns 0 when t1 <= t0 or out of memory.
 */
uint64_t xen_dom0_time_any(uint64_t t0, uint64_t t1);

/* ---- I/O requests followed through dom0 (xen_io.c) ---------------------- */

/** Xen's event-channel upcall of a domU: GUEST_EVTCHN_PPI (arch-arm.h),
 *  the PPI Xen injects when a vCPU has events pending. */
#define XEN_EVTCHN_PPI 31
/** dom0's upcall PPI by default: Xen allocates it at boot (evtchn_allocate:
 *  the first free PPI, printed as "Allocating PPI 16 for event channel
 *  interrupt" on arm83emu's virt board). */
#define XEN_DOM0_EVTCHN_PPI 16

/**
 * Sets dom0's upcall PPI (--xen-dom0-ppi N, from Xen's boot message
 * "Allocating PPI N for event channel interrupt"). arg is decimal, 16..31.
 * Returns false (nothing set) when it is not.
 */
bool xen_dom0_ppi_set(const char *arg);

/**
 * Feeds one record, in file order (Xen mode): remembers each return into
 * a guest context whose lr_pending has its domain's upcall PPI (dom0's,
 * XEN_DOM0_EVTCHN_PPI unless xen_dom0_ppi_set(); a domU's XEN_EVTCHN_PPI):
 * the context finds Xen's event-channel upcall pending. Call after the
 * --xen-domid overrides are set. Returns false when out of memory.
 */
bool xen_io_feed(const a83_exit_record *r);

/**
 * Prints the table "I/O requests of guest domains followed through dom0"
 * (docs/xen.md, "Following an I/O request through dom0") from exits[]
 * (exits.h), the upcalls xen_io_feed() kept and the runs of
 * xen_runs_feed(): per domU and path, the requests, how many were followed
 * to the end, their mean latency and its parts in Xen, in dom0 and
 * waiting. At most top rows (0: all).
 */
void xen_io_report(unsigned top);

#endif
