/*
 * libarm83emu: virtio-mmio devices of the virt board (docs/virtio.md).
 *
 * The board always has 32 virtio-mmio transports at 0x0A000000 (0x200
 * apart, SPIs 16-47 = INTIDs 48-79), all described in the generated device
 * tree. Each call below plugs one device into the next free transport,
 * from the highest address down (0x0A003E00 first), as QEMU's virt board
 * assigns -device options, so Linux names the devices as under QEMU.
 * Call them after a83_machine_create() and before a83_run(). All run on
 * the caller's thread; a machine is not thread-safe.
 */
#ifndef ARM83EMU_VIRTIO_H
#define ARM83EMU_VIRTIO_H

#include "arm83emu/arm83emu.h"

#ifdef __cplusplus
extern "C" {
#endif

#define A83_DRIVE_READONLY 0x1u  /**< the guest may not write (VIRTIO_BLK_F_RO) */
#define A83_DRIVE_SNAPSHOT 0x2u  /**< writes stay in host memory, discarded at destroy */

/**
 * Adds a virtio-blk device (virtio 1.2 section 5.2) backed by the raw image
 * `path`. Capacity = file size / 512 (bytes past the last whole sector are
 * not visible). Without A83_DRIVE_SNAPSHOT guest writes go to the file and
 * are on disk (fdatasync) when the guest's VIRTIO_BLK_T_FLUSH completes;
 * with it the file is never written. `id` (may be NULL) is returned by
 * VIRTIO_BLK_T_GET_ID (at most 20 bytes are used).
 * Errors: A83_ERR_ARG (NULL m/path, unknown flag), A83_ERR_IO (the file
 * cannot be opened, is not a regular file or block device, or is empty;
 * a83_last_error() says why), A83_ERR_NOMEM (no free transport, or host
 * memory).
 */
A83_API a83_err a83_virtio_blk_add(a83_machine *m, const char *path, const char *id,
                                   unsigned flags);

/**
 * Adds a virtio-rng entropy device (section 5.4). Its bytes are the stream
 * of SplitMix64 in counter mode keyed by `seed` (docs/virtio.md): the same
 * seed gives the same bytes in every run.
 * Errors: A83_ERR_ARG (NULL m), A83_ERR_NOMEM.
 */
A83_API a83_err a83_virtio_rng_add(a83_machine *m, uint64_t seed);

/**
 * Adds a virtio console (section 5.3, one port, no multiport): what the
 * guest writes to its transmit queue goes into the machine's console
 * stream (the a83_set_console() sink and the console digest), as PL011
 * output does. Its receive queue gets no input.
 * Errors: A83_ERR_ARG (NULL m), A83_ERR_NOMEM.
 */
A83_API a83_err a83_virtio_console_add(a83_machine *m);

#ifdef __cplusplus
}
#endif
#endif
