/*
 * The example SystemC platform (docs/systemc.md): an arm83emu machine
 * wrapped in a83::Cpu, a 16550A UART modelled in SystemC at PA 0x20000000
 * whose interrupt line drives SPI INTID 100, and Linux booted with its
 * console on that UART (the library's own PL011 stays on the board, unused).
 *
 * usage: a83-systemc-platform IMAGE INITRD [options]
 *   --append TEXT      more kernel command-line text
 *   --smp N            CPUs (default 1)
 *   --quantum-ns N     TLM global quantum (default 10000 ns)
 *   --max-ms N         stop after N ms of simulated time (default 20000)
 *   --input TEXT       bytes for the guest to read on the UART
 *
 * The UART's output goes to stdout; a summary goes to stderr. Exit status:
 * the guest's (PSCI SYSTEM_OFF: 0), 124 at the time limit, 2 on bad use.
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <systemc>

#include "arm83emu/systemc.h"
#include "uart16550.h"

namespace {

constexpr uint64_t kUartBase = 0x20000000;   // outside the virt board's map (docs/board.md)
constexpr uint64_t kUartSize = 0x1000;
constexpr unsigned kUartIntid = 100;         // SPI 68, a host INTID (96..287)
constexpr uint32_t kUartClockHz = 1843200;   // the classic 16550 crystal

void pl011_count(void *opaque, uint8_t) { ++*static_cast<uint64_t *>(opaque); }

int usage()
{
    std::fprintf(stderr, "usage: a83-systemc-platform IMAGE INITRD [--append TEXT] [--smp N] "
                         "[--quantum-ns N] [--max-ms N] [--input TEXT]\n");
    return 2;
}

bool num(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = std::strtoull(s, &end, 0);
    if (!*s || *end || errno || v < lo || v > hi || s[0] == '-')
        return false;
    *out = v;
    return true;
}

} // namespace

int sc_main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    std::string append, input;
    unsigned long long smp = 1, quantum_ns = 10000, max_ms = 20000;
    for (int i = 3; i < argc; i++) {
        const char *o = argv[i];
        if (i + 1 >= argc)
            return usage();
        const char *v = argv[++i];
        if (!std::strcmp(o, "--append"))
            append = v;
        else if (!std::strcmp(o, "--input"))
            input = v;
        else if (!std::strcmp(o, "--smp") && num(v, 1, A83_MAX_CPUS, &smp)) {
        } else if (!std::strcmp(o, "--quantum-ns") && num(v, 1, 1000000000ull, &quantum_ns)) {
        } else if (!std::strcmp(o, "--max-ms") && num(v, 1, 100000000ull, &max_ms)) {
        } else
            return usage();
    }

    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = (uint32_t)smp;
    cfg.ram_size = 512ull << 20;
    cfg.virtualization = true;
    cfg.vhe = true;

    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_core::sc_time((double)quantum_ns, sc_core::SC_NS));
    a83::Cpu cpu("cpu", cfg, { kUartIntid });
    Uart16550 uart("uart", kUartBase, kUartSize);
    sc_core::sc_signal<bool> uart_irq("uart_irq");
    cpu.socket.bind(uart.socket);
    uart.irq(uart_irq);
    cpu.irq[0](uart_irq);
    uart.set_sink([](uint8_t b) { std::fputc(b, stdout); });
    if (!input.empty())
        uart.input(input);

    a83_machine *m = cpu.machine();
    uint64_t pl011_bytes = 0;
    a83_set_console(m, pl011_count, &pl011_bytes);
    a83_err e;
    if ((e = cpu.map_target(kUartBase, kUartSize))) {
        std::fprintf(stderr, "map_target: %s\n", a83_strerror(e));
        return 1;
    }
    // The UART in the device tree (Linux serial/8250.yaml), as the console.
    static const a83_dt_prop props[] = {
        { "clock-frequency", kUartClockHz }, { "reg-shift", 2 }, { "reg-io-width", 4 },
    };
    a83_dt_device dev = {};
    dev.name = "serial";
    dev.compatible = "ns16550a";
    dev.base = kUartBase;
    dev.size = kUartSize;
    dev.intid = kUartIntid;
    dev.props = props;
    dev.nprops = 3;
    dev.console = true;
    std::string bootargs = "console=ttyS0 earlycon";
    if (!append.empty())
        bootargs += " " + append;
    if ((e = a83_dtb_add_device(m, &dev)) || (e = a83_load_kernel(m, argv[1], nullptr)) ||
        (e = a83_load_initrd(m, argv[2])) || (e = a83_set_bootargs(m, bootargs.c_str())) ||
        (e = a83_boot(m))) {
        std::fprintf(stderr, "a83-systemc-platform: %s (%s)\n", a83_strerror(e), a83_last_error(m));
        return 1;
    }

    sc_core::sc_start(sc_core::sc_time((double)max_ms, sc_core::SC_MS));
    std::fflush(stdout);

    a83_stop_reason why = cpu.stop_reason();
    uint64_t now = a83_now(m);
    std::fprintf(stderr,
                 "a83-systemc-platform: %s at %s (%llu cycles): %llu bytes on the SystemC UART, "
                 "%llu on the PL011, %llu quanta, %llu transactions, %llu stall cycles\n",
                 why == A83_STOP_POWEROFF ? "power off" : why == A83_STOP_NONE ? "time limit" : "stopped",
                 cpu.time_of(now).to_string().c_str(), (unsigned long long)now,
                 (unsigned long long)uart.bytes_sent(), (unsigned long long)pl011_bytes,
                 (unsigned long long)cpu.quanta(), (unsigned long long)cpu.transactions(),
                 (unsigned long long)cpu.stall_cycles());
    if (why == A83_STOP_NONE)
        return 124;
    return why == A83_STOP_POWEROFF ? a83_exit_status(m) : 1;
}
