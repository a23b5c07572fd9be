/*
 * A 16550A-compatible UART as a TLM-2.0 target (loosely timed, blocking
 * transport only), for the example platform (docs/systemc.md "The example
 * platform"). Register layout and bits: the National Semiconductor
 * PC16550D data sheet (RBR/THR/DLL 0, IER/DLM 1, IIR/FCR 2, LCR 3, MCR 4,
 * LSR 5, MSR 6, SCR 7), at a stride of 4 bytes (devicetree reg-shift = 2,
 * reg-io-width = 4: Linux's 8250 driver then uses 32-bit accesses; 8-bit
 * ones are accepted too).
 *
 * What is modelled: the registers above, the divisor latch (stored, no
 * effect: there is no line timing), a receive queue fed by input(), an
 * instantaneous transmitter (a byte written to THR goes to the sink at
 * once, so THR and the shift register are always empty: LSR.THRE = TEMT =
 * 1), the interrupt identification with its priorities (receiver line
 * status > received data > THR empty > modem status), the THRE interrupt
 * latch (set when THR empties or ETBEI is enabled with THR empty, cleared
 * by an IIR read that reports it or a THR write), FIFO enable reflected in
 * IIR[7:6], loopback (MCR.LOOP: THR to RBR, MCR outputs to MSR inputs), and
 * an active-high level interrupt output. Not modelled: baud-rate timing,
 * the character timeout interrupt (received data interrupts at any level),
 * parity/framing errors, break. Every access is answered with a fixed
 * annotated delay (`access_delay`), never with wait().
 */
#ifndef A83_EXAMPLE_UART16550_H
#define A83_EXAMPLE_UART16550_H

#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

class Uart16550 : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Uart16550> socket;
    sc_core::sc_out<bool> irq;   /**< level, active high */

    /** base: the PA of register 0 (payload addresses are PAs); size: the
     *  window in bytes (addresses outside get TLM_ADDRESS_ERROR_RESPONSE). */
    Uart16550(sc_core::sc_module_name name, uint64_t base, uint64_t size);
    SC_HAS_PROCESS(Uart16550);

    /** Where transmitted bytes go (default: nowhere). */
    void set_sink(std::function<void(uint8_t)> fn) { sink_ = std::move(fn); }
    /** Queues bytes for the guest to receive. */
    void input(const std::string &bytes);

    /** Latency of one register access, annotated on the transaction. */
    sc_core::sc_time access_delay{ 20, sc_core::SC_NS };

    uint64_t bytes_sent() const { return sent_; }

private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    uint8_t reg_read(unsigned reg);
    void reg_write(unsigned reg, uint8_t v);
    uint8_t iir() const;
    uint8_t msr() const;
    void update_irq();
    void irq_drive();

    uint64_t base_, size_;
    std::function<void(uint8_t)> sink_;
    std::deque<uint8_t> rx_;
    uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, dll_ = 0, dlm_ = 0;
    bool fifo_ = false;
    bool thre_pending_ = false;
    bool overrun_ = false;
    bool level_ = false;
    sc_core::sc_event irq_changed_;
    uint64_t sent_ = 0;
};

#endif
