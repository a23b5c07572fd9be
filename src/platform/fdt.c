/*
 * The virt board's device tree (Devicetree Specification v0.4; bindings
 * from the Linux kernel's Documentation/devicetree/bindings), built with
 * libfdt's sequential-write API. It describes exactly the board: CPUs,
 * RAM, GICv3 with its ITS, the architected timer, PMU, PL011, PL031, PSCI and /chosen
 * (docs/board.md lists every node and property).
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/modules.h"
#include "dev/virtio.h"
#include "platform/guest_loader.h"
#include "platform/platform_int.h"

#define FDT_BUF_SIZE      0x10000
#define PHANDLE_GIC       1
#define PHANDLE_APB_PCLK  2
#define PHANDLE_ITS       3
#define APB_PCLK_HZ       24000000u

/* GIC interrupt specifier, arm,gic-v3 binding: <type number flags> */
#define GIC_FDT_SPI        0
#define GIC_FDT_PPI        1
#define GIC_FDT_LEVEL_HIGH 4
#define GIC_FDT_EDGE_RISING 1

/* Convenience: a property of big-endian 32-bit cells. */
static int prop_cells(void *fdt, const char *name, const uint32_t *cells, int n)
{
    fdt32_t be[16];
    for (int i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(cells[i]);
    return fdt_property(fdt, name, be, n * (int)sizeof(fdt32_t));
}

/* reg = <addr-hi addr-lo size-hi size-lo> ... for #address-cells = #size-cells = 2 */
static int prop_reg2(void *fdt, const uint64_t *pairs, int npairs)
{
    uint32_t c[16];
    for (int i = 0; i < npairs * 2; i++) {
        c[2 * i] = (uint32_t)(pairs[i] >> 32);
        c[2 * i + 1] = (uint32_t)pairs[i];
    }
    return prop_cells(fdt, "reg", c, npairs * 4);
}

/* A string-list property from NUL-separated literal text (len includes the
 * final NUL). */
#define PROP_STRLIST(fdt, name, lit) fdt_property(fdt, name, lit, (int)sizeof(lit))

static int begin_node_at(void *fdt, const char *prefix, uint64_t addr)
{
    char name[64];
    snprintf(name, sizeof name, "%s@%llx", prefix, (unsigned long long)addr);
    return fdt_begin_node(fdt, name);
}

/* Builds the tree into buf; returns a libfdt error (negative) or 0. */
static int build(Machine *m, void *fdt, int bufsize)
{
    Platform *p = m->plat;
    bool el2 = (m->feat & FEATBIT(FEAT_EL2)) != 0;
    int r = 0;
#define T(x) do { if ((r = (x)) < 0) return r; } while (0)
    T(fdt_create(fdt, bufsize));
    T(fdt_finish_reservemap(fdt));
    T(fdt_begin_node(fdt, ""));
    T(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
    T(fdt_property_string(fdt, "model", "arm83emu virt"));
    T(fdt_property_cell(fdt, "#address-cells", 2));
    T(fdt_property_cell(fdt, "#size-cells", 2));
    T(fdt_property_cell(fdt, "interrupt-parent", PHANDLE_GIC));

    /* /chosen (Devicetree spec 3.6; linux,initrd-* from the Linux chosen binding) */
    T(fdt_begin_node(fdt, "chosen"));
    if (p->bootargs)
        T(fdt_property_string(fdt, "bootargs", p->bootargs));
    {
        char path[64];
        snprintf(path, sizeof path, "/pl011@%llx", (unsigned long long)VIRT_UART_BASE);
        for (unsigned i = 0; i < p->nhost_dt; i++)   /* a83_dtb_add_device(.console) */
            if (p->host_dt[i].console)
                snprintf(path, sizeof path, "/%s@%llx", p->host_dt[i].name,
                         (unsigned long long)p->host_dt[i].base);
        T(fdt_property_string(fdt, "stdout-path", path));
    }
    if (p->initrd_loaded) {
        T(fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start));
        T(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_end));
    }
    T(guest_loader_fdt_chosen(m, fdt));   /* hypervisor boot modules, if any */
    T(fdt_end_node(fdt));

    /* /memory (spec 3.4) */
    T(begin_node_at(fdt, "memory", m->ram.base));
    T(fdt_property_string(fdt, "device_type", "memory"));
    {
        uint64_t reg[2] = { m->ram.base, m->ram.size };
        T(prop_reg2(fdt, reg, 1));
    }
    T(fdt_end_node(fdt));

    /* /cpus (spec 3.7, arm/cpus.yaml): reg = MPIDR_EL1 Aff2..Aff0 */
    T(fdt_begin_node(fdt, "cpus"));
    T(fdt_property_cell(fdt, "#address-cells", 1));
    T(fdt_property_cell(fdt, "#size-cells", 0));
    for (unsigned i = 0; i < m->ncpus; i++) {
        uint32_t aff = (uint32_t)(m->cpu[i]->mpidr & 0xFFFFFF);
        T(begin_node_at(fdt, "cpu", aff));
        T(fdt_property_string(fdt, "device_type", "cpu"));
        T(fdt_property_string(fdt, "compatible", "arm,cortex-a72"));
        T(fdt_property_cell(fdt, "reg", aff));
        T(fdt_property_string(fdt, "enable-method", "psci"));
        T(fdt_end_node(fdt));
    }
    T(fdt_end_node(fdt));

    /* /psci (arm/psci.yaml). The 0.1 function-ID properties serve the
     * "arm,psci" fallback compatible. */
    T(fdt_begin_node(fdt, "psci"));
    T(PROP_STRLIST(fdt, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci"));
    T(fdt_property_string(fdt, "method", el2 ? "smc" : "hvc"));
    T(fdt_property_cell(fdt, "cpu_suspend", 0xC4000001u));
    T(fdt_property_cell(fdt, "cpu_off", 0x84000002u));
    T(fdt_property_cell(fdt, "cpu_on", 0xC4000003u));
    T(fdt_end_node(fdt));

    /* GICv3 (interrupt-controller/arm,gic-v3.yaml) */
    T(begin_node_at(fdt, "intc", VIRT_GICD_BASE));
    T(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
    T(fdt_property_cell(fdt, "#interrupt-cells", 3));
    T(fdt_property(fdt, "interrupt-controller", NULL, 0));
    /* The ITS child node's reg uses 2 address and 2 size cells */
    T(fdt_property_cell(fdt, "#address-cells", 2));
    T(fdt_property_cell(fdt, "#size-cells", 2));
    T(fdt_property(fdt, "ranges", NULL, 0));
    {
        uint64_t reg[4] = { VIRT_GICD_BASE, VIRT_GICD_SIZE, VIRT_GICR_BASE,
                            VIRT_GICR_STRIDE * m->ncpus };
        T(prop_reg2(fdt, reg, 2));
    }
    T(fdt_property_cell(fdt, "#redistributor-regions", 1));
    {
        uint32_t irq[3] = { GIC_FDT_PPI, PPI_GIC_MAINT - 16, GIC_FDT_LEVEL_HIGH };
        T(prop_cells(fdt, "interrupts", irq, 3));
    }
    T(fdt_property_cell(fdt, "phandle", PHANDLE_GIC));
    /* The ITS (interrupt-controller/arm,gic-v3.yaml "msi-controller"
     * child, arm,gic-v3-its), as QEMU's virt board describes it */
    T(begin_node_at(fdt, "its", VIRT_GITS_BASE));
    T(fdt_property_string(fdt, "compatible", "arm,gic-v3-its"));
    T(fdt_property(fdt, "msi-controller", NULL, 0));
    T(fdt_property_cell(fdt, "#msi-cells", 1));
    {
        uint64_t reg[2] = { VIRT_GITS_BASE, VIRT_GITS_SIZE };
        T(prop_reg2(fdt, reg, 1));
    }
    T(fdt_property_cell(fdt, "phandle", PHANDLE_ITS));
    T(fdt_end_node(fdt));
    T(fdt_end_node(fdt));

    /* Architected timer (timer/arm,arch_timer.yaml): secure physical,
     * non-secure physical, virtual, hypervisor physical, and the
     * hypervisor virtual timer (FEAT_VHE) as the optional fifth. The
     * secure timer (INTID 29) has no EL3 to use it but the binding
     * requires the slot. */
    T(fdt_begin_node(fdt, "timer"));
    T(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
    {
        const unsigned ppis[5] = { 29, PPI_PHYS_TIMER, PPI_VIRT_TIMER, PPI_HYP_TIMER,
                                   PPI_HYP_VIRT_TIMER };
        int n = (m->feat & FEATBIT(FEAT_VHE)) && el2 ? 5 : 4;
        uint32_t irq[15];
        for (int i = 0; i < n; i++) {
            irq[3 * i] = GIC_FDT_PPI;
            irq[3 * i + 1] = ppis[i] - 16;
            irq[3 * i + 2] = GIC_FDT_LEVEL_HIGH;
        }
        T(prop_cells(fdt, "interrupts", irq, 3 * n));
    }
    T(fdt_property(fdt, "always-on", NULL, 0));
    T(fdt_end_node(fdt));

    /* PMU (perf/arm,pmu.yaml) */
    if (m->feat & FEATBIT(FEAT_PMUv3)) {
        T(fdt_begin_node(fdt, "pmu"));
        T(fdt_property_string(fdt, "compatible", "arm,armv8-pmuv3"));
        uint32_t irq[3] = { GIC_FDT_PPI, PPI_PMU - 16, GIC_FDT_LEVEL_HIGH };
        T(prop_cells(fdt, "interrupts", irq, 3));
        T(fdt_end_node(fdt));
    }

    /* The APB clock both PrimeCells reference (clock/fixed-clock.yaml) */
    T(fdt_begin_node(fdt, "apb-pclk"));
    T(fdt_property_string(fdt, "compatible", "fixed-clock"));
    T(fdt_property_cell(fdt, "#clock-cells", 0));
    T(fdt_property_cell(fdt, "clock-frequency", APB_PCLK_HZ));
    T(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
    T(fdt_property_cell(fdt, "phandle", PHANDLE_APB_PCLK));
    T(fdt_end_node(fdt));

    /* PL011 (serial/arm,pl011.yaml) */
    T(begin_node_at(fdt, "pl011", VIRT_UART_BASE));
    T(PROP_STRLIST(fdt, "compatible", "arm,pl011\0arm,primecell"));
    {
        uint64_t reg[2] = { VIRT_UART_BASE, VIRT_UART_SIZE };
        T(prop_reg2(fdt, reg, 1));
        uint32_t irq[3] = { GIC_FDT_SPI, VIRT_UART_SPI, GIC_FDT_LEVEL_HIGH };
        T(prop_cells(fdt, "interrupts", irq, 3));
        uint32_t clk[2] = { PHANDLE_APB_PCLK, PHANDLE_APB_PCLK };
        T(prop_cells(fdt, "clocks", clk, 2));
    }
    T(PROP_STRLIST(fdt, "clock-names", "uartclk\0apb_pclk"));
    T(fdt_end_node(fdt));

    /* PL031 (rtc/arm,pl031.yaml via primecell) */
    T(begin_node_at(fdt, "pl031", VIRT_RTC_BASE));
    T(PROP_STRLIST(fdt, "compatible", "arm,pl031\0arm,primecell"));
    {
        uint64_t reg[2] = { VIRT_RTC_BASE, VIRT_RTC_SIZE };
        T(prop_reg2(fdt, reg, 1));
        uint32_t irq[3] = { GIC_FDT_SPI, VIRT_RTC_SPI, GIC_FDT_LEVEL_HIGH };
        T(prop_cells(fdt, "interrupts", irq, 3));
        uint32_t clk[1] = { PHANDLE_APB_PCLK };
        T(prop_cells(fdt, "clocks", clk, 1));
    }
    T(fdt_property_string(fdt, "clock-names", "apb_pclk"));
    T(fdt_end_node(fdt));

    /* The 32 virtio-mmio transports (virtio/mmio.yaml), lowest address
     * first and described as QEMU's virt board does: edge-triggered SPIs
     * 16-47 and dma-coherent. Empty ones are described too (DeviceID 0). */
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        uint64_t base = VIRT_VIRTIO_BASE + i * VIRT_VIRTIO_SIZE;
        T(begin_node_at(fdt, "virtio_mmio", base));
        T(fdt_property(fdt, "dma-coherent", NULL, 0));
        uint32_t irq[3] = { GIC_FDT_SPI, VIRTIO_MMIO_SPI0 + i, GIC_FDT_EDGE_RISING };
        T(prop_cells(fdt, "interrupts", irq, 3));
        uint64_t reg[2] = { base, VIRT_VIRTIO_SIZE };
        T(prop_reg2(fdt, reg, 1));
        T(fdt_property_string(fdt, "compatible", "virtio,mmio"));
        T(fdt_end_node(fdt));
    }

    /* Host devices the embedder described (a83_dtb_add_device()), in the
     * order of the calls */
    for (unsigned i = 0; i < p->nhost_dt; i++) {
        const HostDtNode *h = &p->host_dt[i];
        T(begin_node_at(fdt, h->name, h->base));
        T(fdt_property_string(fdt, "compatible", h->compatible));
        uint64_t reg[2] = { h->base, h->size };
        T(prop_reg2(fdt, reg, 1));
        if (h->intid) {
            uint32_t irq[3] = { GIC_FDT_SPI, h->intid - 32, GIC_FDT_LEVEL_HIGH };
            T(prop_cells(fdt, "interrupts", irq, 3));
        }
        for (unsigned k = 0; k < h->nprops; k++)
            T(fdt_property_cell(fdt, h->prop_name[k], h->prop_value[k]));
        T(fdt_end_node(fdt));
    }

    T(fdt_end_node(fdt));   /* root */
    T(fdt_finish(fdt));
#undef T
    return 0;
}

a83_err fdt_build_virt(Machine *m, void **out, size_t *out_size)
{
    /* room for the fixed nodes plus the command line */
    size_t size = FDT_BUF_SIZE + m->plat->nhost_dt * 512 + (m->plat->bootargs ? strlen(m->plat->bootargs) : 0) +
                  guest_loader_fdt_space(m);
    if (size > INT32_MAX) {
        machine_set_error(m, "the kernel command line is too long");
        return A83_ERR_ARG;
    }
    void *fdt = malloc(size);
    if (!fdt)
        return A83_ERR_NOMEM;
    int r = build(m, fdt, (int)size);
    if (r >= 0)
        r = fdt_pack(fdt);
    if (r < 0) {
        machine_set_error(m, "building the device tree failed: %s", fdt_strerror(r));
        free(fdt);
        return A83_ERR_FORMAT;
    }
    *out = fdt;
    *out_size = fdt_totalsize(fdt);
    return A83_OK;
}

a83_err fdt_patch_user(Machine *m, const void *dtb, size_t size, void **out, size_t *out_size)
{
    Platform *p = m->plat;
    size_t extra = 1024 + (p->bootargs ? strlen(p->bootargs) + 64 : 0) +
                   guest_loader_fdt_space(m);
    size_t bufsize = size + extra;
    void *fdt = malloc(bufsize);
    if (!fdt)
        return A83_ERR_NOMEM;
    int r = fdt_open_into(dtb, fdt, (int)bufsize);
    int chosen = -1;
    if (r >= 0 && (p->bootargs || p->initrd_loaded)) {
        chosen = fdt_path_offset(fdt, "/chosen");
        if (chosen == -FDT_ERR_NOTFOUND)
            chosen = fdt_add_subnode(fdt, 0, "chosen");
        r = chosen;
        if (r >= 0 && p->bootargs)
            r = fdt_setprop_string(fdt, chosen, "bootargs", p->bootargs);
        if (r >= 0 && p->initrd_loaded)
            r = fdt_setprop_u64(fdt, chosen, "linux,initrd-start", p->initrd_start);
        if (r >= 0 && p->initrd_loaded)
            r = fdt_setprop_u64(fdt, chosen, "linux,initrd-end", p->initrd_end);
    }
    if (r >= 0)
        r = guest_loader_fdt_patch(m, fdt);   /* hypervisor boot modules, if any */
    if (r >= 0)
        r = fdt_pack(fdt);
    if (r < 0) {
        machine_set_error(m, "updating /chosen in the supplied device tree failed: %s",
                          fdt_strerror(r));
        free(fdt);
        return A83_ERR_FORMAT;
    }
    *out = fdt;
    *out_size = fdt_totalsize(fdt);
    return A83_OK;
}
