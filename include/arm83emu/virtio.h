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

#define A83_NET_MAX_HOSTFWD 16

/** One port forwarding from the host into the guest network (QEMU's
 *  hostfwd=[tcp|udp]:HOSTADDR:HOSTPORT-GUESTADDR:GUESTPORT). Addresses are
 *  IPv4 in host byte order. */
typedef struct a83_hostfwd {
    bool udp;              /**< UDP instead of TCP */
    uint32_t host_addr;    /**< address bound on the host; 0 = any (INADDR_ANY) */
    uint16_t host_port;    /**< port bound on the host (1..65535) */
    uint32_t guest_addr;   /**< 0 = the first DHCP address (dhcp_start) */
    uint16_t guest_port;   /**< 1..65535 */
} a83_hostfwd;

/** A user-mode network (QEMU's -netdev user), IPv4 only. Addresses in host
 *  byte order; a83_netdev_user_default() gives QEMU's defaults. */
typedef struct a83_netdev_user {
    uint32_t net;          /**< network address (10.0.2.0) */
    uint32_t mask;         /**< netmask (255.255.255.0) */
    uint32_t host;         /**< the gateway / host alias (10.0.2.2) */
    uint32_t dhcp_start;   /**< first address handed out by DHCP (10.0.2.15) */
    uint32_t dns;          /**< the DNS address (10.0.2.3): answers nothing */
    unsigned nhostfwd;     /**< entries used in hostfwd[] */
    a83_hostfwd hostfwd[A83_NET_MAX_HOSTFWD];
} a83_netdev_user;

/** Fills cfg with QEMU's defaults: 10.0.2.0/24, host 10.0.2.2, DHCP from
 *  10.0.2.15, DNS 10.0.2.3, no forwarding. */
A83_API void a83_netdev_user_default(a83_netdev_user *cfg);

/**
 * Adds a virtio-net device (virtio 1.2 section 5.1) on a user-mode network
 * run by libslirp (docs/virtio.md "virtio-net"): DHCP, ARP, ICMP echo to
 * the host address and NAT of TCP/UDP to the host's network, with the
 * forwardings of cfg. mac: 6 bytes, or NULL for QEMU's 52:54:00:12:34:56
 * (+1 in the last byte for each further net device). cfg NULL: defaults.
 * Traffic that stays between guest and slirp is deterministic; bytes from
 * host connections arrive when the host delivers them (not deterministic).
 * Errors: A83_ERR_ARG (NULL m; a mask that is not a contiguous prefix;
 * host, dhcp_start or dns not inside the network or equal to its network
 * or broadcast address; a forwarding port 0 or more than
 * A83_NET_MAX_HOSTFWD; a multicast MAC), A83_ERR_IO (libslirp refused
 * the configuration, or a forwarded host port cannot be bound: in use or
 * not allowed; a83_last_error() says which), A83_ERR_NOMEM (no free
 * transport, host memory).
 */
A83_API a83_err a83_virtio_net_add(a83_machine *m, const uint8_t mac[6],
                                   const a83_netdev_user *cfg);

#ifdef __cplusplus
}
#endif
#endif
