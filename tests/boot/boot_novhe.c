/*
 * Boots the Linux guest through the public API with FEAT_VHE hidden from the
 * ID registers (a83_config.vhe = false: ID_AA64MMFR1_EL1.VH = 0, HCR_EL2.E2H
 * RES0), which the arm83emu command line cannot express. The console goes to
 * stdout; boot.sh (case el2-novhe) checks it. Exit status: the guest's, 124
 * at the instruction bound, 2 on a setup error.
 *
 * usage: boot_novhe IMAGE INITRD NCPUS MAX_INSNS
 */
#include <stdio.h>
#include <stdlib.h>

#include "arm83emu/arm83emu.h"

static void console_out(void *opaque, uint8_t byte)
{
    (void)opaque;
    putchar(byte);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: boot_novhe IMAGE INITRD NCPUS MAX_INSNS\n");
        return 2;
    }
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = (uint32_t)atoi(argv[3]);
    cfg.virtualization = true;
    cfg.vhe = false;
    cfg.ram_size = 1ull << 30;
    a83_machine *m;
    a83_err err = a83_machine_create(&cfg, &m);
    if (!err)
        err = a83_load_kernel(m, argv[1], NULL);
    if (!err)
        err = a83_load_initrd(m, argv[2]);
    if (!err)
        err = a83_set_bootargs(m, "console=ttyAMA0");
    if (!err)
        err = a83_boot(m);
    if (err) {
        fprintf(stderr, "boot_novhe: %s\n", a83_strerror(err));
        return 2;
    }
    a83_set_console(m, console_out, NULL);
    a83_stop_reason why;
    a83_run(m, strtoull(argv[4], NULL, 0), &why);
    fflush(stdout);
    int rc = why == A83_STOP_POWEROFF ? a83_exit_status(m) : why == A83_STOP_LIMIT ? 124 : 3;
    a83_machine_destroy(m);
    return rc;
}
