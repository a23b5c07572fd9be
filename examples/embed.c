/*
 * Embedding libarm83emu: create a virt machine, put a small A64 program in
 * guest RAM, give it a host-side device that raises an interrupt, watch it
 * with hooks, run it in windows of simulated time, and show what it printed
 * on the PL011 and how it ended. With a file argument, boots that kernel
 * image instead (a83_load_kernel + a83_boot, as the arm83emu command does).
 * docs/embedding.md walks through every call used here.
 *
 * Build against an installed library:
 *   cc embed.c $(pkg-config --cflags --libs arm83emu) -o embed
 * or with CMake: find_package(arm83emu) and link arm83emu::arm83emu_shared.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <arm83emu/arm83emu.h>

/* The guest program (A64, little-endian, EL1, MMU off), loaded at RAM + 0x80000:
 *       movz x1, #0x0900, lsl #16   // PL011 UARTDR at 0x09000000
 *       adr  x2, msg
 *   1:  ldrb w3, [x2], #1
 *       cbz  w3, 2f
 *       strb w3, [x1]                // transmit
 *       b    1b
 *   2:  movz x4, #0x0800, lsl #16   // GICD
 *       mov  w5, #0x12
 *       str  w5, [x4]                // GICD_CTLR = ARE | EnableGrp1
 *       movz x6, #0x080a, lsl #16   // GICR of CPU 0
 *       str  wzr, [x6, #0x14]        // GICR_WAKER: awake
 *       mov  w5, #1
 *       str  w5, [x4, #0x8c]         // GICD_IGROUPR3: INTID 96 in Group 1
 *       str  w5, [x4, #0x10c]        // GICD_ISENABLER3: INTID 96 enabled
 *       mov  x5, #0xff
 *       msr  icc_pmr_el1, x5
 *       mov  x5, #1
 *       msr  icc_igrpen1_el1, x5
 *       movz x7, #0x2000, lsl #16   // the host device at 0x20000000
 *       mov  w5, #42
 *       str  w5, [x7]                // ring its doorbell: it raises INTID 96
 *   3:  wfi                          // IRQs masked: wakes when one is pending
 *       msr  daifclr, #2             // take it
 *       msr  daifset, #2
 *       cbz  x9, 3b                  // x9: set by the IRQ handler
 *       movz x0, #0x8400, lsl #16
 *       movk x0, #0x0008             // PSCI SYSTEM_OFF = 0x84000008
 *       hvc  #0                      // the firmware conduit at EL1
 *   4:  b    4b
 *   msg: .asciz "Hello from a guest of libarm83emu\n"
 */
static const uint32_t program[] = {
    0xd2a12001, 0x10000382, 0x38401443, 0x34000063, 0x39000023, 0x17fffffd, 0xd2a10004,
    0x52800245, 0xb9000085, 0xd2a10146, 0xb90014df, 0x52800025, 0xb9008c85, 0xb9010c85,
    0xd2801fe5, 0xd5184605, 0xd2800025, 0xd518cce5, 0xd2a40007, 0x52800545, 0xb90000e5,
    0xd503207f, 0xd50342ff, 0xd50342df, 0xb4ffffa9, 0xd2b08000, 0xf2800100, 0xd4000002,
    0x14000000,
};
/* The IRQ vector (VBAR_EL1 + 0x280: current EL with SP_EL1):
 *       mrs  x8, icc_iar1_el1        // acknowledge
 *       ldr  w9, [x7, #4]            // read the device's status: it lowers its line
 *       msr  icc_eoir1_el1, x8       // end of interrupt
 *       eret */
static const uint32_t irq_vector[] = { 0xd538cc08, 0xb94004e9, 0xd518cc28, 0xd69f03e0 };
static const char message[] = "Hello from a guest of libarm83emu\n";

#define LOAD_PA 0x40080000ull
#define VBAR_PA 0x40080800ull
#define DEVICE_PA 0x20000000ull     /* free in the virt board's map */
#define DEVICE_INTID 96u            /* A83_HOST_INTID_FIRST */

/* A host device: a doorbell register at offset 0 that raises the
 * interrupt, a status register at offset 4 whose read lowers it. */
typedef struct Doorbell {
    a83_machine *m;
    uint32_t rung;        /* value written to the doorbell */
    unsigned raised;
} Doorbell;

static bool doorbell_write(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t val)
{
    Doorbell *d = opaque;
    (void)cpu;
    if (off != 0 || size != 4)
        return false;                   /* the guest gets a synchronous external abort */
    d->rung = (uint32_t)val;
    d->raised++;
    return a83_irq_set(d->m, DEVICE_INTID, true) == A83_OK;
}

static bool doorbell_read(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t *val)
{
    Doorbell *d = opaque;
    (void)cpu;
    if (off != 4 || size != 4)
        return false;
    *val = d->rung;
    a83_irq_set(d->m, DEVICE_INTID, false);
    return true;
}

static void console(void *opaque, uint8_t byte)
{
    unsigned *count = opaque;
    (*count)++;
    putchar(byte);
}

/* Hooks: interrupt acknowledges and exception entries (cheap: one call per
 * event; no code or memory hook, so the machine keeps its fast paths). */
static void on_event(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    (void)m;
    unsigned *exceptions = opaque;
    if (ev->type == A83_HOOK_IRQ_ACK)
        printf("embed: CPU %u acknowledged INTID %llu\n", ev->cpu, (unsigned long long)ev->value);
    else if (ev->type == A83_HOOK_EXCEPTION)
        (*exceptions)++;
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
    unsigned printed = 0, exceptions = 0;
    a83_set_console(m, console, &printed);

    a83_stop_reason why;
    if (argc > 1) {
        a83_image_kind kind;
        if ((err = a83_load_kernel(m, argv[1], &kind)) || (err = a83_boot(m))) {
            fprintf(stderr, "embed: %s\n", a83_last_error(m));
            a83_machine_destroy(m);
            return 1;
        }
        a83_run(m, 1000000, &why);
    } else {
        Doorbell bell = { .m = m };
        err = a83_phys_write(m, LOAD_PA, program, sizeof program);
        if (!err)
            err = a83_phys_write(m, LOAD_PA + sizeof program, message, sizeof message);
        if (!err)
            err = a83_phys_write(m, VBAR_PA + 0x280, irq_vector, sizeof irq_vector);
        if (!err)
            err = a83_sysreg_write(m, 0, "VBAR_EL1", VBAR_PA);
        if (!err)
            err = a83_reg_write(m, 0, A83_REG_PC, LOAD_PA);
        if (!err)
            err = a83_mmio_map(m, DEVICE_PA, 0x1000, doorbell_read, doorbell_write, &bell);
        if (!err)
            err = a83_hook_add(m, A83_HOOK_IRQ_ACK, on_event, &exceptions, 1, 0, NULL);
        if (!err)
            err = a83_hook_add(m, A83_HOOK_EXCEPTION, on_event, &exceptions, 1, 0, NULL);
        if (err) {
            fprintf(stderr, "embed: %s\n", a83_strerror(err));
            a83_machine_destroy(m);
            return 1;
        }
        /* Run in windows of 10000 simulated cycles, as a co-simulator with
         * its own quantum would; at most 100 of them. */
        unsigned windows = 0;
        do {
            uint64_t used;
            a83_run_cycles(m, 10000, &used, &why);
            windows++;
        } while (why == A83_STOP_LIMIT && windows < 100);
        fflush(stdout);
        printf("embed: doorbell rung with %u, interrupt raised %u time(s), %u exception(s), "
               "%u window(s), machine time %llu cycles\n",
               bell.rung, bell.raised, exceptions, windows, (unsigned long long)a83_now(m));
    }

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
