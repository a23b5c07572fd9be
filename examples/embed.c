/*
 * Embedding libarm83emu: create a virt machine, put a tiny A64 program in
 * guest RAM, run it, and show what it printed on the PL011 and how it
 * ended. With a file argument, boots that kernel image instead
 * (a83_load_kernel + a83_boot, as the arm83emu command does).
 *
 * Build against an installed library:
 *   cc embed.c $(pkg-config --cflags --libs arm83emu) -o embed
 * or with CMake: find_package(arm83emu) and link arm83emu::arm83emu_shared.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <arm83emu/arm83emu.h>

/* The guest program (A64, little-endian), loaded at RAM + 0x80000:
 *       movz x1, #0x0900, lsl #16   // PL011 UARTDR at 0x09000000
 *       adr  x2, msg
 *   1:  ldrb w3, [x2], #1
 *       cbz  w3, 2f
 *       strb w3, [x1]                // transmit
 *       b    1b
 *   2:  movz x0, #0x8400, lsl #16
 *       movk x0, #0x0008             // PSCI SYSTEM_OFF = 0x84000008
 *       hvc  #0                      // the firmware conduit at EL1
 *   3:  b    3b
 *   msg: .asciz "Hello from a guest of libarm83emu\n"
 */
static const uint32_t program[] = {
    0xd2a12001, 0x10000122, 0x38401443, 0x34000063, 0x39000023,
    0x17fffffd, 0xd2b08000, 0xf2800100, 0xd4000002, 0x14000000,
};
static const char message[] = "Hello from a guest of libarm83emu\n";

#define LOAD_PA 0x40080000ull

static void console(void *opaque, uint8_t byte)
{
    unsigned *count = opaque;
    (*count)++;
    putchar(byte);
}

static const char *reason_name(a83_stop_reason r)
{
    switch (r) {
    case A83_STOP_POWEROFF: return "power off";
    case A83_STOP_LIMIT: return "instruction limit";
    case A83_STOP_RESET: return "reset";
    case A83_STOP_HALTED: return "halted";
    case A83_STOP_REQUEST: return "stop request";
    case A83_STOP_BREAK: return "breakpoint";
    default: return "none";
    }
}

int main(int argc, char **argv)
{
    a83_config cfg;
    a83_config_default(&cfg);          /* 1 CPU, 128 MiB, EL1 */
    a83_machine *m;
    a83_err err = a83_machine_create(&cfg, &m);
    if (err) {
        fprintf(stderr, "embed: %s\n", a83_strerror(err));
        return 1;
    }
    unsigned printed = 0;
    a83_set_console(m, console, &printed);

    if (argc > 1) {
        a83_image_kind kind;
        if ((err = a83_load_kernel(m, argv[1], &kind)) || (err = a83_boot(m))) {
            fprintf(stderr, "embed: %s\n", a83_last_error(m));
            a83_machine_destroy(m);
            return 1;
        }
    } else {
        err = a83_phys_write(m, LOAD_PA, program, sizeof program);
        if (!err)
            err = a83_phys_write(m, LOAD_PA + sizeof program, message, sizeof message);
        if (!err)
            err = a83_reg_write(m, 0, A83_REG_PC, LOAD_PA);
        if (err) {
            fprintf(stderr, "embed: %s\n", a83_strerror(err));
            a83_machine_destroy(m);
            return 1;
        }
    }

    a83_stop_reason why;
    a83_run(m, 1000000, &why);
    uint64_t insns = 0, cycles = 0, pc = 0;
    a83_cpu_counters(m, 0, &insns, &cycles);
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    fflush(stdout);
    printf("embed: stopped by %s, exit status %d, %u bytes printed, %llu instructions, "
           "pc 0x%llx\n", reason_name(why), a83_exit_status(m), printed,
           (unsigned long long)insns, (unsigned long long)pc);
    a83_machine_destroy(m);
    return why == A83_STOP_POWEROFF ? 0 : 1;
}
