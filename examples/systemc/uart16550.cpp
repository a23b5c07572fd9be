/* The example's 16550A (uart16550.h): register behaviour from the
 * PC16550D data sheet, tables I-III. */
#include "uart16550.h"

namespace {
// register indices (address offset >> 2)
enum { RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
// IER
constexpr uint8_t IER_ERBFI = 0x01, IER_ETBEI = 0x02, IER_ELSI = 0x04, IER_EDSSI = 0x08;
// IIR
constexpr uint8_t IIR_NO_INT = 0x01, IIR_RLS = 0x06, IIR_RDA = 0x04, IIR_THRE = 0x02,
                  IIR_MSI = 0x00, IIR_FIFO = 0xC0;
// FCR
constexpr uint8_t FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02;
// LCR
constexpr uint8_t LCR_DLAB = 0x80;
// MCR
constexpr uint8_t MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10;
// LSR
constexpr uint8_t LSR_DR = 0x01, LSR_OE = 0x02, LSR_THRE = 0x20, LSR_TEMT = 0x40;
// MSR
constexpr uint8_t MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
} // namespace

Uart16550::Uart16550(sc_core::sc_module_name name, uint64_t base, uint64_t size)
    : sc_core::sc_module(name), socket("socket"), irq("irq"), base_(base), size_(size)
{
    socket.register_b_transport(this, &Uart16550::b_transport);
    SC_METHOD(irq_drive);
    sensitive << irq_changed_;
}

void Uart16550::input(const std::string &bytes)
{
    for (char c : bytes)
        rx_.push_back((uint8_t)c);
    update_irq();
}

uint8_t Uart16550::msr() const
{
    if (mcr_ & MCR_LOOP) {
        // loopback: the modem outputs feed the modem inputs
        return (uint8_t)(((mcr_ & MCR_RTS) ? MSR_CTS : 0) | ((mcr_ & MCR_DTR) ? MSR_DSR : 0) |
                         ((mcr_ & MCR_OUT1) ? MSR_RI : 0) | ((mcr_ & MCR_OUT2) ? MSR_DCD : 0));
    }
    return MSR_CTS | MSR_DSR | MSR_DCD;   // a connected, ready terminal
}

// Interrupt identification, highest priority first (data sheet table IV).
uint8_t Uart16550::iir() const
{
    uint8_t fifo = fifo_ ? IIR_FIFO : 0;
    if ((ier_ & IER_ELSI) && overrun_)
        return fifo | IIR_RLS;
    if ((ier_ & IER_ERBFI) && !rx_.empty())
        return fifo | IIR_RDA;
    if ((ier_ & IER_ETBEI) && thre_pending_)
        return fifo | IIR_THRE;
    (void)IER_EDSSI;   // the modem lines never change: no modem-status interrupt
    (void)IIR_MSI;
    return fifo | IIR_NO_INT;
}

void Uart16550::update_irq()
{
    bool l = !(iir() & IIR_NO_INT);
    if (l != level_) {
        level_ = l;
        irq_changed_.notify(sc_core::SC_ZERO_TIME);   // driven by irq_drive, a delta later
    }
}

void Uart16550::irq_drive() { irq.write(level_); }

uint8_t Uart16550::reg_read(unsigned reg)
{
    bool dlab = lcr_ & LCR_DLAB;
    switch (reg) {
    case RBR_THR_DLL:
        if (dlab)
            return dll_;
        if (rx_.empty())
            return 0;
        {
            uint8_t b = rx_.front();
            rx_.pop_front();
            return b;
        }
    case IER_DLM:
        return dlab ? dlm_ : ier_;
    case IIR_FCR: {
        uint8_t v = iir();
        if ((v & 0x0F) == IIR_THRE)
            thre_pending_ = false;   // reading IIR that reports THRE clears it
        return v;
    }
    case LCR:
        return lcr_;
    case MCR:
        return mcr_;
    case LSR: {
        uint8_t v = LSR_THRE | LSR_TEMT | (rx_.empty() ? 0 : LSR_DR) | (overrun_ ? LSR_OE : 0);
        overrun_ = false;   // error bits clear on read
        return v;
    }
    case MSR:
        return msr();
    default:
        return scr_;
    }
}

void Uart16550::reg_write(unsigned reg, uint8_t v)
{
    bool dlab = lcr_ & LCR_DLAB;
    switch (reg) {
    case RBR_THR_DLL:
        if (dlab) {
            dll_ = v;
        } else if (mcr_ & MCR_LOOP) {
            rx_.push_back(v);   // loopback: transmitted to the receiver
            thre_pending_ = true;
        } else {
            sent_++;
            if (sink_)
                sink_(v);
            thre_pending_ = true;   // THR empties at once (instantaneous line)
        }
        break;
    case IER_DLM:
        if (dlab) {
            dlm_ = v;
        } else {
            uint8_t old = ier_;
            ier_ = v & 0x0F;
            if ((ier_ & IER_ETBEI) && !(old & IER_ETBEI))
                thre_pending_ = true;   // THR is empty: enabling ETBEI interrupts at once
        }
        break;
    case IIR_FCR:
        fifo_ = v & FCR_ENABLE;
        if (v & FCR_CLEAR_RX)
            rx_.clear();
        break;
    case LCR:
        lcr_ = v;
        break;
    case MCR:
        mcr_ = v & 0x1F;
        break;
    case SCR:
        scr_ = v;
        break;
    default:   // LSR, MSR: read-only
        break;
    }
}

void Uart16550::b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay)
{
    uint64_t addr = gp.get_address();
    unsigned len = gp.get_data_length();
    unsigned char *data = gp.get_data_ptr();
    if (addr < base_ || addr - base_ >= size_ || (addr - base_) / 4 > SCR || gp.get_byte_enable_ptr() ||
        (len != 1 && len != 4) || gp.get_streaming_width() != len) {
        gp.set_response_status(addr < base_ || addr - base_ >= size_ ? tlm::TLM_ADDRESS_ERROR_RESPONSE
                                                                     : tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    unsigned reg = (unsigned)((addr - base_) / 4);
    if ((addr - base_) % 4) {   // only the low byte of each 32-bit register is a register
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (gp.is_read()) {
        data[0] = reg_read(reg);
        for (unsigned i = 1; i < len; i++)
            data[i] = 0;
    } else if (gp.is_write()) {
        reg_write(reg, data[0]);
    }
    update_irq();
    delay += access_delay;
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}
