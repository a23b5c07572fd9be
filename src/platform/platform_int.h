/*
 * Internal state of the virt board's platform (src/platform): the loaded
 * images and boot parameters, the PL011 UART and the PL031 RTC.
 * Only the src/platform sources and the platform's own tests include this.
 */
#ifndef A83_PLATFORM_INT_H
#define A83_PLATFORM_INT_H

#include "core/machine.h"

/* ---- PL011 UART (Arm PrimeCell UART (PL011) TRM, DDI 0183) ------------- */

#define PL011_FIFO_DEPTH 16

typedef struct PL011 {
    Machine *m;
    /* Scripted/host input queue. The receive FIFO seen by the guest is its
     * first min(len, depth) bytes: bytes move from the host into the FIFO
     * as fast as the guest drains it, so no scripted byte is ever lost. */
    uint8_t *in_buf;
    size_t in_head, in_len, in_cap;
    uint32_t rsr;          /* UARTRSR: receive status (always 0: no line errors) */
    uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
    uint32_t ris_tx;       /* TXRIS latched (set on transmit, cleared by ICR) */
    uint32_t ris_other;    /* CTS/DCD/DSR/RI/FE/PE/BE/OE modem/error bits: stay 0 */
    bool irq_level;        /* current UARTINTR output */
} PL011;

/* Register offsets (PL011 TRM table 3-1) */
#define UARTDR     0x000
#define UARTRSR    0x004   /* read: RSR, write: ECR */
#define UARTFR     0x018
#define UARTILPR   0x020
#define UARTIBRD   0x024
#define UARTFBRD   0x028
#define UARTLCR_H  0x02C
#define UARTCR     0x030
#define UARTIFLS   0x034
#define UARTIMSC   0x038
#define UARTRIS    0x03C
#define UARTMIS    0x040
#define UARTICR    0x044
#define UARTDMACR  0x048
#define UARTPERIPHID0 0xFE0
#define UARTPCELLID0  0xFF0

/* UARTFR bits (TRM 3.3.3) */
#define UARTFR_CTS  (1u << 0)
#define UARTFR_DSR  (1u << 1)
#define UARTFR_DCD  (1u << 2)
#define UARTFR_BUSY (1u << 3)
#define UARTFR_RXFE (1u << 4)
#define UARTFR_TXFF (1u << 5)
#define UARTFR_RXFF (1u << 6)
#define UARTFR_TXFE (1u << 7)
#define UARTFR_RI   (1u << 8)

/* UARTLCR_H.FEN (TRM 3.3.7) */
#define UARTLCR_H_FEN (1u << 4)

/* UARTCR bits (TRM 3.3.8) */
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_LBE    (1u << 7)
#define UARTCR_TXE    (1u << 8)
#define UARTCR_RXE    (1u << 9)
#define UARTCR_RESET  (UARTCR_TXE | UARTCR_RXE)

/* Interrupt bits in IMSC/RIS/MIS/ICR (TRM 3.3.10-3.3.13) */
#define UARTINT_RI  (1u << 0)
#define UARTINT_CTS (1u << 1)
#define UARTINT_DCD (1u << 2)
#define UARTINT_DSR (1u << 3)
#define UARTINT_RX  (1u << 4)
#define UARTINT_TX  (1u << 5)
#define UARTINT_RT  (1u << 6)
#define UARTINT_FE  (1u << 7)
#define UARTINT_PE  (1u << 8)
#define UARTINT_BE  (1u << 9)
#define UARTINT_OE  (1u << 10)
#define UARTINT_ALL 0x7FFu

/* UARTIFLS reset: both trigger levels at 1/2 (TRM 3.3.9) */
#define UARTIFLS_RESET 0x12

/* ---- PL031 RTC (Arm PrimeCell Real Time Clock (PL031) TRM, DDI 0224) ---- */

typedef struct PL031 {
    Machine *m;
    uint64_t epoch;        /* RTCDR value at machine time 0, seconds */
    int64_t offset;        /* added by RTCLR writes: counter = epoch + offset + secs */
    uint32_t mr;           /* RTCMR match register */
    uint32_t lr;           /* RTCLR: the value last loaded */
    uint32_t imsc;         /* RTCIMSC */
    bool ris;              /* RTCRIS: match happened */
    uint32_t cr;           /* RTCCR.RTCStart */
    uint64_t match_at;     /* machine time (cycles) of the next match, or UINT64_MAX */
    bool irq_level;
} PL031;

#define RTCDR    0x000
#define RTCMR    0x004
#define RTCLR    0x008
#define RTCCR    0x00C
#define RTCIMSC  0x010
#define RTCRIS   0x014
#define RTCMIS   0x018
#define RTCICR   0x01C
#define RTCPERIPHID0 0xFE0
#define RTCPCELLID0  0xFF0

/** Default RTC epoch: 2024-01-01T00:00:00Z (docs/board.md). */
#define PL031_DEFAULT_EPOCH 1704067200ull

/* ---- Images and boot ----------------------------------------------------- */

#define PLAT_MAX_IMAGES 32

typedef struct LoadedRange {
    uint64_t base, end;    /* [base, end) PA */
    char what[24];
} LoadedRange;

/* A hypervisor boot module (guest_loader.c, branch xen) */
#define PLAT_MAX_GUEST_MODULES 8
typedef struct GuestModule {
    uint64_t addr, size;       /* [addr, addr+size) PA */
    bool is_kernel;            /* "multiboot,kernel", else "multiboot,ramdisk" */
    char *bootargs;            /* kernel modules: its command line, or NULL */
} GuestModule;

/* A host device described in the generated DTB (a83_dtb_add_device()). */
typedef struct HostDtNode {
    char name[32];
    char *compatible;
    uint64_t base, size;
    unsigned intid;            /* 0 = none */
    char *prop_name[A83_DT_MAX_PROPS];
    uint32_t prop_value[A83_DT_MAX_PROPS];
    unsigned nprops;
    bool console;
} HostDtNode;

typedef struct Platform {
    Machine *m;
    PL011 uart;
    PL031 rtc;

    LoadedRange images[PLAT_MAX_IMAGES];
    unsigned nimages;

    bool kernel_loaded;
    a83_image_kind kind;
    uint64_t entry;            /* boot PC */
    uint64_t kernel_end;       /* highest byte + 1 the kernel needs (incl. bss) */
    bool initrd_loaded;
    uint64_t initrd_start, initrd_end;
    char *bootargs;            /* NULL = none */
    void *user_dtb;            /* -dtb FILE contents, or NULL */
    size_t user_dtb_size;
    uint64_t dtb_pa;           /* set by a83_boot() */
    uint64_t dtb_size;
    /* -device guest-loader modules (guest_loader.c, branch xen) */
    GuestModule guest_modules[PLAT_MAX_GUEST_MODULES];
    unsigned nguest_modules;
    struct VirtioBoard *virtio;   /* src/dev/virtio_mmio.c: the 32 transports */
    HostDtNode host_dt[A83_DT_MAX_DEVICES];   /* a83_dtb_add_device() */
    unsigned nhost_dt;
} Platform;

static inline Platform *plat_of(Machine *m) { return m->plat; }

/* pl011.c */
void pl011_init(PL011 *u, Machine *m);
void pl011_destroy(PL011 *u);
bool pl011_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val);
bool pl011_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val);
a83_err pl011_input(PL011 *u, const void *data, size_t len);
/** Bytes of input the guest has not read yet (host queue + FIFO). */
size_t pl011_pending_input(const PL011 *u);

/* pl031.c */
void pl031_init(PL031 *r, Machine *m);
bool pl031_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val);
bool pl031_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val);
/** Raises the match interrupt if the counter has reached RTCMR at m->now. */
void pl031_advance(PL031 *r);
/** Machine time (cycles) of the next match event, or UINT64_MAX. */
uint64_t pl031_next_event(const PL031 *r);
/** The RTCDR value at machine time m->now. */
uint32_t pl031_counter(const PL031 *r);

/* fdt.c */
/**
 * Builds the board's flattened device tree (docs/board.md) into a newly
 * allocated buffer (*out, *out_size; caller frees). Includes /chosen
 * bootargs and initrd properties from the platform state.
 * Errors: A83_ERR_NOMEM, A83_ERR_FORMAT (libfdt failure, message set).
 */
a83_err fdt_build_virt(Machine *m, void **out, size_t *out_size);

/**
 * Copies a user-supplied DTB into a new buffer with room for /chosen
 * updates, and sets /chosen bootargs and initrd properties if the platform
 * has them (docs/board.md). Errors: A83_ERR_NOMEM, A83_ERR_FORMAT.
 */
a83_err fdt_patch_user(Machine *m, const void *dtb, size_t size, void **out, size_t *out_size);

/* loader.c */
/** A whole file's bytes (plat_file_read()). */
typedef struct PlatFile {
    uint8_t *data;      /**< size bytes, writable (changes stay private) */
    size_t size;
    bool mapped;        /**< mmap'd (else malloc'd): how plat_file_release() frees it */
} PlatFile;

/**
 * Reads the whole file at path, of at most max bytes (so that /dev/zero or
 * a huge file cannot exhaust host memory; limit names max in the message).
 * A regular file is mapped when map is set (MAP_PRIVATE: the loaders copy
 * from the page cache instead of a read buffer, which saves a copy and the
 * buffer's page faults for a kernel Image of tens of MiB), else read into
 * one buffer of its size; anything else (a pipe) is read in growing
 * buffers. Without map the data is malloc'd, and the caller may keep it
 * (and free() it) instead of calling plat_file_release(). An empty file is
 * not an error here (size 0). The file must not be truncated while mapped.
 * Errors (the machine error names the file): A83_ERR_ARG (path NULL),
 * A83_ERR_IO (cannot open or read), A83_ERR_RANGE (larger than max),
 * A83_ERR_NOMEM.
 */
a83_err plat_file_read(Machine *m, const char *path, uint64_t max, const char *limit, bool map,
                       PlatFile *out);
/** Frees what plat_file_read() returned (unmaps or frees); f is emptied. */
void plat_file_release(PlatFile *f);

/** Checks that [pa, pa+len) is inside RAM, outside every MMIO window and
 *  every image loaded so far; sets the machine error naming `what`.
 *  Errors: A83_ERR_RANGE, A83_ERR_OVERLAP. */
a83_err plat_check_range(Machine *m, uint64_t pa, uint64_t len, const char *what);
/** Records [pa, pa+len) as holding `what` (for overlap checks). */
a83_err plat_add_image(Machine *m, uint64_t pa, uint64_t len, const char *what);

/** Internal: sets the RTC epoch (seconds since 1970 at machine time 0). */
void platform_set_rtc_epoch(Machine *m, uint64_t epoch);

/** Internal: the placement chosen by a83_boot(). Any pointer may be NULL. */
void platform_boot_info(Machine *m, uint64_t *entry, uint64_t *dtb_pa, uint64_t *dtb_size);

#endif
