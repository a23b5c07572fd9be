/*
 * a83vmm: the project's minimal KVM VMM for the nested stack (docs/nested.md,
 * "A non-VHE guest hypervisor"). It runs inside L0 (Linux with
 * kvm-arm.mode=nested) and boots L1 Linux at virtual EL2, like L0's QEMU does,
 * but can ask KVM for a guest hypervisor with HCR_EL2.E2H RES0
 * (KVM_ARM_VCPU_HAS_EL2_E2H0), which QEMU 11.1 cannot: L1 then runs its KVM
 * in nVHE mode, the NEVE paper's "non-VHE guest hypervisor".
 *
 * Machine (the layout of QEMU's virt board, so that L1's own QEMU and the
 * kernel see what they know): one vCPU, an in-kernel vGICv3 (distributor at
 * 0x08000000, redistributor at 0x080A0000, maintenance interrupt PPI 9 =
 * INTID 25), the in-kernel architected timer and PSCI (SMC conduit: a vEL2
 * guest's HVC goes to itself), a PL011 at 0x09000000 (SPI 1) emulated here on
 * KVM_EXIT_MMIO (transmit only: output goes to stdout; the receive FIFO is
 * always empty), RAM at 0x40000000. The device tree is generated at start.
 *
 * usage: a83vmm [--e2h0] [-m MiB] -kernel IMAGE -initrd INITRD -append CMDLINE
 * Exit status: 0 when the guest powered off (PSCI SYSTEM_OFF), 1 on a
 * reset request or an error (the message names the failing ioctl and errno),
 * 2 on bad arguments. Single-threaded; no host time is read.
 *
 * UAPI values not in the cross headers of Debian bookworm (Linux 6.1) are
 * defined below with the kernel version that added them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kvm.h>
#include "vmm_dtb.h"

#ifndef KVM_ARM_VCPU_HAS_EL2
#define KVM_ARM_VCPU_HAS_EL2 7 /* vCPU starts at EL2 (nested virtualization), Linux 6.9 UAPI */
#endif
#ifndef KVM_ARM_VCPU_HAS_EL2_E2H0
#define KVM_ARM_VCPU_HAS_EL2_E2H0 8 /* with HAS_EL2: HCR_EL2.E2H is RES0, Linux 6.16 UAPI */
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ
#define KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ 9 /* vGICv3 maintenance interrupt INTID, Linux 6.9 UAPI */
#endif

/* PL011 register offsets and bits (PrimeCell UART (PL011) TRM). */
enum {
    UARTDR = 0x000, UARTFR = 0x018, UARTIBRD = 0x024, UARTFBRD = 0x028, UARTLCR_H = 0x02c,
    UARTCR = 0x030, UARTIFLS = 0x034, UARTIMSC = 0x038, UARTRIS = 0x03c, UARTMIS = 0x040,
    UARTICR = 0x044, UARTDMACR = 0x048, UARTPERIPHID0 = 0xfe0,
};
#define UARTFR_RXFE (1u << 4)
#define UARTFR_TXFE (1u << 7)
#define UART_INT_TX (1u << 5)
/* UARTPeriphID0..3 and UARTPCellID0..3 (0xfe0..0xffc): PL011 r1p5. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static int vmfd, vcpufd;

static void die(const char *what)
{
    fprintf(stderr, "a83vmm: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void xioctl(int fd, unsigned long req, void *arg, const char *what)
{
    if (ioctl(fd, req, arg) < 0)
        die(what);
}

/* ---- the PL011 ---------------------------------------------------------- */
static struct {
    uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, dmacr;
    int line; /* the level last given to KVM */
    char out[256];
    size_t nout;
} uart = { .cr = 0x300, .ifls = 0x12 };

static void uart_flush(void)
{
    size_t done = 0;
    while (done < uart.nout) {
        ssize_t w = write(1, uart.out + done, uart.nout - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    uart.nout = 0;
}

/* The transmit FIFO drains at once, so its interrupt (UARTTXINTR) is always
 * raised; the receive FIFO is always empty. */
static uint32_t uart_ris(void)
{
    return UART_INT_TX;
}

static void uart_update_irq(void)
{
    int level = (uart_ris() & uart.imsc) != 0;
    if (level == uart.line)
        return;
    struct kvm_irq_level irq = {
        .irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32 + UART_SPI),
        .level = (uint32_t)level,
    };
    xioctl(vmfd, KVM_IRQ_LINE, &irq, "KVM_IRQ_LINE (PL011)");
    uart.line = level;
}

static uint32_t uart_read(uint32_t off)
{
    switch (off) {
    case UARTDR: return 0;
    case UARTFR: return UARTFR_TXFE | UARTFR_RXFE;
    case UARTIBRD: return uart.ibrd;
    case UARTFBRD: return uart.fbrd;
    case UARTLCR_H: return uart.lcr_h;
    case UARTCR: return uart.cr;
    case UARTIFLS: return uart.ifls;
    case UARTIMSC: return uart.imsc;
    case UARTRIS: return uart_ris();
    case UARTMIS: return uart_ris() & uart.imsc;
    case UARTDMACR: return uart.dmacr;
    default:
        if (off >= UARTPERIPHID0 && off < UART_SIZE)
            return pl011_id[(off - UARTPERIPHID0) / 4];
        return 0;
    }
}

static void uart_write(uint32_t off, uint32_t v)
{
    switch (off) {
    case UARTDR:
        uart.out[uart.nout++] = (char)v;
        if ((char)v == '\n' || uart.nout == sizeof uart.out)
            uart_flush();
        break;
    case UARTIBRD: uart.ibrd = v & 0xffff; break;
    case UARTFBRD: uart.fbrd = v & 0x3f; break;
    case UARTLCR_H: uart.lcr_h = v & 0xff; break;
    case UARTCR: uart.cr = v & 0xffff; break;
    case UARTIFLS: uart.ifls = v & 0x3f; break;
    case UARTIMSC: uart.imsc = v & 0x7ff; break;
    case UARTDMACR: uart.dmacr = v & 7; break;
    default: break; /* UARTICR: no interrupt to clear that would not be raised again at once */
    }
    uart_update_irq();
}

/* ---- loading ------------------------------------------------------------- */
static size_t load_file(const char *path, uint8_t *dst, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die(path);
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            fprintf(stderr, "a83vmm: %s does not fit in guest memory\n", path);
            exit(1);
        }
        ssize_t r = read(fd, dst + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            die(path);
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    return n;
}

static void set_reg(uint64_t id, uint64_t v, const char *what)
{
    struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&v };
    xioctl(vcpufd, KVM_SET_ONE_REG, &reg, what);
}

#define CORE_REG(field) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(field))

static void gic_attr(int fd, uint32_t group, uint64_t attr, void *addr, const char *what)
{
    struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)addr };
    xioctl(fd, KVM_SET_DEVICE_ATTR, &a, what);
}

static void usage(void)
{
    fprintf(stderr, "usage: a83vmm [--e2h0] [-m MiB] -kernel IMAGE -initrd INITRD -append CMDLINE\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *kernel = NULL, *initrd = NULL, *cmdline = "";
    unsigned long mib = 1024;
    int e2h0 = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--e2h0")) {
            e2h0 = 1;
        } else if (i + 1 < argc && !strcmp(argv[i], "-m")) {
            char *end;
            mib = strtoul(argv[++i], &end, 10);
            if (*end || mib < 256 || mib > 16384)
                usage();
        } else if (i + 1 < argc && !strcmp(argv[i], "-kernel")) {
            kernel = argv[++i];
        } else if (i + 1 < argc && !strcmp(argv[i], "-initrd")) {
            initrd = argv[++i];
        } else if (i + 1 < argc && !strcmp(argv[i], "-append")) {
            cmdline = argv[++i];
        } else {
            usage();
        }
    }
    if (!kernel || !initrd)
        usage();
    uint64_t ram_size = (uint64_t)mib << 20;

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        die("/dev/kvm");
    if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
        fprintf(stderr, "a83vmm: KVM API version is not %d\n", KVM_API_VERSION);
        return 1;
    }
    vmfd = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vmfd < 0)
        die("KVM_CREATE_VM");

    uint8_t *ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ram == MAP_FAILED)
        die("mmap guest memory");
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = RAM_BASE, .memory_size = ram_size, .userspace_addr = (uint64_t)(uintptr_t)ram,
    };
    xioctl(vmfd, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

    /* the vCPU: at EL2, PSCI 0.2+, E2H RES0 on request */
    vcpufd = ioctl(vmfd, KVM_CREATE_VCPU, 0);
    if (vcpufd < 0)
        die("KVM_CREATE_VCPU");
    struct kvm_vcpu_init init;
    memset(&init, 0, sizeof init);
    xioctl(vmfd, KVM_ARM_PREFERRED_TARGET, &init, "KVM_ARM_PREFERRED_TARGET");
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    init.features[0] |= 1u << KVM_ARM_VCPU_HAS_EL2;
    if (e2h0)
        init.features[0] |= 1u << KVM_ARM_VCPU_HAS_EL2_E2H0;
    xioctl(vcpufd, KVM_ARM_VCPU_INIT, &init,
           e2h0 ? "KVM_ARM_VCPU_INIT (HAS_EL2 + HAS_EL2_E2H0)" : "KVM_ARM_VCPU_INIT (HAS_EL2)");

    /* the vGICv3, after the vCPU and before its first run */
    struct kvm_create_device gicdev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
    xioctl(vmfd, KVM_CREATE_DEVICE, &gicdev, "KVM_CREATE_DEVICE (vGICv3)");
    uint64_t dist = GICD_BASE, redist = GICR_BASE;
    uint32_t nr_irqs = 64 + 32, maint = 16 + MAINT_PPI;
    gic_attr(gicdev.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist, "vGIC distributor address");
    gic_attr(gicdev.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist,
             "vGIC redistributor address");
    gic_attr(gicdev.fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs, "vGIC number of interrupts");
    gic_attr(gicdev.fd, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ, 0, &maint, "vGIC maintenance interrupt");
    gic_attr(gicdev.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, "vGIC init");

    /* Image (arm64 boot protocol: text_offset at 8, image_size at 16), initrd, DTB */
    uint64_t kaddr = RAM_BASE + KERNEL_OFFSET;
    size_t klen = load_file(kernel, ram + KERNEL_OFFSET, DTB_OFFSET - KERNEL_OFFSET);
    uint64_t text_offset, image_size;
    memcpy(&text_offset, ram + KERNEL_OFFSET + 8, 8);
    memcpy(&image_size, ram + KERNEL_OFFSET + 16, 8);
    if (klen < 64 || memcmp(ram + KERNEL_OFFSET + 56, "ARM\x64", 4)) {
        fprintf(stderr, "a83vmm: %s is not an arm64 Image\n", kernel);
        return 1;
    }
    if (text_offset) {
        memmove(ram + KERNEL_OFFSET + text_offset, ram + KERNEL_OFFSET, klen);
        kaddr += text_offset;
    }
    if (KERNEL_OFFSET + text_offset + image_size > DTB_OFFSET) {
        fprintf(stderr, "a83vmm: the kernel's image_size overlaps the device tree\n");
        return 1;
    }
    if (ram_size <= INITRD_OFFSET) {
        fprintf(stderr, "a83vmm: -m must be above %llu MiB\n", INITRD_OFFSET >> 20);
        return 2;
    }
    size_t ilen = load_file(initrd, ram + INITRD_OFFSET, ram_size - INITRD_OFFSET);
    if (!vmm_build_dtb(ram + DTB_OFFSET, INITRD_OFFSET - DTB_OFFSET, ram_size, cmdline, RAM_BASE + INITRD_OFFSET,
                       ilen)) {
        fprintf(stderr, "a83vmm: the device tree does not fit (command line too long?)\n");
        return 2;
    }
    set_reg(CORE_REG(regs.pc), kaddr, "KVM_SET_ONE_REG (PC)");
    set_reg(CORE_REG(regs.regs[0]), RAM_BASE + DTB_OFFSET, "KVM_SET_ONE_REG (X0)");

    int mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size < (int)sizeof(struct kvm_run))
        die("KVM_GET_VCPU_MMAP_SIZE");
    struct kvm_run *run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpufd, 0);
    if (run == MAP_FAILED)
        die("mmap kvm_run");
    fprintf(stderr, "a83vmm: L1 at EL2%s, %lu MiB, Image %zu bytes, initrd %zu bytes\n",
            e2h0 ? " with E2H RES0 (KVM_ARM_VCPU_HAS_EL2_E2H0)" : "", mib, klen, ilen);

    for (;;) {
        if (ioctl(vcpufd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            uart_flush();
            die("KVM_RUN");
        }
        switch (run->exit_reason) {
        case KVM_EXIT_MMIO: {
            uint64_t a = run->mmio.phys_addr;
            uint32_t v = 0;
            if (a >= UART_BASE && a < UART_BASE + UART_SIZE) {
                uint32_t off = (uint32_t)(a - UART_BASE) & ~3u;
                if (run->mmio.is_write) {
                    memcpy(&v, run->mmio.data, run->mmio.len < 4 ? run->mmio.len : 4);
                    uart_write(off, v);
                } else {
                    v = uart_read(off);
                }
            }
            /* other addresses: reads as zero, writes ignored */
            if (!run->mmio.is_write) {
                memset(run->mmio.data, 0, sizeof run->mmio.data);
                memcpy(run->mmio.data, &v, run->mmio.len < 4 ? run->mmio.len : 4);
            }
            break;
        }
        case KVM_EXIT_SYSTEM_EVENT:
            uart_flush();
            if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN) {
                fprintf(stderr, "a83vmm: guest powered off\n");
                return 0;
            }
            fprintf(stderr, "a83vmm: guest system event %u (not a power-off)\n", run->system_event.type);
            return 1;
        case KVM_EXIT_INTR:
            break;
        default:
            uart_flush();
            fprintf(stderr, "a83vmm: unexpected KVM exit reason %u\n", run->exit_reason);
            return 1;
        }
    }
}
