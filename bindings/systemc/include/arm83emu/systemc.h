/*
 * arm83emu for SystemC TLM-2.0 (<arm83emu/systemc.h>; library
 * libarm83emu-systemc, pkg-config arm83emu-systemc, CMake component
 * "systemc"). Walkthrough, time mapping and thread rules: docs/systemc.md.
 *
 * a83::Cpu is an sc_module that owns an a83_machine (all its CPUs) and runs
 * it from one SC_THREAD in quanta of tlm_utils::tlm_quantumkeeper:
 *
 *  - guest accesses to the address ranges given to map_target() leave
 *    through `socket` (tlm_utils::simple_initiator_socket) as blocking
 *    transport (b_transport) with the guest physical address; the delay a
 *    target annotates is added to the accessing CPU's cycles
 *    (a83_cpu_stall()), converted with the CPU clock a83_config.cpu_hz;
 *  - `irq[i]` (sc_in<bool>) drives the GIC input INTID intids[i]
 *    (a83_irq_set(), SPIs A83_HOST_INTID_FIRST..LAST);
 *  - machine time T cycles is SystemC time start + T / cpu_hz; the machine
 *    runs ahead of SystemC time by at most one global quantum plus one
 *    block (docs/embedding.md "Time") and then waits (quantumkeeper sync).
 *
 * Determinism: the same SystemC model, images and inputs give the same
 * bytes; the wrapper consults no host time. b_transport must not wait()
 * (checked: the access is rejected, the machine stops and SC_REPORT_ERROR
 * is raised); an exception a target throws is rethrown from the wrapper's
 * thread after the machine has stopped.
 */
#ifndef ARM83EMU_SYSTEMC_H
#define ARM83EMU_SYSTEMC_H

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "arm83emu/arm83emu.h"

namespace a83 {

class Cpu : public sc_core::sc_module {
public:
    /** Accesses to map_target() ranges, as TLM-2.0 generic payloads. */
    tlm_utils::simple_initiator_socket<Cpu> socket;
    /** Interrupt inputs: irq[i] drives INTID intids[i] (level). */
    sc_core::sc_vector<sc_core::sc_in<bool>> irq;

    /**
     * Creates the machine from cfg (copied; a83_machine_create()) with one
     * interrupt input per entry of intids (each in A83_HOST_INTID_FIRST..
     * LAST, no duplicates). Throws std::runtime_error on a bad
     * configuration or INTID (a83_strerror() and a83_last_error() text).
     */
    Cpu(sc_core::sc_module_name name, const a83_config &cfg,
        const std::vector<unsigned> &intids = {});
    ~Cpu() override;
    SC_HAS_PROCESS(Cpu);

    Cpu(const Cpu &) = delete;
    Cpu &operator=(const Cpu &) = delete;

    /** The machine, owned by this module: load images, set registers,
     *  describe devices (a83_dtb_add_device()) and a83_boot() it before
     *  sc_start(); read it between quanta or after the simulation. Do not
     *  destroy it. */
    a83_machine *machine() const { return m_; }

    /**
     * Sends the guest's accesses to PA [base, base + size) through socket
     * (a83_mmio_map() of that range): the payload's address is the PA,
     * its data the access's bytes in guest (little-endian) order, length
     * 1, 2, 4 or 8. A response other than TLM_OK_RESPONSE makes the CPU
     * take a synchronous external abort. Call before sc_start(). Errors as
     * a83_mmio_map() (returned).
     */
    a83_err map_target(uint64_t base, uint64_t size);

    /** What ended the simulation's run (A83_STOP_NONE while it runs). */
    a83_stop_reason stop_reason() const { return why_; }

    /** Whether a guest power-off or reset calls sc_stop() (default true;
     *  otherwise the thread just ends). Call before sc_start(). */
    void set_stop_simulation(bool on) { stop_sim_ = on; }

    /** SystemC time of machine time `cycles` (exact integer arithmetic,
     *  rounded down to the time resolution). */
    sc_core::sc_time time_of(uint64_t cycles) const;
    /** Cycles of SystemC duration d, rounded up (a delay never shrinks). */
    uint64_t cycles_of(const sc_core::sc_time &d) const;

    /** Counts for reports: quanta run, transactions sent, cycles they
     *  added through annotated delays. */
    uint64_t quanta() const { return quanta_; }
    uint64_t transactions() const { return transactions_; }
    uint64_t stall_cycles() const { return stall_cycles_; }

private:
    void run_thread();
    void irq_method();
    bool transport(unsigned cpu, uint64_t pa, unsigned size, uint64_t *val, bool write);
    static bool mmio_read(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t *val);
    static bool mmio_write(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t val);

    struct Window {
        Cpu *self;
        uint64_t base;
    };

    a83_machine *m_ = nullptr;
    uint64_t hz_;
    uint64_t ticks_per_sec_;             // SystemC resolution units per second
    sc_core::sc_time start_;             // SystemC time of machine time 0
    std::vector<unsigned> intids_;
    std::vector<bool> level_;
    std::vector<Window *> windows_;
    tlm_utils::tlm_quantumkeeper qk_;
    a83_stop_reason why_ = A83_STOP_NONE;
    bool stop_sim_ = true;
    bool waited_ = false;                // a target called wait() (rejected)
    std::exception_ptr pending_;         // a target threw: rethrown after the run
    uint64_t quanta_ = 0, transactions_ = 0, stall_cycles_ = 0;
};

} // namespace a83

#endif
