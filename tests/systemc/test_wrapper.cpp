/*
 * The SystemC wrapper (bindings/systemc, docs/systemc.md) on bare-metal
 * A64 code, no Linux: one simulation per process (SystemC elaborates once),
 * so the case is the first argument.
 *
 *   basic  TLM transactions carry the guest's PA, size and data (little-
 *          endian) both ways; every annotated delay (100 ns at 1 GHz) is
 *          charged as exactly 100 stall cycles; the sc_in<bool> drives
 *          INTID 100's pending state at the GIC distributor (GICv3 spec
 *          12.9.22 GICD_ISPENDR: a level-sensitive input that is asserted
 *          reads as pending); the guest sees an interrupt raised at 30 us of
 *          SystemC time within one quantum (10 us) of it, never before it;
 *          the time of an access as the target sees it (sc_time_stamp() +
 *          delay) is the CPU's cycles / cpu_hz; PSCI SYSTEM_OFF (DEN0022D
 *          5.10) ends the simulation; the conversions round as documented.
 *   basic-3ghz  the same at a 3 GHz CPU clock, where a cycle is 333.33 ps:
 *          sc_time rounds down to the resolution (1 ps), cycles round up, and
 *          100 ns is 300 stall cycles.
 *   wait   a target that calls wait() in b_transport is refused: its access
 *          is rejected, the machine stops, SC_REPORT_ERROR is raised.
 *
 * Guest program at 0x40080000 (assembled with aarch64-linux-gnu-as):
 *      mov  x7, #0x20000000        // the SystemC target
 *      mov  x8, #0x8000000         // GICD
 *      add  x8, x8, #0x20c         // GICD_ISPENDR3 (INTIDs 96..127)
 *      mov  w1, #0x42
 *      str  w1, [x7]               // target register 0 <- 0x42
 *      ldr  w2, [x7, #4]           // target register 1 -> 0x12345678
 *  1:  ldr  w3, [x8]
 *      tbz  w3, #4, 1b             // until INTID 100 is pending
 *      str  w2, [x7, #8]           // register 2: the target lowers its line
 *      mov  w0, #0x84000000
 *      add  w0, w0, #8             // PSCI SYSTEM_OFF
 *      hvc  #0
 *  2:  b    2b
 */
#include <cstdio>
#include <cstring>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "arm83emu/systemc.h"

namespace {

const uint32_t kCode[] = { 0xd2a40007, 0xd2a10008, 0x91083108, 0x52800841, 0xb90000e1,
                           0xb94004e2, 0xb9400103, 0x3627ffe3, 0xb90008e2, 0x52b08000,
                           0x11002000, 0xd4000002, 0x14000000 };
constexpr uint64_t kCodePa = 0x40080000, kBase = 0x20000000;
int fails = 0;

#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            std::printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);               \
            fails++;                                                               \
        }                                                                          \
    } while (0)

struct Target : sc_core::sc_module {
    tlm_utils::simple_target_socket<Target> socket;
    sc_core::sc_out<bool> irq;
    bool do_wait = false;
    unsigned accesses = 0;
    uint64_t addr[4] = {}, wval = 0;
    unsigned len[4] = {};
    sc_core::sc_time at[4];
    bool level = false;
    sc_core::sc_event changed;

    SC_HAS_PROCESS(Target);
    explicit Target(sc_core::sc_module_name n) : sc_module(n), socket("socket"), irq("irq")
    {
        socket.register_b_transport(this, &Target::b_transport);
        SC_THREAD(raise);
        SC_METHOD(drive);
        sensitive << changed;
        dont_initialize();
    }
    void raise()
    {
        wait(30, sc_core::SC_US);
        level = true;
        changed.notify();
    }
    void drive() { irq.write(level); }
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay)
    {
        if (do_wait)
            wait(sc_core::SC_ZERO_TIME);
        unsigned i = accesses < 4 ? accesses : 3;
        accesses++;
        addr[i] = gp.get_address();
        len[i] = gp.get_data_length();
        at[i] = sc_core::sc_time_stamp() + delay;
        unsigned char *d = gp.get_data_ptr();
        if (gp.is_write()) {
            wval = 0;
            for (unsigned k = 0; k < len[i]; k++)
                wval |= (uint64_t)d[k] << (8 * k);
            if (addr[i] == kBase + 8) {
                level = false;
                changed.notify(sc_core::SC_ZERO_TIME);
            }
        } else {
            const uint32_t v = 0x12345678;
            for (unsigned k = 0; k < len[i]; k++)
                d[k] = (unsigned char)(v >> (8 * k));
        }
        delay += sc_core::sc_time(100, sc_core::SC_NS);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

} // namespace

int sc_main(int argc, char **argv)
{
    std::string which = argc > 1 ? argv[1] : "basic";
    a83_config cfg;
    a83_config_default(&cfg);   // 1 CPU at EL1, 1 GHz: PSCI through HVC
    bool ghz3 = which == "basic-3ghz";
    if (ghz3)
        cfg.cpu_hz = 3000000000ull;   // 1 cycle = 333.33 ps: conversions round
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_core::sc_time(10, sc_core::SC_US));
    a83::Cpu cpu("cpu", cfg, { 100 });
    Target t("target");
    t.do_wait = which == "wait";
    sc_core::sc_signal<bool> line("line");
    cpu.socket.bind(t.socket);
    t.irq(line);
    cpu.irq[0](line);
    a83_machine *m = cpu.machine();
    CHECK(cpu.map_target(kBase, 0x1000) == A83_OK);
    CHECK(cpu.map_target(kBase + 0x800, 0x1000) == A83_ERR_OVERLAP);
    CHECK(a83_phys_write(m, kCodePa, kCode, sizeof kCode) == A83_OK);
    CHECK(a83_reg_write(m, 0, A83_REG_PC, kCodePa) == A83_OK);
    // No GIC set-up: the pending state of an asserted level-sensitive SPI
    // does not depend on its enable or the distributor's (GICv3 spec 4.1.2).
    if (!ghz3) {
        // Conversions at 1 GHz and 1 ps resolution: exact both ways.
        CHECK(cpu.time_of(1234) == sc_core::sc_time(1234, sc_core::SC_NS));
        CHECK(cpu.cycles_of(sc_core::sc_time(100, sc_core::SC_NS)) == 100);
        CHECK(cpu.cycles_of(sc_core::sc_time(1, sc_core::SC_PS)) == 1);   // rounded up
    } else {
        // 3 GHz: times round down to the picosecond, cycles round up
        CHECK(cpu.time_of(1) == sc_core::sc_time(333, sc_core::SC_PS));
        CHECK(cpu.time_of(3) == sc_core::sc_time(1, sc_core::SC_NS));
        CHECK(cpu.time_of(3000000001ull) == sc_core::sc_time(1000000000333ull * 1.0, sc_core::SC_PS));
        CHECK(cpu.cycles_of(sc_core::sc_time(1, sc_core::SC_NS)) == 3);
        CHECK(cpu.cycles_of(sc_core::sc_time(334, sc_core::SC_PS)) == 2);   // 1.002 -> 2
        CHECK(cpu.cycles_of(sc_core::sc_time(100, sc_core::SC_NS)) == 300);
    }

    if (which == "wait") {
        bool raised = false;
        try {
            sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS));
        } catch (const sc_core::sc_report &r) {
            raised = std::strstr(r.what(), "wait()") != nullptr;
            std::printf("reported: %s\n", r.what());
        }
        CHECK(raised);
        CHECK(t.accesses == 1);                            // the first store, refused
        CHECK(cpu.stop_reason() == A83_STOP_REQUEST);
        uint64_t x1 = 0;
        a83_reg_read(m, 0, (a83_reg)1, &x1);
        CHECK(x1 == 0x42);
        std::printf("%s: %d failure(s)\n", which.c_str(), fails);
        return fails ? 1 : 0;
    }

    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS));
    CHECK(cpu.stop_reason() == A83_STOP_POWEROFF);
    CHECK(a83_exit_status(m) == 0);
    CHECK(t.accesses == 3);
    CHECK(cpu.transactions() == 3);
    CHECK(t.addr[0] == kBase && t.len[0] == 4);
    CHECK(t.addr[1] == kBase + 4 && t.len[1] == 4);
    CHECK(t.addr[2] == kBase + 8 && t.len[2] == 4);
    CHECK(t.wval == 0x12345678);   // the read value, written back by the guest
    uint64_t x2 = 0;
    a83_reg_read(m, 0, (a83_reg)2, &x2);
    CHECK(x2 == 0x12345678);
    CHECK(cpu.stall_cycles() == (ghz3 ? 900u : 300u));   // 3 x 100 ns at 1 (3) GHz
    // the first store: a handful of instructions after time 0
    CHECK(t.at[0] < sc_core::sc_time(100, sc_core::SC_NS));
    // the second access follows the first one's 100-ns stall
    CHECK(t.at[1] >= t.at[0] + sc_core::sc_time(100, sc_core::SC_NS));
    // the interrupt, raised at 30 us, is seen no earlier and within a quantum
    CHECK(t.at[2] >= sc_core::sc_time(30, sc_core::SC_US));
    CHECK(t.at[2] <= sc_core::sc_time(40, sc_core::SC_US) + sc_core::sc_time(1, sc_core::SC_US));
    // SystemC time caught up with the machine when it powered off
    CHECK(sc_core::sc_time_stamp() == cpu.time_of(a83_now(m)));
    std::printf("%s: %llu quanta, ack at %s, %d failure(s)\n", which.c_str(),
                (unsigned long long)cpu.quanta(), t.at[2].to_string().c_str(), fails);
    return fails ? 1 : 0;
}
