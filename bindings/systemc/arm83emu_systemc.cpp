/*
 * a83::Cpu: the SystemC TLM-2.0 wrapper (arm83emu_systemc.h,
 * docs/systemc.md). The library calls it back only for the address ranges
 * given to map_target() (a83_mmio_map()); everything else of the board runs
 * inside the library. Only simulated time is consulted: SystemC time is a
 * function of machine cycles and the CPU clock, in integer arithmetic.
 */
#include "arm83emu/systemc.h"

#include <exception>
#include <stdexcept>

namespace a83 {

namespace {

/* The global quantum used when the model has not set one: 10 us, i.e.
 * 10,000 cycles at 1 GHz (ten of the library's default rounds). */
const sc_core::sc_time kDefaultQuantum(10, sc_core::SC_US);

std::string err_text(a83_machine *m, a83_err e, const char *what)
{
    std::string s = std::string(what) + ": " + a83_strerror(e);
    if (m && *a83_last_error(m))
        s += std::string(" (") + a83_last_error(m) + ")";
    return s;
}

} // namespace

Cpu::Cpu(sc_core::sc_module_name name, const a83_config &cfg, const std::vector<unsigned> &intids)
    : sc_core::sc_module(name), socket("socket"), irq("irq", intids.size()), hz_(cfg.cpu_hz),
      intids_(intids), level_(intids.size(), false)
{
    for (size_t i = 0; i < intids.size(); i++) {
        if (intids[i] < A83_HOST_INTID_FIRST || intids[i] > A83_HOST_INTID_LAST)
            throw std::runtime_error("a83::Cpu: INTID " + std::to_string(intids[i]) +
                                     " is not a host SPI (96..287)");
        for (size_t k = 0; k < i; k++)
            if (intids[k] == intids[i])
                throw std::runtime_error("a83::Cpu: INTID " + std::to_string(intids[i]) +
                                         " given twice");
    }
    if (!hz_)
        throw std::runtime_error("a83::Cpu: cpu_hz is 0");
    a83_err e = a83_machine_create(&cfg, &m_);
    if (e) {
        char msg[256] = "";
        a83_config_validate(&cfg, msg, sizeof msg);
        throw std::runtime_error(std::string("a83::Cpu: a83_machine_create: ") + a83_strerror(e) +
                                 (msg[0] ? std::string(" (") + msg + ")" : std::string()));
    }
    /* Resolution units per second: the resolution is a power of ten of a
     * second (IEEE 1666-2011 5.11.3), so this is exact. */
    ticks_per_sec_ = sc_core::sc_time(1, sc_core::SC_SEC).value();
    SC_THREAD(run_thread);
    SC_METHOD(irq_method);
    for (auto &p : irq)
        sensitive << p;
}

Cpu::~Cpu()
{
    a83_machine_destroy(m_);   /* unmaps the windows' callbacks with it */
    for (Window *w : windows_)
        delete w;
}

sc_core::sc_time Cpu::time_of(uint64_t cycles) const
{
    unsigned __int128 t = (unsigned __int128)cycles * ticks_per_sec_ / hz_;
    return start_ + sc_core::sc_time::from_value((sc_dt::uint64)t);
}

uint64_t Cpu::cycles_of(const sc_core::sc_time &d) const
{
    unsigned __int128 c = ((unsigned __int128)d.value() * hz_ + ticks_per_sec_ - 1) / ticks_per_sec_;
    return (uint64_t)c;
}

a83_err Cpu::map_target(uint64_t base, uint64_t size)
{
    Window *w = new Window{ this, base };
    a83_err e = a83_mmio_map(m_, base, size, mmio_read, mmio_write, w);
    if (e)
        delete w;
    else
        windows_.push_back(w);
    return e;
}

bool Cpu::mmio_read(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t *val)
{
    Window *w = static_cast<Window *>(opaque);
    return w->self->transport(cpu, w->base + off, size, val, false);
}

bool Cpu::mmio_write(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t val)
{
    Window *w = static_cast<Window *>(opaque);
    return w->self->transport(cpu, w->base + off, size, &val, true);
}

/* One guest access as a blocking transaction. The delay argument is the
 * accessing CPU's local time offset (its cycles ahead of SystemC time, as
 * the loosely-timed coding style passes it); what the target adds to it is
 * the access's latency, charged to that CPU as a stall. */
bool Cpu::transport(unsigned cpu, uint64_t pa, unsigned size, uint64_t *val, bool write)
{
    unsigned char buf[8] = { 0 };
    if (write)
        for (unsigned i = 0; i < size; i++)
            buf[i] = (unsigned char)(*val >> (8 * i));   /* guest byte order (little-endian) */
    tlm::tlm_generic_payload gp;
    gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(pa);
    gp.set_data_ptr(buf);
    gp.set_data_length(size);
    gp.set_streaming_width(size);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_byte_enable_length(0);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);

    uint64_t cyc = 0;
    a83_cpu_counters(m_, cpu, nullptr, &cyc);
    sc_core::sc_time at = time_of(cyc), now = sc_core::sc_time_stamp();
    /* a CPU that ended the last round behind the machine's time runs
     * before SystemC's time: its offset is 0, not negative */
    sc_core::sc_time before = at > now ? at - now : sc_core::SC_ZERO_TIME;
    sc_core::sc_time delay = before;
    sc_dt::uint64 delta = sc_core::sc_delta_count();
    transactions_++;
    try {
        socket->b_transport(gp, delay);
    } catch (...) {
        /* no C++ exception may unwind through the library's C frames: it
         * is rethrown by run_thread() once a83_run_cycles() has returned */
        pending_ = std::current_exception();
        a83_request_stop(m_);
        return false;
    }
    if (sc_core::sc_delta_count() != delta || sc_core::sc_time_stamp() != now) {
        /* the target called wait(): SystemC time moved while the machine
         * is in the middle of an instruction (docs/systemc.md "What
         * blocks"). The access is rejected and the run stops with an
         * error, reported from run_thread() outside the library. */
        waited_ = true;
        a83_request_stop(m_);
        return false;
    }
    if (gp.is_response_error())
        return false;
    if (delay > before) {
        uint64_t st = cycles_of(delay - before);
        a83_cpu_stall(m_, cpu, st);
        stall_cycles_ += st;
    }
    if (!write) {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= (uint64_t)buf[i] << (8 * i);
        *val = v;
    }
    return true;
}

/* Interrupt inputs: applied at once (the machine is never running while
 * another SystemC process runs, since b_transport may not wait); the CPUs
 * see a change at their next instruction boundary, i.e. at the start of the
 * next quantum. */
void Cpu::irq_method()
{
    for (size_t i = 0; i < irq.size(); i++) {
        bool v = irq[i].read();
        if (v != level_[i]) {
            level_[i] = v;
            a83_irq_set(m_, intids_[i], v);
        }
    }
}

void Cpu::run_thread()
{
    tlm_utils::tlm_quantumkeeper::set_global_quantum(
        tlm_utils::tlm_quantumkeeper::get_global_quantum() == sc_core::SC_ZERO_TIME
            ? kDefaultQuantum
            : tlm_utils::tlm_quantumkeeper::get_global_quantum());
    /* machine time 0 is now; a machine that already ran starts at its time */
    start_ = sc_core::SC_ZERO_TIME;
    sc_core::sc_time t0 = time_of(a83_now(m_)), stamp = sc_core::sc_time_stamp();
    start_ = stamp > t0 ? stamp - t0 : sc_core::SC_ZERO_TIME;
    qk_.reset();
    for (;;) {
        /* the machine runs up to the next quantum boundary of SystemC time */
        sc_core::sc_time boundary = sc_core::sc_time_stamp() +
                                    tlm::tlm_global_quantum::instance().compute_local_quantum();
        unsigned __int128 tb = (unsigned __int128)(boundary - start_).value() * hz_ / ticks_per_sec_;
        uint64_t now = a83_now(m_);
        uint64_t cycles = (uint64_t)tb > now ? (uint64_t)tb - now : 1;
        a83_stop_reason why = A83_STOP_NONE;
        a83_err e = a83_run_cycles(m_, cycles, nullptr, &why);
        quanta_++;
        /* the machine is now ahead of SystemC time by its local time */
        sc_core::sc_time ahead = time_of(a83_now(m_));
        qk_.set(ahead > sc_core::sc_time_stamp() ? ahead - sc_core::sc_time_stamp()
                                                 : sc_core::SC_ZERO_TIME);
        if (pending_) {
            why_ = A83_STOP_REQUEST;
            std::rethrow_exception(pending_);
        }
        if (waited_) {
            why_ = A83_STOP_REQUEST;
            SC_REPORT_ERROR(name(), "b_transport called wait(): not allowed for targets mapped "
                                    "to the arm83emu CPU (docs/systemc.md); the access was "
                                    "rejected and the machine stopped");
            break;   /* reached when SC_ERROR's action does not throw */
        }
        if (e) {
            why_ = A83_STOP_REQUEST;
            SC_REPORT_ERROR(name(), err_text(m_, e, "a83_run_cycles").c_str());
            break;
        }
        qk_.sync();   /* wait(local time): SystemC catches up with the machine */
        if (why != A83_STOP_LIMIT) {
            why_ = why;
            break;
        }
    }
    if (stop_sim_ && (why_ == A83_STOP_POWEROFF || why_ == A83_STOP_RESET ||
                      why_ == A83_STOP_HALTED || why_ == A83_STOP_REQUEST))
        sc_core::sc_stop();
}

} // namespace a83
