/*
 * The ITS's and the redistributors' LPI state (GICITS, GICLpiRd) and the
 * LPI/ITS constants: what struct GIC holds (gic_internal.h). Separate from
 * gic_its.h (the ITS's functions) so that gic_internal.h needs no header of
 * a unit that includes it back (scripts/include-graph.py). See gic_its.h
 * for the ITS's description.
 */
#ifndef A83_GIC_ITS_STATE_H
#define A83_GIC_ITS_STATE_H

#include <stdbool.h>
#include <stdint.h>

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

#endif
