/*
 * Hypervisor boot modules (src/platform/guest_loader.c, QEMU's guest-loader):
 * the module nodes in /chosen exactly as Xen's
 * docs/misc/arm/device-tree/booting.txt describes them (compatible strings,
 * reg = <addr size> with #address-cells = #size-cells = 2, bootargs on the
 * kernel module), the module bytes in RAM, the same nodes in a -dtb file,
 * and the errors: overlap with the kernel or another module, outside RAM,
 * missing file, no kernel module, a dtuart= the board lacks.
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
#include "core/machine.h"
#include "platform/guest_loader.h"
#include "platform/platform_int.h"

static char tmpdir[64];
static uint8_t dtb[0x20000];

static const char *write_tmp(const char *name, const void *data, size_t len)
{
    static char path[4][128];
    static unsigned k;
    char *p = path[k++ % 4];
    snprintf(p, 128, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static Machine *new_machine(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = 256 << 20;
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    static const uint8_t code[4] = { 0x1f, 0x20, 0x03, 0xd5 };   /* NOP at 0x40080000 */
    assert_int_equal(a83_load_kernel(m, write_tmp("k.bin", code, 4), NULL), A83_OK);
    return m;
}

static void read_dtb(Machine *m)
{
    uint64_t x0;
    a83_reg_read(m, 0, A83_REG_X0, &x0);
    assert_int_equal(a83_phys_read(m, x0, dtb, 64), A83_OK);
    assert_int_equal(fdt_check_header(dtb), 0);
    assert_int_equal(a83_phys_read(m, x0, dtb, fdt_totalsize(dtb)), A83_OK);
}

static void check_module(const char *path, const char *compat, size_t compat_len, uint64_t addr,
                         uint64_t size, const char *bootargs)
{
    int n = fdt_path_offset(dtb, path);
    assert_true(n >= 0);
    int len;
    const char *c = fdt_getprop(dtb, n, "compatible", &len);
    assert_non_null(c);
    assert_int_equal(len, compat_len);
    assert_memory_equal(c, compat, compat_len);
    const fdt32_t *reg = fdt_getprop(dtb, n, "reg", &len);
    assert_non_null(reg);
    assert_int_equal(len, 16);
    assert_int_equal(fdt32_to_cpu(reg[0]), addr >> 32);
    assert_int_equal(fdt32_to_cpu(reg[1]), (uint32_t)addr);
    assert_int_equal(fdt32_to_cpu(reg[2]), size >> 32);
    assert_int_equal(fdt32_to_cpu(reg[3]), (uint32_t)size);
    const char *ba = fdt_getprop(dtb, n, "bootargs", &len);
    if (bootargs)
        assert_string_equal(ba, bootargs);
    else
        assert_null(ba);
}

static const char K[] = "multiboot,kernel\0multiboot,module";
static const char R[] = "multiboot,ramdisk\0multiboot,module";

static void test_modules_in_chosen(void **s)
{
    (void)s;
    Machine *m = new_machine();
    assert_int_equal(guest_loader_add(m, 0x49000000, write_tmp("Image", "KERNEL-BYTES", 12), true,
                                      "console=hvc0 earlycon=xen"), A83_OK);
    assert_int_equal(guest_loader_add(m, 0x4a000000, write_tmp("rd", "RAMDISK", 7), false, NULL),
                     A83_OK);
    assert_int_equal(a83_set_bootargs(m, "dom0_mem=128M console=dtuart dtuart=/pl011@9000000"),
                     A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    read_dtb(m);
    int chosen = fdt_path_offset(dtb, "/chosen");
    assert_true(chosen >= 0);
    const fdt32_t *cells = fdt_getprop(dtb, chosen, "#address-cells", NULL);
    assert_int_equal(fdt32_to_cpu(*cells), 2);
    cells = fdt_getprop(dtb, chosen, "#size-cells", NULL);
    assert_int_equal(fdt32_to_cpu(*cells), 2);
    /* the top-level bootargs is the hypervisor's (booting.txt "Command lines") */
    assert_string_equal(fdt_getprop(dtb, chosen, "bootargs", NULL),
                        "dom0_mem=128M console=dtuart dtuart=/pl011@9000000");
    check_module("/chosen/module@49000000", K, sizeof K, 0x49000000, 12,
                 "console=hvc0 earlycon=xen");
    check_module("/chosen/module@4a000000", R, sizeof R, 0x4a000000, 7, NULL);
    char buf[12];
    assert_int_equal(a83_phys_read(m, 0x49000000, buf, 12), A83_OK);
    assert_memory_equal(buf, "KERNEL-BYTES", 12);
    assert_int_equal(a83_phys_read(m, 0x4a000000, buf, 7), A83_OK);
    assert_memory_equal(buf, "RAMDISK", 7);
    /* the DTB is placed after every module */
    uint64_t x0;
    a83_reg_read(m, 0, A83_REG_X0, &x0);
    assert_int_equal(x0, 0x4a200000);
    a83_machine_destroy(m);
}

static void test_modules_in_user_dtb(void **s)
{
    (void)s;
    /* take the generated DTB of a plain machine as the -dtb file */
    Machine *m0 = new_machine();
    assert_int_equal(a83_boot(m0), A83_OK);
    read_dtb(m0);
    const char *path = write_tmp("user.dtb", dtb, fdt_totalsize(dtb));
    a83_machine_destroy(m0);
    Machine *m = new_machine();
    assert_int_equal(a83_load_dtb(m, path), A83_OK);
    assert_int_equal(guest_loader_add(m, 0x48000000, write_tmp("Image", "K", 1), true, "a=b"),
                     A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    read_dtb(m);
    check_module("/chosen/module@48000000", K, sizeof K, 0x48000000, 1, "a=b");
    a83_machine_destroy(m);
}

static void expect_add_error(Machine *m, uint64_t addr, const char *path, bool kernel,
                             const char *args, a83_err want, const char *msg)
{
    assert_int_equal(guest_loader_add(m, addr, path, kernel, args), want);
    if (!strstr(a83_last_error(m), msg))
        fail_msg("error '%s' lacks '%s'", a83_last_error(m), msg);
}

static void test_errors(void **s)
{
    (void)s;
    Machine *m = new_machine();
    const char *f = write_tmp("mod", "0123456789", 10);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/nope", tmpdir);
    expect_add_error(m, 0x49000000, missing, true, NULL, A83_ERR_IO, "No such file");
    /* the raw kernel occupies 0x40080000..0x40080003 */
    expect_add_error(m, 0x40080000, f, true, NULL, A83_ERR_OVERLAP, "overlaps the kernel");
    assert_int_equal(guest_loader_add(m, 0x49000000, f, true, NULL), A83_OK);
    expect_add_error(m, 0x49000008, f, false, NULL, A83_ERR_OVERLAP,
                     "overlaps the guest-loader kernel");
    expect_add_error(m, 0x4fffffff, f, false, NULL, A83_ERR_RANGE, "outside guest RAM");
    expect_add_error(m, 0x09000000, f, false, NULL, A83_ERR_OVERLAP, "PL011");
    expect_add_error(m, 0x4a000000, f, false, "x", A83_ERR_ARG, "kernel module only");
    expect_add_error(m, 0x4a000000, write_tmp("empty", "", 0), false, NULL, A83_ERR_FORMAT,
                     "empty file");
    /* nothing failed was recorded: 0x49000010 is free again after the failures */
    assert_int_equal(guest_loader_add(m, 0x49000010, f, false, NULL), A83_OK);
    /* Xen console on a UART the board lacks: refused before the run */
    assert_int_equal(a83_set_bootargs(m, "console=dtuart dtuart=/serial@1c090000"), A83_OK);
    assert_int_equal(a83_boot(m), A83_ERR_ARG);
    assert_non_null(strstr(a83_last_error(m), "dtuart=/serial@1c090000"));
    assert_int_equal(a83_set_bootargs(m, "console=dtuart dtuart=serial0"), A83_OK);
    assert_int_equal(a83_boot(m), A83_ERR_ARG);
    assert_int_equal(a83_set_bootargs(m, "console=dtuart dtuart=/pl031@9010000"), A83_OK);
    assert_int_equal(a83_boot(m), A83_ERR_ARG);
    /* options after the path are Xen's: the path is what counts */
    assert_int_equal(a83_set_bootargs(m, "x=1 dtuart=/pl011@9000000:115200n8 y"), A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    a83_machine_destroy(m);

    /* a ramdisk without a kernel module has no domain to go with */
    m = new_machine();
    assert_int_equal(guest_loader_add(m, 0x49000000, f, false, NULL), A83_OK);
    assert_int_equal(a83_boot(m), A83_ERR_STATE);
    assert_non_null(strstr(a83_last_error(m), "no kernel module"));
    a83_machine_destroy(m);
}

static int setup(void **s)
{
    (void)s;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/a83-gl-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **s)
{
    (void)s;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modules_in_chosen),
        cmocka_unit_test(test_modules_in_user_dtb),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
