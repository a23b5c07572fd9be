/*
 * Hypervisor boot modules (QEMU's guest-loader device; Xen's
 * docs/misc/arm/device-tree/booting.txt "Dom0 kernel and ramdisk modules").
 * Internal to src/platform and the arm83emu command line.
 */
#ifndef A83_GUEST_LOADER_H
#define A83_GUEST_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/machine.h"

/**
 * Loads the file at path at physical address addr as a boot module:
 * a kernel (is_kernel, "multiboot,kernel", optional bootargs) or a ramdisk
 * ("multiboot,ramdisk"). The module must lie wholly in RAM, outside every
 * device window and every other image (kernel, initrd, other modules).
 * Errors (message set): A83_ERR_IO (cannot read), A83_ERR_FORMAT (empty
 * file), A83_ERR_RANGE (outside RAM), A83_ERR_OVERLAP, A83_ERR_ARG (too
 * many modules, bootargs for a ramdisk), A83_ERR_NOMEM.
 */
a83_err guest_loader_add(Machine *m, uint64_t addr, const char *path, bool is_kernel,
                         const char *bootargs);

/** Bytes of device tree the module nodes may need (for buffer sizing). */
size_t guest_loader_fdt_space(const Machine *m);

/**
 * Sequential-write hook of the DTB builder, called inside /chosen after its
 * properties: writes #address-cells/#size-cells and one module node per
 * module. Returns 0 or a negative libfdt error.
 */
int guest_loader_fdt_chosen(Machine *m, void *fdt);

/** The same nodes added to a user-supplied (read-write, opened) DTB.
 *  Returns 0 or a negative libfdt error. */
int guest_loader_fdt_patch(Machine *m, void *fdt);

/**
 * Checks the boot before the run (called by a83_boot() with the final DTB):
 * a module set needs a kernel module, and a Xen "dtuart=" on the command
 * line must name a PL011 node (path or alias) of the DTB.
 * Errors: A83_ERR_STATE, A83_ERR_ARG (message set).
 */
a83_err guest_loader_check(Machine *m, const void *fdt);

/** Frees the modules' strings (platform_destroy). */
void guest_loader_free(Machine *m);

#endif
