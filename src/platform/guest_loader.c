/*
 * Boot modules for a hypervisor (QEMU's "guest-loader" device, branch xen):
 * files loaded at a given physical address and described to the
 * hypervisor in /chosen by the multiboot module binding of Xen's
 * docs/misc/arm/device-tree/booting.txt:
 *
 *   chosen {
 *       #address-cells = <2>; #size-cells = <2>;
 *       module@49000000 {
 *           compatible = "multiboot,kernel", "multiboot,module";
 *           reg = <0x0 0x49000000 0x0 SIZE>;
 *           bootargs = "console=hvc0";          (kernel modules only)
 *       };
 *       module@50000000 {
 *           compatible = "multiboot,ramdisk", "multiboot,module";
 *           reg = <0x0 0x50000000 0x0 SIZE>;
 *       };
 *   };
 *
 * With a kernel module that has bootargs, the top-level /chosen bootargs
 * (-append) is the hypervisor's command line (booting.txt "Command lines").
 * Modules take part in the loader's overlap checks like every other image.
 * docs/xen.md shows the whole boot.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/mem.h"
#include "platform/guest_loader.h"
#include "platform/platform_int.h"

/* Module storage lives in the Platform (guest_modules/nguest_modules). */

a83_err guest_loader_add(Machine *m, uint64_t addr, const char *path, bool is_kernel,
                         const char *bootargs)
{
    Platform *p = m->plat;
    if (!path || (bootargs && !is_kernel)) {
        machine_set_error(m, "guest-loader: %s", !path ? "no file name given"
                                                       : "bootargs applies to a kernel module only");
        return A83_ERR_ARG;
    }
    if (p->nguest_modules == PLAT_MAX_GUEST_MODULES) {
        machine_set_error(m, "guest-loader: too many modules (at most %d)",
                          PLAT_MAX_GUEST_MODULES);
        return A83_ERR_ARG;
    }
    PlatFile file;
    a83_err err = plat_file_read(m, path, m->ram.size, "guest RAM", true, &file);
    if (err)
        return err;
    if (file.size == 0) {
        machine_set_error(m, "%s: empty file", path);
        plat_file_release(&file);
        return A83_ERR_FORMAT;
    }
    size_t size = file.size;
    char desc[80];
    snprintf(desc, sizeof desc, "%s (guest-loader %s)", path, is_kernel ? "kernel" : "initrd");
    const char *what = is_kernel ? "guest-loader kernel" : "guest-loader initrd";
    char *args = NULL;
    if (bootargs && !(args = strdup(bootargs)))
        err = A83_ERR_NOMEM;
    if (!err)
        err = plat_check_range(m, addr, size, desc);
    if (!err)
        err = plat_add_image(m, addr, size, what);
    if (err) {
        free(args);
        plat_file_release(&file);
        return err;
    }
    machine_phys_write(m, addr, file.data, size);
    plat_file_release(&file);
    GuestModule *g = &p->guest_modules[p->nguest_modules++];
    g->addr = addr;
    g->size = size;
    g->is_kernel = is_kernel;
    g->bootargs = args;
    return A83_OK;
}

size_t guest_loader_fdt_space(const Machine *m)
{
    const Platform *p = m->plat;
    size_t n = 0;
    for (unsigned i = 0; i < p->nguest_modules; i++)
        n += 160 + (p->guest_modules[i].bootargs ? strlen(p->guest_modules[i].bootargs) : 0);
    return n;
}

/* compatible string lists (booting.txt: specific string, then the generic
 * "multiboot,module" that must always be present) */
static const char COMPAT_KERNEL[] = "multiboot,kernel\0multiboot,module";
static const char COMPAT_RAMDISK[] = "multiboot,ramdisk\0multiboot,module";

/* reg with #address-cells = #size-cells = 2 */
static void reg_cells(const GuestModule *g, fdt32_t reg[4])
{
    reg[0] = cpu_to_fdt32((uint32_t)(g->addr >> 32));
    reg[1] = cpu_to_fdt32((uint32_t)g->addr);
    reg[2] = cpu_to_fdt32((uint32_t)(g->size >> 32));
    reg[3] = cpu_to_fdt32((uint32_t)g->size);
}

int guest_loader_fdt_chosen(Machine *m, void *fdt)
{
    Platform *p = m->plat;
    int r;
    if (!p->nguest_modules)
        return 0;
    /* The module nodes' reg is <addr-hi addr-lo size-hi size-lo>: say so
     * (Devicetree spec 2.3.5: the defaults would be 2 and 1). */
    if ((r = fdt_property_cell(fdt, "#address-cells", 2)) < 0 ||
        (r = fdt_property_cell(fdt, "#size-cells", 2)) < 0)
        return r;
    for (unsigned i = 0; i < p->nguest_modules; i++) {
        const GuestModule *g = &p->guest_modules[i];
        char name[40];
        fdt32_t reg[4];
        snprintf(name, sizeof name, "module@%llx", (unsigned long long)g->addr);
        reg_cells(g, reg);
        if ((r = fdt_begin_node(fdt, name)) < 0)
            return r;
        if (g->is_kernel)
            r = fdt_property(fdt, "compatible", COMPAT_KERNEL, (int)sizeof COMPAT_KERNEL);
        else
            r = fdt_property(fdt, "compatible", COMPAT_RAMDISK, (int)sizeof COMPAT_RAMDISK);
        if (r < 0 || (r = fdt_property(fdt, "reg", reg, (int)sizeof reg)) < 0)
            return r;
        if (g->bootargs && (r = fdt_property_string(fdt, "bootargs", g->bootargs)) < 0)
            return r;
        if ((r = fdt_end_node(fdt)) < 0)
            return r;
    }
    return 0;
}

int guest_loader_fdt_patch(Machine *m, void *fdt)
{
    Platform *p = m->plat;
    if (!p->nguest_modules)
        return 0;
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND)
        chosen = fdt_add_subnode(fdt, 0, "chosen");
    if (chosen < 0)
        return chosen;
    int r;
    if ((r = fdt_setprop_cell(fdt, chosen, "#address-cells", 2)) < 0 ||
        (r = fdt_setprop_cell(fdt, chosen, "#size-cells", 2)) < 0)
        return r;
    for (unsigned i = 0; i < p->nguest_modules; i++) {
        const GuestModule *g = &p->guest_modules[i];
        char name[40];
        fdt32_t reg[4];
        snprintf(name, sizeof name, "module@%llx", (unsigned long long)g->addr);
        reg_cells(g, reg);
        int node = fdt_add_subnode(fdt, chosen, name);
        if (node < 0)
            return node;
        if (g->is_kernel)
            r = fdt_setprop(fdt, node, "compatible", COMPAT_KERNEL, (int)sizeof COMPAT_KERNEL);
        else
            r = fdt_setprop(fdt, node, "compatible", COMPAT_RAMDISK, (int)sizeof COMPAT_RAMDISK);
        if (r < 0 || (r = fdt_setprop(fdt, node, "reg", reg, (int)sizeof reg)) < 0)
            return r;
        if (g->bootargs && (r = fdt_setprop_string(fdt, node, "bootargs", g->bootargs)) < 0)
            return r;
    }
    return 0;
}

/* Finds "key=" as a whole word of a command line; returns its value and
 * length (up to the next blank), or NULL. */
static const char *cmdline_value(const char *s, const char *key, size_t *len)
{
    size_t klen = strlen(key);
    for (const char *q = s; (q = strstr(q, key)) != NULL; q += klen) {
        if (q != s && q[-1] != ' ' && q[-1] != '\t')
            continue;
        const char *v = q + klen;
        *len = strcspn(v, " \t");
        return v;
    }
    return NULL;
}

a83_err guest_loader_check(Machine *m, const void *fdt)
{
    Platform *p = m->plat;
    if (!p->nguest_modules)
        return A83_OK;
    bool have_kernel = false;
    for (unsigned i = 0; i < p->nguest_modules; i++)
        have_kernel |= p->guest_modules[i].is_kernel;
    if (!have_kernel) {
        machine_set_error(m, "guest-loader: no kernel module (a -device guest-loader with "
                          "kernel=FILE is needed for the hypervisor's first domain)");
        return A83_ERR_STATE;
    }
    /* Xen's "dtuart=PATH[:OPTIONS]" (xen-command-line: dtuart) names the
     * console by device-tree path or alias. A name the board lacks would
     * leave Xen without a console and the run silent, so refuse it here. */
    size_t len;
    const char *v = p->bootargs ? cmdline_value(p->bootargs, "dtuart=", &len) : NULL;
    if (!v)
        return A83_OK;
    size_t plen = 0;
    while (plen < len && v[plen] != ':')
        plen++;
    char path[256];
    if (plen == 0 || plen >= sizeof path) {
        machine_set_error(m, "the hypervisor command line has an empty or overlong dtuart=");
        return A83_ERR_ARG;
    }
    memcpy(path, v, plen);
    path[plen] = 0;
    int node = path[0] == '/' ? fdt_path_offset(fdt, path)
                              : (fdt_get_alias(fdt, path) ? fdt_path_offset(fdt,
                                     fdt_get_alias(fdt, path)) : -FDT_ERR_NOTFOUND);
    if (node < 0 || fdt_node_check_compatible(fdt, node, "arm,pl011") != 0) {
        machine_set_error(m, "the hypervisor command line names dtuart=%s, but the board has no "
                          "such UART (it has /pl011@%llx)", path,
                          (unsigned long long)VIRT_UART_BASE);
        return A83_ERR_ARG;
    }
    return A83_OK;
}

void guest_loader_free(Machine *m)
{
    Platform *p = m->plat;
    for (unsigned i = 0; i < p->nguest_modules; i++) {
        free(p->guest_modules[i].bootargs);
        p->guest_modules[i].bootargs = NULL;
    }
    p->nguest_modules = 0;
}
