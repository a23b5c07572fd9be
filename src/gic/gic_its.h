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

#include "gic/gic_its_state.h"

struct a83_machine;

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
