/*
 * The GICv3 Interrupt Translation Service (ITS) and the LPI support of the
 * redistributors (Arm IHI 0069 "GIC architecture specification", chapter 5
 * "Locality-specific Peripheral Interrupts and the ITS" and chapter 6
 * "ITS commands"; registers in 12.19 "The GIC ITS register map").
 *
 * The board's ITS is at VIRT_GITS_BASE (0x0808_0000, as on QEMU's virt
 * board): a 64 KiB control frame (GITS_CTLR ... GITS_BASER<n>) followed by
 * the 64 KiB translation frame holding GITS_TRANSLATER. Every ITS table
 * (device table, collection table, interrupt translation tables) and every
 * LPI table (configuration and pending tables) lives in guest memory; the
 * ITS itself holds only its registers, so that all of its state is the one
 * GICITS struct below (docs/gic.md "ITS and LPIs").
 */
#ifndef A83_GIC_ITS_H
#define A83_GIC_ITS_H

#include <stdbool.h>
#include <stdint.h>

struct a83_machine;

/* ---- LPI INTID space (GICv3 spec 5.1) ------------------------------------------- */
#define GIC_LPI_BASE 8192u                    /* the first LPI INTID */
#define GIC_LPI_ID_BITS 16                    /* GICD_TYPER.IDbits + 1 */
#define GIC_LPI_LIMIT (1u << GIC_LPI_ID_BITS) /* LPIs are INTIDs 8192..65535 */
#define GIC_LPI_WORDS ((GIC_LPI_LIMIT - GIC_LPI_BASE) / 64)

/* ---- ITS geometry (GITS_TYPER, GICv3 spec 12.19.24) ------------------------------ */
#define ITS_DEVBITS 16            /* DeviceIDs 0..65535 (Devbits = 15) */
#define ITS_EVENTBITS 16          /* EventIDs 0..65535 (IDbits = 15) */
#define ITS_CIDBITS 16            /* ICIDs 0..65535 (CIL = 0) */
#define ITS_ENTRY_SIZE 8          /* bytes of a DTE, CTE and ITE (ITT_entry_size = 7) */
#define ITS_NR_BASER 8            /* GITS_BASER0..7 */
#define ITS_CMD_SIZE 32           /* bytes per command (GICv3 spec 6.2) */

/* ITS command numbers (GICv3 spec 6.3 "ITS commands", the CommandType field) */
enum {
    ITS_CMD_MOVI = 0x01, ITS_CMD_INT = 0x03, ITS_CMD_CLEAR = 0x04, ITS_CMD_SYNC = 0x05,
    ITS_CMD_MAPD = 0x08, ITS_CMD_MAPC = 0x09, ITS_CMD_MAPTI = 0x0A, ITS_CMD_MAPI = 0x0B,
    ITS_CMD_INV = 0x0C, ITS_CMD_INVALL = 0x0D, ITS_CMD_MOVALL = 0x0E, ITS_CMD_DISCARD = 0x0F,
};

/* Command errors (GICv3 spec 6.3, the error encodings of each command's
 * pseudocode): bits [15:8] are the command number, bits [7:0] the cause;
 * bits [23:16] = 0x01 mark an ITS command error. */
#define ITS_ERR(cmd, cause) (0x010000u | ((uint32_t)(cmd) << 8) | (cause))
enum {
    ITS_ERR_DEVICE_OOR = 0x01,          /* DeviceID out of range */
    ITS_ERR_SIZE_OOR = 0x02,            /* MAPD ITT size / MAPC, SYNC processor number */
    ITS_ERR_COLLECTION_OOR = 0x03,      /* ICID out of range */
    ITS_ERR_UNMAPPED_DEVICE = 0x04,     /* no valid DTE */
    ITS_ERR_ID_OOR = 0x05,              /* EventID out of range for the device's ITT */
    ITS_ERR_PHYSICALID_OOR = 0x06,      /* pINTID not an implemented LPI */
    ITS_ERR_UNMAPPED_INTERRUPT = 0x07,  /* no valid ITE */
    ITS_ERR_UNMAPPED_COLLECTION = 0x09, /* no valid CTE */
    /* IMPLEMENTATION DEFINED causes (docs/gic.md) */
    ITS_ERR_TABLE_MEMORY = 0xE0,        /* a table or the queue lies outside guest RAM */
    ITS_ERR_UNSUPPORTED = 0xFF,         /* an unknown or unimplemented command */
};
#define ITS_ERR_PROCNUM_OOR ITS_ERR_SIZE_OOR

/** One redistributor's LPI state (GICv3 spec 5.1.1-5.1.3): the LPI base
 *  registers and a host-side copy of its pending table. The pending table
 *  in guest memory is written through on every change, so the copy is a
 *  cache of it (loaded when EnableLPIs goes 0 -> 1). */
typedef struct GICLpiRd {
    uint64_t propbaser;          /* GICR_PROPBASER (12.11.30) */
    uint64_t pendbaser;          /* GICR_PENDBASER (12.11.29), PTZ not kept */
    bool enabled;                /* GICR_CTLR.EnableLPIs */
    uint32_t npend;              /* number of bits set in pend[] */
    uint64_t pend[GIC_LPI_WORDS];/* bit (intid - GIC_LPI_BASE): pending */
} GICLpiRd;

/** The whole ITS state: only registers (the tables are in guest memory). */
typedef struct GICITS {
    uint32_t ctlr;               /* GITS_CTLR.Enabled (Quiescent is derived) */
    uint64_t cbaser;             /* GITS_CBASER (12.19.1) */
    uint64_t cwriter;            /* GITS_CWRITER.Offset (12.19.5), Retry not kept */
    uint64_t creadr;             /* GITS_CREADR.Offset | Stalled (12.19.4) */
    uint64_t baser[ITS_NR_BASER];/* GITS_BASER<n> (12.19.2) */
    uint32_t error;              /* last command error (GITS_A83_ERRR), 0 = none */
    uint64_t commands;           /* commands completed (statistics) */
    uint64_t dropped;            /* translation requests that found no mapping */
} GICITS;

/**
 * Delivers a message-signalled interrupt to the ITS as a write of EventID
 * eventid to GITS_TRANSLATER by the device with DeviceID devid (GICv3 spec
 * 5.2.1). The translation (device table -> ITT -> collection table) reads
 * guest memory; the LPI it finds becomes pending on the target
 * redistributor. Call from the emulation thread only (a device model, a
 * test). Returns 0 if the translation succeeded (the LPI is pending, unless
 * the target redistributor has EnableLPIs = 0, which ignores it), else the command-error
 * encoding (ITS_ERR(0, cause)) of why the request was dropped: the ITS is
 * disabled (cause ITS_ERR_UNSUPPORTED), or the device, event or collection
 * is not mapped or out of range. Dropping is architected: a translation
 * error is never reported to the requester.
 */
uint32_t its_send_msi(struct a83_machine *m, uint32_t devid, uint32_t eventid);

#endif
