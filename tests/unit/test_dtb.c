/*
 * The generated device tree (src/platform/fdt.c, docs/board.md), read back
 * from guest RAM with libfdt after a83_boot(): every node and property, for
 * 1 and 4 CPUs, virtualization off (PSCI over HVC, 4 timer PPIs) and on
 * (SMC, 5 timer PPIs with FEAT_VHE). Also -dtb replacement and patching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libfdt.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"

static char tmpdir[64];
static uint8_t dtb[0x20000];

static const char *write_tmp(const char *name, const void *data, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static a83_machine *boot_machine(uint32_t ncpus, bool virt, const char *bootargs, bool initrd)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = ncpus;
    cfg.ram_size = 256 << 20;
    cfg.virtualization = virt;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    static const uint8_t code[4] = { 0x1f, 0x20, 0x03, 0xd5 };
    assert_int_equal(a83_load_kernel(m, write_tmp("k.bin", code, 4), NULL), A83_OK);
    if (initrd)
        assert_int_equal(a83_load_initrd(m, write_tmp("rd", "initrd!", 7)), A83_OK);
    if (bootargs)
        assert_int_equal(a83_set_bootargs(m, bootargs), A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    uint64_t x0;
    a83_reg_read(m, 0, A83_REG_X0, &x0);
    assert_int_equal(x0 & 7, 0);     /* booting.rst: 8-byte aligned */
    assert_int_equal(a83_phys_read(m, x0, dtb, 64), A83_OK);
    assert_int_equal(fdt_check_header(dtb), 0);
    assert_true(fdt_totalsize(dtb) <= sizeof dtb);
    assert_int_equal(a83_phys_read(m, x0, dtb, fdt_totalsize(dtb)), A83_OK);
    return m;
}

static int node(const char *path)
{
    int off = fdt_path_offset(dtb, path);
    if (off < 0)
        fail_msg("node %s missing: %s", path, fdt_strerror(off));
    return off;
}

static void expect_str(int off, const char *prop, const char *want)
{
    int len;
    const char *v = fdt_getprop(dtb, off, prop, &len);
    if (!v)
        fail_msg("property %s missing", prop);
    assert_int_equal(len, (int)strlen(want) + 1);
    assert_string_equal(v, want);
}

/* A string list given as NUL-separated text with its total length. */
static void expect_strlist(int off, const char *prop, const char *want, int wantlen)
{
    int len;
    const char *v = fdt_getprop(dtb, off, prop, &len);
    if (!v)
        fail_msg("property %s missing", prop);
    assert_int_equal(len, wantlen);
    assert_memory_equal(v, want, (size_t)wantlen);
}

static void expect_cells(int off, const char *prop, const uint32_t *want, int n)
{
    int len;
    const fdt32_t *v = fdt_getprop(dtb, off, prop, &len);
    if (!v)
        fail_msg("property %s missing", prop);
    assert_int_equal(len, n * 4);
    for (int i = 0; i < n; i++)
        if (fdt32_ld(&v[i]) != want[i])
            fail_msg("%s cell %d: 0x%x, want 0x%x", prop, i, fdt32_ld(&v[i]), want[i]);
}

static void expect_u32(int off, const char *prop, uint32_t want) { expect_cells(off, prop, &want, 1); }

static void expect_empty(int off, const char *prop)
{
    int len = -1;
    assert_non_null(fdt_getprop(dtb, off, prop, &len));
    assert_int_equal(len, 0);
}

static uint32_t phandle_of(const char *path)
{
    uint32_t ph = fdt_get_phandle(dtb, node(path));
    assert_true(ph != 0);
    return ph;
}

static void check_tree(uint32_t ncpus, bool virt)
{
    int root = node("/");
    expect_str(root, "compatible", "linux,dummy-virt");
    expect_u32(root, "#address-cells", 2);
    expect_u32(root, "#size-cells", 2);
    uint32_t gic = phandle_of("/intc@8000000");
    expect_u32(root, "interrupt-parent", gic);

    /* memory@40000000: 256 MiB */
    int mem = node("/memory@40000000");
    expect_str(mem, "device_type", "memory");
    const uint32_t memreg[4] = { 0, 0x40000000, 0, 0x10000000 };
    expect_cells(mem, "reg", memreg, 4);

    /* cpus: one node per CPU, reg = MPIDR Aff0 */
    int cpus = node("/cpus");
    expect_u32(cpus, "#address-cells", 1);
    expect_u32(cpus, "#size-cells", 0);
    unsigned seen = 0;
    int c;
    fdt_for_each_subnode(c, dtb, cpus) {
        char name[16];
        snprintf(name, sizeof name, "cpu@%u", seen);
        assert_string_equal(fdt_get_name(dtb, c, NULL), name);
        expect_str(c, "device_type", "cpu");
        expect_str(c, "compatible", "arm,cortex-a72");
        expect_u32(c, "reg", seen);
        expect_str(c, "enable-method", "psci");
        seen++;
    }
    assert_int_equal(seen, ncpus);

    /* timer: S phys 29, NS phys 30, virt 27, hyp 26 (+ hyp virt 28 with VHE) */
    int t = node("/timer");
    expect_str(t, "compatible", "arm,armv8-timer");
    const uint32_t tirq[15] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4, 1, 12, 4 };
    expect_cells(t, "interrupts", tirq, virt ? 15 : 12);
    expect_empty(t, "always-on");

    /* GICv3: distributor 64 KiB + ncpus x 128 KiB redistributors */
    int g = node("/intc@8000000");
    expect_str(g, "compatible", "arm,gic-v3");
    expect_u32(g, "#interrupt-cells", 3);
    expect_empty(g, "interrupt-controller");
    const uint32_t greg[8] = { 0, 0x08000000, 0, 0x10000, 0, 0x080A0000, 0, 0x20000 * ncpus };
    expect_cells(g, "reg", greg, 8);
    expect_u32(g, "#redistributor-regions", 1);
    const uint32_t maint[3] = { 1, 9, 4 };
    expect_cells(g, "interrupts", maint, 3);

    /* The ITS child (arm,gic-v3.yaml msi-controller, as QEMU's virt board):
     * 128 KiB at 0x0808_0000, #msi-cells = 1 */
    int its = node("/intc@8000000/its@8080000");
    expect_str(its, "compatible", "arm,gic-v3-its");
    expect_empty(its, "msi-controller");
    expect_u32(its, "#msi-cells", 1);
    const uint32_t itsreg[4] = { 0, 0x08080000, 0, 0x20000 };
    expect_cells(its, "reg", itsreg, 4);

    /* PMU overflow PPI 23 */
    const uint32_t pmu[3] = { 1, 7, 4 };
    expect_cells(node("/pmu"), "interrupts", pmu, 3);

    /* apb-pclk: fixed 24 MHz */
    int clk = node("/apb-pclk");
    expect_str(clk, "compatible", "fixed-clock");
    expect_u32(clk, "#clock-cells", 0);
    expect_u32(clk, "clock-frequency", 24000000);
    uint32_t clkph = phandle_of("/apb-pclk");

    int u = node("/pl011@9000000");
    expect_strlist(u, "compatible", "arm,pl011\0arm,primecell", 24);
    const uint32_t ureg[4] = { 0, 0x09000000, 0, 0x1000 };
    expect_cells(u, "reg", ureg, 4);
    const uint32_t uirq[3] = { 0, 1, 4 };
    expect_cells(u, "interrupts", uirq, 3);
    const uint32_t uclk[2] = { clkph, clkph };
    expect_cells(u, "clocks", uclk, 2);
    expect_strlist(u, "clock-names", "uartclk\0apb_pclk", 17);

    int r = node("/pl031@9010000");
    expect_strlist(r, "compatible", "arm,pl031\0arm,primecell", 24);
    const uint32_t rreg[4] = { 0, 0x09010000, 0, 0x1000 };
    expect_cells(r, "reg", rreg, 4);
    const uint32_t rirq[3] = { 0, 2, 4 };
    expect_cells(r, "interrupts", rirq, 3);
    expect_u32(r, "clocks", clkph);
    expect_str(r, "clock-names", "apb_pclk");

    int p = node("/psci");
    expect_strlist(p, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci", 35);
    expect_str(p, "method", virt ? "smc" : "hvc");
    expect_u32(p, "cpu_on", 0xC4000003u);

    int ch = node("/chosen");
    expect_str(ch, "stdout-path", "/pl011@9000000");

    /* No flash is described (docs/board.md). */
    assert_true(fdt_path_offset(dtb, "/flash@0") < 0);
    assert_true(fdt_node_offset_by_compatible(dtb, -1, "cfi-flash") < 0);

    /* The 32 virtio-mmio transports as QEMU's virt describes them
     * (docs/virtio.md): 0x200 apart from 0x0A000000, SPIs 16-47 rising
     * edge, dma-coherent, lowest address first. */
    int v = -1, prev = -1;
    for (unsigned i = 0; i < 32; i++) {
        char path[40];
        snprintf(path, sizeof path, "/virtio_mmio@%x", 0x0A000000u + 0x200u * i);
        v = node(path);
        assert_true(v > prev);
        prev = v;
        expect_str(v, "compatible", "virtio,mmio");
        assert_non_null(fdt_getprop(dtb, v, "dma-coherent", NULL));
        expect_cells(v, "interrupts", (uint32_t[]){ 0, 16 + i, 1 }, 3);
        expect_cells(v, "reg", (uint32_t[]){ 0, 0x0A000000u + 0x200u * i, 0, 0x200 }, 4);
    }
    v = fdt_node_offset_by_compatible(dtb, -1, "virtio,mmio");
    unsigned count = 0;
    for (; v >= 0; v = fdt_node_offset_by_compatible(dtb, v, "virtio,mmio"))
        count++;
    assert_int_equal(count, 32);
}

static void test_one_cpu_el1(void **state)
{
    (void)state;
    a83_machine *m = boot_machine(1, false, "console=ttyAMA0 earlycon", false);
    check_tree(1, false);
    expect_str(node("/chosen"), "bootargs", "console=ttyAMA0 earlycon");
    assert_true(fdt_getprop(dtb, node("/chosen"), "linux,initrd-start", NULL) == NULL);
    a83_machine_destroy(m);
}

static void test_four_cpus_el2(void **state)
{
    (void)state;
    a83_machine *m = boot_machine(4, true, NULL, true);
    check_tree(4, true);
    int ch = node("/chosen");
    assert_null(fdt_getprop(dtb, ch, "bootargs", NULL));
    int len;
    const fdt64_t *s = fdt_getprop(dtb, ch, "linux,initrd-start", &len);
    const fdt64_t *e = fdt_getprop(dtb, ch, "linux,initrd-end", &len);
    assert_non_null(s);
    assert_non_null(e);
    assert_int_equal(fdt64_ld(e) - fdt64_ld(s), 7);
    a83_machine_destroy(m);
}

static void test_four_cpus_el1_one_cpu_el2(void **state)
{
    (void)state;
    a83_machine *m = boot_machine(4, false, NULL, false);
    check_tree(4, false);
    a83_machine_destroy(m);
    m = boot_machine(1, true, NULL, false);
    check_tree(1, true);
    a83_machine_destroy(m);
}

/* -dtb FILE replaces the tree; /chosen gets bootargs and initrd. */
static void test_user_dtb(void **state)
{
    (void)state;
    static uint8_t user[4096];
    assert_int_equal(fdt_create_empty_tree(user, sizeof user), 0);
    assert_int_equal(fdt_setprop_string(user, 0, "model", "my-board"), 0);
    assert_int_equal(fdt_pack(user), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/user.dtb", tmpdir);
    FILE *f = fopen(path, "wb");
    fwrite(user, 1, fdt_totalsize(user), f);
    fclose(f);

    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_load_kernel(m, write_tmp("k2.bin", "\x1f\x20\x03\xd5", 4), NULL), A83_OK);
    assert_int_equal(a83_load_initrd(m, write_tmp("rd2", "abc", 3)), A83_OK);
    assert_int_equal(a83_load_dtb(m, path), A83_OK);
    assert_int_equal(a83_set_bootargs(m, "root=/dev/vda"), A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    uint64_t x0;
    a83_reg_read(m, 0, A83_REG_X0, &x0);
    a83_phys_read(m, x0, dtb, 64);
    assert_int_equal(fdt_check_header(dtb), 0);
    a83_phys_read(m, x0, dtb, fdt_totalsize(dtb));
    expect_str(0, "model", "my-board");
    assert_true(fdt_path_offset(dtb, "/cpus") < 0);          /* not ours */
    expect_str(node("/chosen"), "bootargs", "root=/dev/vda");
    assert_non_null(fdt_getprop(dtb, node("/chosen"), "linux,initrd-end", NULL));
    /* not a DTB */
    assert_int_equal(a83_load_dtb(m, write_tmp("junk.dtb", "hello, world, not a dtb....", 27)),
                     A83_ERR_FORMAT);
    assert_non_null(strstr(a83_last_error(m), "junk.dtb"));
    /* valid header, corrupt structure block (a bad token): fdt_check_full */
    static uint8_t bad[4096];
    memcpy(bad, user, fdt_totalsize(user));
    fdt32_t tok = cpu_to_fdt32(0x12345678);
    memcpy(bad + fdt_off_dt_struct(bad), &tok, 4);
    assert_int_equal(fdt_check_header(bad), 0);
    assert_int_equal(a83_load_dtb(m, write_tmp("badtok.dtb", bad, fdt_totalsize(bad))),
                     A83_ERR_FORMAT);
    assert_non_null(strstr(a83_last_error(m), "corrupt"));
    /* truncated DTB */
    assert_int_equal(a83_load_dtb(m, write_tmp("cut.dtb", user, fdt_totalsize(user) - 8)),
                     A83_ERR_FORMAT);
    a83_machine_destroy(m);
}

/* a83_dtb_add_device(): a host 16550 described as Linux's
 * serial/8250.yaml binding wants it (compatible, reg, interrupts as
 * <GIC_SPI n IRQ_TYPE_LEVEL_HIGH> per arm,gic-v3.yaml, one-cell
 * properties), /chosen stdout-path moved to it (Devicetree spec 3.6), and
 * every rejected argument. */
static void test_host_device_node(void **state)
{
    (void)state;
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    static const uint8_t code[4] = { 0x1f, 0x20, 0x03, 0xd5 };
    assert_int_equal(a83_load_kernel(m, write_tmp("k.bin", code, 4), NULL), A83_OK);
    static const a83_dt_prop props[] = {
        { "clock-frequency", 1843200 }, { "reg-shift", 2 }, { "reg-io-width", 4 },
    };
    a83_dt_device d = { .name = "serial", .compatible = "ns16550a", .base = 0x20000000,
                        .size = 0x1000, .intid = 100, .props = props, .nprops = 3,
                        .console = true };
    assert_int_equal(a83_dtb_add_device(m, &d), A83_OK);
    a83_dt_device plain = { .name = "sensor", .compatible = "acme,probe", .base = 0x20010000,
                            .size = 0x100 };
    assert_int_equal(a83_dtb_add_device(m, &plain), A83_OK);
    /* rejected: same node again, a second console, bad names and ranges */
    assert_int_equal(a83_dtb_add_device(m, &plain), A83_ERR_ARG);
    a83_dt_device bad = d;
    bad.base = 0x20020000;
    assert_int_equal(a83_dtb_add_device(m, &bad), A83_ERR_ARG);   /* second console */
    bad.console = false;
    bad.name = "Serial";
    assert_int_equal(a83_dtb_add_device(m, &bad), A83_ERR_ARG);
    bad.name = "serial@1";
    assert_int_equal(a83_dtb_add_device(m, &bad), A83_ERR_ARG);
    bad.name = "serial";
    bad.intid = 95;        /* the board's SPIs */
    assert_int_equal(a83_dtb_add_device(m, &bad), A83_ERR_ARG);
    bad.intid = 100;
    bad.size = 0;
    assert_int_equal(a83_dtb_add_device(m, &bad), A83_ERR_ARG);
    bad.size = 0x1000;
    bad.nprops = A83_DT_MAX_PROPS + 1;
    assert_int_equal(a83_dtb_add_device(m, &bad), A83_ERR_ARG);
    bad.nprops = 0;
    bad.compatible = "";
    assert_int_equal(a83_dtb_add_device(m, &bad), A83_ERR_ARG);
    assert_int_equal(a83_dtb_add_device(m, NULL), A83_ERR_ARG);
    assert_int_equal(a83_dtb_add_device(NULL, &d), A83_ERR_ARG);
    size_t size;
    assert_int_equal(a83_dtb_get(m, dtb, sizeof dtb, &size), A83_OK);
    assert_int_equal(fdt_check_header(dtb), 0);
    int off = node("/serial@20000000");
    expect_str(off, "compatible", "ns16550a");
    const uint32_t reg[4] = { 0, 0x20000000, 0, 0x1000 };
    expect_cells(off, "reg", reg, 4);
    const uint32_t irq[3] = { 0, 100 - 32, 4 };
    expect_cells(off, "interrupts", irq, 3);
    expect_u32(off, "clock-frequency", 1843200);
    expect_u32(off, "reg-shift", 2);
    expect_u32(off, "reg-io-width", 4);
    expect_str(node("/chosen"), "stdout-path", "/serial@20000000");
    off = node("/sensor@20010000");
    expect_str(off, "compatible", "acme,probe");
    assert_null(fdt_getprop(dtb, off, "interrupts", NULL));
    /* the board's console node is still there */
    node("/pl011@9000000");
    /* up to A83_DT_MAX_DEVICES: 6 more fit, the 9th does not */
    for (unsigned i = 0; i < 7; i++) {
        a83_dt_device x = plain;
        x.base = 0x20100000 + i * 0x1000ull;
        assert_int_equal(a83_dtb_add_device(m, &x), i < 6 ? A83_OK : A83_ERR_NOMEM);
    }
    a83_machine_destroy(m);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/a83-dtb-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_cpu_el1),
        cmocka_unit_test(test_four_cpus_el2),
        cmocka_unit_test(test_four_cpus_el1_one_cpu_el2),
        cmocka_unit_test(test_user_dtb),
        cmocka_unit_test(test_host_device_node),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
