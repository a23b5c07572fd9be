/*
 * exitbench: the project's exit microbenchmark (docs/exitbench.md).
 *
 * A bare-metal AArch64 guest for QEMU's virt board under KVM
 * (-M virt,gic-version=3 -enable-kvm -cpu host -smp 2), run inside the
 * emulated Linux host. It measures, with the virtual counter CNTVCT_EL0
 * (Arm ARM D11.2), the cost of the operations that make a KVM guest exit,
 * and prints one machine-readable line per measurement:
 *
 *   exitbench: NAME n=N ticks=TOTAL mean_ticks=M.MMM [min_ticks= max_ticks=] cntfrq=F
 *
 * then powers off with PSCI SYSTEM_OFF (DEN0022D 5.10). Every measurement
 * runs WARMUP iterations first that are not counted. The same image runs on
 * arm83emu's own board (-M virt, EL1, HVC conduit), which is how the fast
 * test checks it without a host kernel.
 *
 * Built with -DEXITBENCH_XEN it is a Xen domU instead (docs/xen.md,
 * "The microbenchmark in a domU"): Xen's guest memory map
 * (xen/include/public/arch-arm.h GUEST_*), output on the emulated SBSA UART
 * Xen gives a domU with vuart="sbsa_uart" (emulated by Xen itself, read by
 * xenconsoled), and Xen's own operations measured besides the same ones:
 * xen_version (the null hypercall), event_channel_op send on an unbound port
 * (no delivery) and on an IPI event channel bound to vCPU 1 (the send and
 * its delivery to vCPU 1's upcall handler, Xen's counterpart of the SGI IPI).
 */
#include <stdint.h>

#ifdef EXITBENCH_XEN
#define UART_BASE 0x22000000ul        /* GUEST_PL011_BASE: Xen's vpl011 (SBSA UART) */
#define GICD_BASE 0x03001000ul        /* GUEST_GICV3_GICD_BASE */
#define GICR_BASE(cpu) (0x03020000ul + 0x20000ul * (cpu))   /* GUEST_GICV3_GICR0_BASE */
#else
#define UART_BASE 0x09000000ul
#endif
#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)
#ifndef EXITBENCH_XEN
#define GICD_BASE 0x08000000ul
#endif
#define GICD_CTLR 0x0000
#define GICD_IIDR 0x0008
#define GICD_CTLR_ENABLE_GRP0 (1u << 0)
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
/* QEMU virt: one 128 KiB redistributor (RD_base + SGI_base frames) per CPU */
#ifndef EXITBENCH_XEN
#define GICR_BASE(cpu) (0x080A0000ul + 0x20000ul * (cpu))
#endif
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000ul
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100

/* GICv3 CPU interface registers by encoding (GICv3 spec 12.2) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SRE_SRE (1u << 0)
#define ICC_SGI1R_INTID_SHIFT 24      /* INTID [27:24], TargetList [15:0], Aff1 [23:16] = 0 */
#define INTID_SPURIOUS 1020

#define SGI_EOI 0                     /* SGI to self acknowledged for the EOI measurement */
#define SGI_IPI 1                     /* SGI from vCPU 0 to vCPU 1 */
#define PPI_VTIMER 27                 /* EL1 virtual timer (Arm BSA / QEMU virt) */
#ifdef EXITBENCH_XEN
#define PPI_XEN_EVTCHN 31             /* GUEST_EVTCHN_PPI: Xen's event-channel upcall */
#define PRIV_IRQS ((1u << SGI_EOI) | (1u << SGI_IPI) | (1u << PPI_VTIMER) | (1u << PPI_XEN_EVTCHN))
#else
#define PRIV_IRQS ((1u << SGI_EOI) | (1u << SGI_IPI) | (1u << PPI_VTIMER))
#endif
#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)

/* SMCCC / PSCI function IDs (DEN0028, DEN0022D) */
#define SMCCC_VERSION 0x80000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_64 0xC4000003u
#define PSCI_SYSTEM_OFF 0x84000008u

#ifdef EXITBENCH_XEN
/* Xen's hypercalls (xen/include/public/xen.h, version.h, event_channel.h) */
#define HYPERVISOR_memory_op 12
#define HYPERVISOR_xen_version 17
#define HYPERVISOR_vcpu_op 24
#define HYPERVISOR_event_channel_op 32
#define XENVER_version 0
#define XENMEM_add_to_physmap 7
#define XENMAPSPACE_shared_info 0
#define VCPUOP_register_vcpu_info 10
#define EVTCHNOP_send 4
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_ipi 7
#define EVTCHNOP_unmask 9
#define XEN_PAGE_SHIFT 12
#define DOMID_SELF 0x7FF0u
#define DOMID_0 0u
uint64_t xen_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3);
#endif

/* Iteration counts (kept small: the run happens inside an emulated host) */
#define N_HVC 4096
#define N_MMIO 1024
#define N_EOI 256
#define N_IPI 256
#define N_TIMER 16
#define WARMUP 64
#define WARMUP_TIMER 2
#define TIMER_PERIOD_DIV 100          /* 10 ms = CNTFRQ / 100 ticks */

#define RSR(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define WSR(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")
#define READ_SYSREG(r) RSR(r)
#define WRITE_SYSREG(r, v) WSR(r, v)

uint64_t smccc_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
extern char secondary_entry[];

static inline void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void irq_on(void) { __asm__ volatile("msr daifclr, #2\n isb" ::: "memory"); }
static inline void irq_off(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }
static inline unsigned cpu_index(void) { return READ_SYSREG(MPIDR_EL1) & 0xff; }

/* CNTVCT_EL0 after every earlier instruction (the ISB keeps the read from
 * being taken early, Arm ARM D11.2.2). */
static inline uint64_t now(void)
{
    uint64_t t;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t)::"memory");
    return t;
}

/* ---- console (PL011 at 0x09000000; every access is an MMIO exit to the VMM) ---- */
static void putc_(char c)
{
    while (r32(UART_BASE + UARTFR) & UARTFR_TXFF)
        ;
    w32(UART_BASE + UARTDR, (uint32_t)(unsigned char)c);
}
static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}
static void putdec(uint64_t v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        putc_(buf[--n]);
}
static void puthex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 15]);
}

static uint64_t cntfrq;
static int failures;

static void fail(const char *what, uint64_t v)
{
    failures++;
    puts_("exitbench: FAIL ");
    puts_(what);
    puts_(" ");
    puthex(v);
    putc_('\n');
}

static void putsdec(int64_t v)
{
    if (v < 0) {
        putc_('-');
        putdec((uint64_t)0 - (uint64_t)v);
    } else {
        putdec((uint64_t)v);
    }
}

/* One result line; the mean with three decimals (integer arithmetic,
 * truncated toward zero). Values are signed: a latency measured across two
 * vCPUs is negative when their virtual counters disagree. */
static void report(const char *name, uint64_t n, int64_t ticks, int minmax, int64_t mn, int64_t mx)
{
    int64_t milli = n ? ticks * 1000 / (int64_t)n : 0;
    uint64_t m = milli < 0 ? (uint64_t)0 - (uint64_t)milli : (uint64_t)milli;
    puts_("exitbench: ");
    puts_(name);
    puts_(" n=");
    putdec(n);
    puts_(" ticks=");
    putsdec(ticks);
    puts_(" mean_ticks=");
    if (milli < 0)
        putc_('-');
    putdec(m / 1000);
    putc_('.');
    putc_((char)('0' + m / 100 % 10));
    putc_((char)('0' + m / 10 % 10));
    putc_((char)('0' + m % 10));
    if (minmax) {
        puts_(" min_ticks=");
        putsdec(mn);
        puts_(" max_ticks=");
        putsdec(mx);
    }
    puts_(" cntfrq=");
    putdec(cntfrq);
    putc_('\n');
}

/* Per-iteration statistics */
struct stat {
    uint64_t n;
    int64_t sum, min, max;
};
static void stat_add(struct stat *s, int64_t v)
{
    if (s->n == 0 || v < s->min)
        s->min = v;
    if (v > s->max)
        s->max = v;
    s->sum += v;
    s->n++;
}

/* ---- GICv3 (GICv3 spec 12.9 GICD_CTLR, 9.6 redistributor wake-up) ---- */
static void gic_cpu_init(unsigned cpu)
{
    uint64_t rd = GICR_BASE(cpu);
    w32(rd + GICR_WAKER, r32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
    for (uint64_t t0 = now(); r32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP;)
        if (now() - t0 > cntfrq) {
            fail("GICR_WAKER.ChildrenAsleep stays 1", r32(rd + GICR_WAKER));
            break;
        }
    w32(rd + GICR_SGI_BASE + GICR_IGROUPR0, ~0u);            /* SGIs/PPIs in Group 1 */
    w32(rd + GICR_SGI_BASE + GICR_ISENABLER0, PRIV_IRQS);
    WSR(ICC_SRE_EL1, RSR(ICC_SRE_EL1) | ICC_SRE_SRE);
    __asm__ volatile("isb");
    WSR(ICC_PMR_EL1, 0xff);
    WSR(ICC_IGRPEN1_EL1, 1);
    __asm__ volatile("isb");
}

static void send_sgi(unsigned intid, unsigned target_aff0)
{
    WSR(ICC_SGI1R_EL1, ((uint64_t)intid << ICC_SGI1R_INTID_SHIFT) | (1ul << target_aff0));
}

/* ---- state shared with the IRQ handler and vCPU 1 ---- */
static volatile uint32_t eoi_done;
static struct stat eoi_stat;
static volatile uint32_t ipi_seq;
static volatile uint64_t ipi_recv_t;
static volatile uint32_t cpu1_up, cpu1_stop;
static volatile uint32_t timer_done;
static volatile uint64_t timer_cval;
static struct stat timer_stat;
static int counting;

#ifdef EXITBENCH_XEN
/* The 2-level event-channel ABI's shared memory (xen/include/public/xen.h,
 * arch-arm.h: xen_ulong_t is 64-bit, struct arch_vcpu_info is empty, and a
 * domain on Arm has XEN_LEGACY_MAX_VCPUS = 1 vcpu_info in shared_info, so
 * vCPU 1 registers its own with VCPUOP_register_vcpu_info). */
struct xen_vcpu_info {
    uint8_t evtchn_upcall_pending, evtchn_upcall_mask;
    uint64_t evtchn_pending_sel;
    uint8_t time[32];                 /* struct vcpu_time_info */
};
struct xen_shared_info {
    struct xen_vcpu_info vcpu_info[1];
    uint64_t evtchn_pending[64];
    uint64_t evtchn_mask[64];
};
/* Pages of this image's RAM that Xen maps its shared_info over
 * (XENMEM_add_to_physmap) and that hold vCPU 1's vcpu_info. */
static uint8_t shinfo_page[4096] __attribute__((aligned(4096)));
static uint8_t vcpu1_info_page[4096] __attribute__((aligned(4096)));
#define SHINFO ((volatile struct xen_shared_info *)shinfo_page)
#define VCPU1_INFO ((volatile struct xen_vcpu_info *)vcpu1_info_page)
static uint32_t evtchn_ipi_port;      /* bound to vCPU 1 (EVTCHNOP_bind_ipi) */
static volatile uint32_t evtchn_seq;
static volatile uint64_t evtchn_recv_t;

/* vCPU 1's upcall: the 2-level ABI's acknowledgement (clear the upcall
 * flag, the selector, the port's pending bit), so that Xen notifies the
 * next send again: Xen injects PPI 31 only when evtchn_upcall_pending goes
 * from 0 to 1, sets it only when the selector bit and the port's pending
 * bit were clear. */
static void evtchn_upcall(uint64_t t)
{
    VCPU1_INFO->evtchn_upcall_pending = 0;
    __asm__ volatile("dmb sy" ::: "memory");
    VCPU1_INFO->evtchn_pending_sel = 0;
    SHINFO->evtchn_pending[evtchn_ipi_port / 64] &= ~(1ull << (evtchn_ipi_port % 64));
    evtchn_recv_t = t;
    __asm__ volatile("dmb sy" ::: "memory");
    evtchn_seq = evtchn_seq + 1;
}
#endif

void irq_entry(void);
void irq_entry(void)
{
    uint64_t t = now();
    unsigned id = RSR(ICC_IAR1_EL1) & 0xffffff;
    if (id >= INTID_SPURIOUS)
        return;
    if (id == SGI_EOI) {
        /* The measured operation: the EOI of an acknowledged SGI. */
        uint64_t t0 = now();
        WSR(ICC_EOIR1_EL1, id);
        uint64_t t1 = now();
        if (counting)
            stat_add(&eoi_stat, (int64_t)(t1 - t0));
        eoi_done = 1;
        return;
    }
    if (id == SGI_IPI) {
        ipi_recv_t = t;
        __asm__ volatile("dmb sy" ::: "memory");
        ipi_seq = ipi_seq + 1;
    } else if (id == PPI_VTIMER) {
        WSR(CNTV_CTL_EL0, CNTV_CTL_IMASK);                   /* disarm: level drops */
        if (counting)
            stat_add(&timer_stat, (int64_t)(t - timer_cval));
        timer_done = 1;
#ifdef EXITBENCH_XEN
    } else if (id == PPI_XEN_EVTCHN) {
        evtchn_upcall(t);
#endif
    } else {
        fail("unexpected INTID", id);
    }
    WSR(ICC_EOIR1_EL1, id);
    __asm__ volatile("isb");
}

void bad_exception(void);
void bad_exception(void)
{
    fail("unexpected exception, ESR_EL1", RSR(ESR_EL1));
    fail("ELR_EL1", RSR(ELR_EL1));
    smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

/* Waits (masked-WFI idiom: a pending masked IRQ still ends WFI, Arm ARM
 * D1.16.2) until *flag is set or a second of virtual time passed. */
static int wait_flag_wfi(volatile uint32_t *flag)
{
    uint64_t t0 = now();
    for (;;) {
        irq_off();
        if (*flag)
            break;
        if (now() - t0 > cntfrq) {
            irq_on();
            return 0;
        }
        __asm__ volatile("wfi" ::: "memory");
        irq_on();
    }
    irq_on();
    return 1;
}

/* vCPU 1: takes the IPIs, spinning with IRQs unmasked (no WFI, so the
 * latency is delivery to a running vCPU), until told to stop. */
void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
#ifdef EXITBENCH_XEN
    /* Registering a vcpu_info marks everything pending and injects the
     * upcall, which Xen drops for a vCPU that is down: the flags it left
     * would stop every later injection (Xen raises the upcall only when
     * evtchn_upcall_pending goes from 0 to 1), so clear them. */
    VCPU1_INFO->evtchn_upcall_pending = 0;
    VCPU1_INFO->evtchn_pending_sel = 0;
#endif
    gic_cpu_init((unsigned)cpu);
    irq_on();
    cpu1_up = 1;
    while (!cpu1_stop)
        ;
    irq_off();
    smccc_hvc(PSCI_CPU_OFF, 0, 0, 0);
}

static void bench_hvc(void)
{
    uint64_t v = 0;
    for (int i = 0; i < WARMUP; i++)
        v = smccc_hvc(SMCCC_VERSION, 0, 0, 0);
    if ((uint32_t)v < 0x10000u || (v >> 31))
        fail("SMCCC_VERSION", v);
    uint64_t t0 = now();
    for (int i = 0; i < N_HVC; i++)
        smccc_hvc(SMCCC_VERSION, 0, 0, 0);
    uint64_t t1 = now();
    report("hvc", N_HVC, (int64_t)(t1 - t0), 0, 0, 0);
}

#ifdef EXITBENCH_XEN
/* The null hypercall: xen_version(XENVER_version), which every domain may
 * make and Xen answers from a constant (Dall et al., ISCA 2016, measured
 * the same call). */
static void bench_xen_version(void)
{
    uint64_t v = 0;
    for (int i = 0; i < WARMUP; i++)
        v = xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0);
    if (v >> 16 != 4)
        fail("xen_version is not 4.x", v);
    uint64_t t0 = now();
    for (int i = 0; i < N_HVC; i++)
        xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0);
    uint64_t t1 = now();
    report("xen_version", N_HVC, (int64_t)(t1 - t0), 0, 0, 0);
}

/* event_channel_op send on a port of this domain allocated unbound for
 * dom0 (EVTCHNOP_alloc_unbound): Xen looks the port up and, since nobody
 * is bound at the other end, drops the event. The hypercall's path without
 * a delivery. The argument structures are passed by address (the MMU is off:
 * the VA is the IPA). */
static struct { uint16_t dom, remote_dom; uint32_t port; } alloc_unbound;
static struct { uint32_t port; } evtchn_send;
static void bench_evtchn_send(void)
{
    alloc_unbound.dom = DOMID_SELF;
    alloc_unbound.remote_dom = DOMID_0;
    uint64_t r = xen_hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, (uint64_t)&alloc_unbound, 0);
    if (r != 0 || alloc_unbound.port == 0) {
        fail("EVTCHNOP_alloc_unbound", r);
        return;
    }
    evtchn_send.port = alloc_unbound.port;
    for (int i = 0; i < WARMUP; i++)
        r = xen_hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_send, (uint64_t)&evtchn_send, 0);
    if (r != 0)
        fail("EVTCHNOP_send", r);
    uint64_t t0 = now();
    for (int i = 0; i < N_HVC; i++)
        xen_hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_send, (uint64_t)&evtchn_send, 0);
    uint64_t t1 = now();
    report("evtchn_send", N_HVC, (int64_t)(t1 - t0), 0, 0, 0);
}

/* An event channel whose other end is really notified: an IPI channel
 * (EVTCHNOP_bind_ipi) bound to vCPU 1, Xen's inter-vCPU notification and
 * the counterpart of the SGI that bench_ipi() sends (docs/xen.md, "The
 * microbenchmark in a domU"). Before vCPU 1 is up (Xen registers another
 * vCPU's vcpu_info only while it is down): shared_info mapped, vCPU 1's
 * vcpu_info registered, the port bound and unmasked. Returns 0 on success. */
static struct { uint16_t domid, size; uint32_t space; uint64_t idx, gpfn; } add_to_physmap;
static struct { uint64_t mfn; uint32_t offset, rsvd; } register_vcpu_info;
static struct { uint32_t vcpu, port; } bind_ipi;
static struct { uint32_t port; } evtchn_unmask;
static int evtchn_ipi_setup(void)
{
    add_to_physmap.domid = DOMID_SELF;
    add_to_physmap.space = XENMAPSPACE_shared_info;
    add_to_physmap.idx = 0;
    add_to_physmap.gpfn = (uint64_t)shinfo_page >> XEN_PAGE_SHIFT;
    uint64_t r = xen_hypercall(HYPERVISOR_memory_op, XENMEM_add_to_physmap, (uint64_t)&add_to_physmap, 0);
    if (r != 0) {
        fail("XENMEM_add_to_physmap shared_info", r);
        return -1;
    }
    register_vcpu_info.mfn = (uint64_t)vcpu1_info_page >> XEN_PAGE_SHIFT;
    register_vcpu_info.offset = 0;
    r = xen_hypercall(HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, (uint64_t)&register_vcpu_info);
    if (r != 0) {
        fail("VCPUOP_register_vcpu_info vCPU 1", r);
        return -1;
    }
    bind_ipi.vcpu = 1;
    r = xen_hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, (uint64_t)&bind_ipi, 0);
    if (r != 0 || bind_ipi.port == 0 || bind_ipi.port >= 64 * 64) {
        fail("EVTCHNOP_bind_ipi", r);
        return -1;
    }
    evtchn_ipi_port = bind_ipi.port;
    evtchn_unmask.port = bind_ipi.port;
    r = xen_hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_unmask, (uint64_t)&evtchn_unmask, 0);
    if (r != 0) {
        fail("EVTCHNOP_unmask", r);
        return -1;
    }
    return 0;
}

/* Sends on the IPI channel from vCPU 0 and waits for vCPU 1's upcall:
 * evtchn_ipi_send is the hypercall as vCPU 0 sees it, evtchn_ipi_latency
 * from before the send to vCPU 1's handler (both counters are the domain's
 * virtual counter), as ipi_send/ipi_latency for the SGI. */
static void bench_evtchn_ipi(void)
{
    struct stat send = {0}, lat = {0};
    evtchn_send.port = evtchn_ipi_port;
    for (int i = 0; i < WARMUP + N_IPI; i++) {
        uint32_t seq = evtchn_seq;
        uint64_t t0 = now();
        uint64_t r = xen_hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_send, (uint64_t)&evtchn_send, 0);
        uint64_t t1 = now();
        if (r != 0) {
            fail("EVTCHNOP_send on the IPI channel", r);
            return;
        }
        while (evtchn_seq == seq)
            if (now() - t0 > cntfrq) {
                fail("event-channel upcall not taken by vCPU 1, iteration", (uint64_t)i);
                return;
            }
        if (i >= WARMUP) {
            stat_add(&send, (int64_t)(t1 - t0));
            stat_add(&lat, (int64_t)(evtchn_recv_t - t0));
        }
    }
    report("evtchn_ipi_send", send.n, send.sum, 1, send.min, send.max);
    report("evtchn_ipi_latency", lat.n, lat.sum, 1, lat.min, lat.max);
}
#endif

static void bench_mmio(const char *name, uint64_t addr)
{
    uint32_t x = 0;
    for (int i = 0; i < WARMUP; i++)
        x ^= r32(addr);
    uint64_t t0 = now();
    for (int i = 0; i < N_MMIO; i++)
        x ^= r32(addr);
    uint64_t t1 = now();
    (void)x;
    report(name, N_MMIO, (int64_t)(t1 - t0), 0, 0, 0);
}

/* The cost of the measurement itself: two counter reads, as the EOI and
 * IPI-send measurements take them. */
static void bench_overhead(void)
{
    struct stat s = {0};
    for (int i = 0; i < N_MMIO; i++) {
        uint64_t t0 = now();
        uint64_t t1 = now();
        stat_add(&s, (int64_t)(t1 - t0));
    }
    report("overhead", s.n, s.sum, 1, s.min, s.max);
}

/* EOI of an acknowledged SGI to self; also measures the SGI-to-self send
 * (with IRQs masked, so the interrupt is taken after the second counter read):
 * it is a write of ICC_SGI1R_EL1 like the IPI, and the trace's exits for that
 * register are both kinds. */
static void bench_eoi(void)
{
    struct stat send = {0};
    for (int i = 0; i < WARMUP + N_EOI; i++) {
        counting = i >= WARMUP;
        eoi_done = 0;
        irq_off();
        uint64_t t0 = now();
        send_sgi(SGI_EOI, 0);
        uint64_t t1 = now();
        irq_on();
        if (counting)
            stat_add(&send, (int64_t)(t1 - t0));
        if (!wait_flag_wfi(&eoi_done)) {
            fail("SGI to self not taken, iteration", (uint64_t)i);
            return;
        }
    }
    counting = 0;
    report("sgi_self_send", send.n, send.sum, 1, send.min, send.max);
    report("eoi", eoi_stat.n, eoi_stat.sum, 1, eoi_stat.min, eoi_stat.max);
}

static void bench_ipi(void)
{
#ifdef EXITBENCH_XEN
    int evtchn_ok = evtchn_ipi_setup() == 0;
#endif
    uint64_t r = smccc_hvc(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 1);
    if (r != 0) {
        fail("PSCI CPU_ON of vCPU 1", r);
        return;
    }
    for (uint64_t t0 = now(); !cpu1_up;)
        if (now() - t0 > cntfrq) {
            fail("vCPU 1 did not come up", 0);
            return;
        }
    struct stat send = {0}, lat = {0};
    for (int i = 0; i < WARMUP + N_IPI; i++) {
        uint32_t seq = ipi_seq;
        uint64_t t0 = now();
        send_sgi(SGI_IPI, 1);
        uint64_t t1 = now();
        while (ipi_seq == seq)
            if (now() - t0 > cntfrq) {
                fail("IPI not taken by vCPU 1, iteration", (uint64_t)i);
                cpu1_stop = 1;
                return;
            }
        if (i >= WARMUP) {
            stat_add(&send, (int64_t)(t1 - t0));
            stat_add(&lat, (int64_t)(ipi_recv_t - t0));
        }
    }
#ifdef EXITBENCH_XEN
    /* before the report lines: their console output wakes dom0's
     * xenconsoled, which would preempt the measured vCPUs */
    if (evtchn_ok)
        bench_evtchn_ipi();
#endif
    cpu1_stop = 1;
    report("ipi_send", send.n, send.sum, 1, send.min, send.max);
    report("ipi_latency", lat.n, lat.sum, 1, lat.min, lat.max);
}

static void bench_timer(void)
{
    for (int i = 0; i < WARMUP_TIMER + N_TIMER; i++) {
        counting = i >= WARMUP_TIMER;
        timer_done = 0;
        timer_cval = now() + cntfrq / TIMER_PERIOD_DIV;
        WSR(CNTV_CVAL_EL0, timer_cval);
        WSR(CNTV_CTL_EL0, CNTV_CTL_ENABLE);
        __asm__ volatile("isb");
        uint64_t t0 = now();
        int ok = 0;
        for (;;) {
            irq_off();
            if (timer_done) {
                ok = 1;
                break;
            }
            if (now() - t0 > cntfrq)
                break;
            __asm__ volatile("wfi" ::: "memory");
            irq_on();
        }
        irq_on();
        if (!ok) {
            fail("virtual timer interrupt not taken, iteration", (uint64_t)i);
            WSR(CNTV_CTL_EL0, 0);
            return;
        }
    }
    counting = 0;
    report("vtimer_latency", timer_stat.n, timer_stat.sum, 1, timer_stat.min, timer_stat.max);
}

int main(void);
int main(void)
{
    cntfrq = RSR(CNTFRQ_EL0) & 0xffffffffu;
    puts_("exitbench: start cntfrq=");
    putdec(cntfrq);
    puts_(" midr=");
    puthex(RSR(MIDR_EL1));
    putc_('\n');
    if (cntfrq == 0) {
        fail("CNTFRQ_EL0 is 0", 0);
        cntfrq = 1;
    }
    w32(GICD_BASE + GICD_CTLR, GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
    gic_cpu_init(0);
    irq_on();

    bench_overhead();
    bench_hvc();
#ifdef EXITBENCH_XEN
    bench_xen_version();
    bench_evtchn_send();
    /* Xen emulates the domU's UART itself (vpl011): no user-space device model */
    bench_mmio("mmio_vuart", UART_BASE + UARTFR);
#else
    bench_mmio("mmio_user", UART_BASE + UARTFR);
#endif
    bench_mmio("mmio_vgic", GICD_BASE + GICD_IIDR);
    bench_eoi();
    bench_ipi();
    bench_timer();

    puts_("exitbench: done status=");
    putdec(failures ? 1 : 0);
    putc_('\n');
    smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
    return 0;
}
