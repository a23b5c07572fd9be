/* The device tree of a83vmm's machine: see vmm_dtb.h. */
#include "vmm_dtb.h"

#include <string.h>

/* ---- a flattened device tree, written big-endian into a buffer ---------- */
enum { FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9 };
static uint8_t fdt_struct[8192], fdt_strings[1024];
static size_t fdt_slen, fdt_stlen;
static int fdt_overflow;

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static void fdt_put(const void *data, size_t n)
{
    if (fdt_overflow || fdt_slen + n + 4 > sizeof fdt_struct) {
        fdt_overflow = 1;
        return;
    }
    memcpy(fdt_struct + fdt_slen, data, n);
    fdt_slen += n;
    while (fdt_slen % 4)
        fdt_struct[fdt_slen++] = 0;
}

static void fdt_token(uint32_t t)
{
    uint8_t b[4];
    be32(b, t);
    fdt_put(b, 4);
}

static uint32_t fdt_string(const char *name)
{
    for (size_t off = 0; off < fdt_stlen; off += strlen((char *)fdt_strings + off) + 1)
        if (!strcmp((char *)fdt_strings + off, name))
            return (uint32_t)off;
    size_t n = strlen(name) + 1;
    if (fdt_stlen + n > sizeof fdt_strings) {
        fdt_overflow = 1;
        return 0;
    }
    memcpy(fdt_strings + fdt_stlen, name, n);
    fdt_stlen += n;
    return (uint32_t)(fdt_stlen - n);
}

static void fdt_begin(const char *name)
{
    fdt_token(FDT_BEGIN_NODE);
    fdt_put(name, strlen(name) + 1);
}

static void fdt_prop(const char *name, const void *data, size_t n)
{
    uint8_t h[12];
    be32(h, FDT_PROP);
    be32(h + 4, (uint32_t)n);
    be32(h + 8, fdt_string(name));
    fdt_put(h, 12);
    if (n)
        fdt_put(data, n);
}

/* a property of N 32-bit cells */
static void fdt_cells(const char *name, const uint32_t *v, size_t n)
{
    uint8_t b[64];
    for (size_t i = 0; i < n; i++)
        be32(b + 4 * i, v[i]);
    fdt_prop(name, b, 4 * n);
}

static void fdt_u32(const char *name, uint32_t v)
{
    fdt_cells(name, &v, 1);
}

static void fdt_str(const char *name, const char *s)
{
    fdt_prop(name, s, strlen(s) + 1);
}

/* "a\0b\0" string lists are passed with their total length */
static void fdt_strs(const char *name, const char *s, size_t n)
{
    fdt_prop(name, s, n);
}

static void fdt_u64(const char *name, uint64_t v)
{
    uint32_t c[2] = { (uint32_t)(v >> 32), (uint32_t)v };
    fdt_cells(name, c, 2);
}

size_t vmm_build_dtb(uint8_t *out, size_t cap, uint64_t ram_size, const char *cmdline, uint64_t initrd,
                     uint64_t initrd_size)
{
    fdt_slen = fdt_stlen = 0;
    fdt_overflow = 0;
    enum { PH_GIC = 1, PH_CLK = 2 };
    /* GIC_SPI/GIC_PPI and level-high / edge flags as in the GIC binding */
    enum { SPI = 0, PPI = 1, LEVEL_HIGH = 4 };
    fdt_begin("");
    fdt_u32("#address-cells", 2);
    fdt_u32("#size-cells", 2);
    fdt_str("compatible", "linux,dummy-virt");
    fdt_u32("interrupt-parent", PH_GIC);

    fdt_begin("chosen");
    fdt_str("bootargs", cmdline);
    fdt_u64("linux,initrd-start", initrd);
    fdt_u64("linux,initrd-end", initrd + initrd_size);
    fdt_str("stdout-path", "/pl011@9000000");
    fdt_token(FDT_END_NODE);

    fdt_begin("memory@40000000");
    fdt_str("device_type", "memory");
    uint32_t mem[4] = { 0, (uint32_t)RAM_BASE, (uint32_t)(ram_size >> 32), (uint32_t)ram_size };
    fdt_cells("reg", mem, 4);
    fdt_token(FDT_END_NODE);

    fdt_begin("cpus");
    fdt_u32("#address-cells", 1);
    fdt_u32("#size-cells", 0);
    fdt_begin("cpu@0");
    fdt_str("device_type", "cpu");
    fdt_str("compatible", "arm,armv8");
    fdt_u32("reg", 0);
    fdt_str("enable-method", "psci");
    fdt_token(FDT_END_NODE);
    fdt_token(FDT_END_NODE);

    fdt_begin("psci");
    static const char psci[] = "arm,psci-1.0\0arm,psci-0.2";
    fdt_strs("compatible", psci, sizeof psci);
    fdt_str("method", "smc");
    fdt_token(FDT_END_NODE);

    fdt_begin("intc@8000000");
    fdt_str("compatible", "arm,gic-v3");
    fdt_u32("#interrupt-cells", 3);
    fdt_prop("interrupt-controller", NULL, 0);
    uint32_t gic[8] = { 0, GICD_BASE, 0, GICD_SIZE, 0, GICR_BASE, 0, GICR_SIZE };
    fdt_cells("reg", gic, 8);
    uint32_t maint[3] = { PPI, MAINT_PPI, LEVEL_HIGH };
    fdt_cells("interrupts", maint, 3);
    fdt_u32("phandle", PH_GIC);
    fdt_token(FDT_END_NODE);

    /* secure and non-secure EL1 physical, virtual, EL2 physical, EL2 virtual timers */
    fdt_begin("timer");
    fdt_str("compatible", "arm,armv8-timer");
    uint32_t tmr[15] = { PPI, 13, LEVEL_HIGH, PPI, 14, LEVEL_HIGH, PPI, 11, LEVEL_HIGH,
                         PPI, 10, LEVEL_HIGH, PPI, 12, LEVEL_HIGH };
    fdt_cells("interrupts", tmr, 15);
    fdt_prop("always-on", NULL, 0);
    fdt_token(FDT_END_NODE);

    fdt_begin("apb-pclk");
    fdt_str("compatible", "fixed-clock");
    fdt_u32("#clock-cells", 0);
    fdt_u32("clock-frequency", 24000000);
    fdt_str("clock-output-names", "clk24mhz");
    fdt_u32("phandle", PH_CLK);
    fdt_token(FDT_END_NODE);

    fdt_begin("pl011@9000000");
    static const char uart[] = "arm,pl011\0arm,primecell";
    fdt_strs("compatible", uart, sizeof uart);
    uint32_t ureg[4] = { 0, UART_BASE, 0, UART_SIZE };
    fdt_cells("reg", ureg, 4);
    uint32_t uirq[3] = { SPI, UART_SPI, LEVEL_HIGH };
    fdt_cells("interrupts", uirq, 3);
    uint32_t clk[2] = { PH_CLK, PH_CLK };
    fdt_cells("clocks", clk, 2);
    static const char cn[] = "uartclk\0apb_pclk";
    fdt_strs("clock-names", cn, sizeof cn);
    fdt_token(FDT_END_NODE);

    fdt_token(FDT_END_NODE);
    fdt_token(FDT_END);

    /* header (40 bytes), memory reservation map (one empty entry), struct, strings */
    size_t off_rsv = 40, off_struct = off_rsv + 16, off_strings = off_struct + fdt_slen;
    size_t total = off_strings + fdt_stlen;
    if (fdt_overflow || total > cap)
        return 0;
    memset(out, 0, off_struct);
    uint32_t hdr[10] = { 0xd00dfeed, (uint32_t)total, (uint32_t)off_struct, (uint32_t)off_strings,
                         (uint32_t)off_rsv, 17, 16, 0, (uint32_t)fdt_stlen, (uint32_t)fdt_slen };
    for (int i = 0; i < 10; i++)
        be32(out + 4 * i, hdr[i]);
    memcpy(out + off_struct, fdt_struct, fdt_slen);
    memcpy(out + off_strings, fdt_strings, fdt_stlen);
    return total;
}
