/*
 * The arm83emu command's virtio options (virtio_opts.c): QEMU's -drive,
 * -device virtio-*-device, -chardev and our --seed. docs/cli.md.
 */
#ifndef ARM83EMU_VIRTIO_OPTS_H
#define ARM83EMU_VIRTIO_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "arm83emu/arm83emu.h"
#include "arm83emu/virtio.h"

#define VIRTIO_OPTS_MAX 32

typedef struct DriveOpt {
    char *file, *id;
    unsigned flags;            /* A83_DRIVE_* */
} DriveOpt;

typedef enum { VDEV_BLK, VDEV_RNG, VDEV_SERIAL, VDEV_VIRTCONSOLE, VDEV_NET } VirtioDevKind;

/** -netdev user,id=ID,...: a user-mode network (libslirp). */
typedef struct NetdevOpt {
    char *id;
    a83_netdev_user cfg;
} NetdevOpt;

typedef struct DeviceOpt {
    VirtioDevKind kind;
    char *ref;                 /* drive= or chardev= */
    char *serial;              /* virtio-blk serial= (VIRTIO_BLK_T_GET_ID) */
    int drive;                 /* index into drives[] after virtio_opts_check() */
    int netdev;                /* virtio-net: index into netdevs[] after virtio_opts_check() */
    bool has_mac;              /* virtio-net mac= given */
    uint8_t mac[6];
} DeviceOpt;

typedef struct VirtioOpts {
    DriveOpt drives[VIRTIO_OPTS_MAX];
    unsigned ndrives;
    DeviceOpt devices[VIRTIO_OPTS_MAX];
    unsigned ndevices;
    NetdevOpt netdevs[VIRTIO_OPTS_MAX];
    unsigned nnetdevs;
    char *chardevs[VIRTIO_OPTS_MAX];
    unsigned nchardevs;
    uint64_t seed;             /* --seed: the entropy device's generator key */
} VirtioOpts;

/** -drive ARG. Exits with status 2 on a bad option. */
void virtio_opts_drive(VirtioOpts *o, const char *arg);
/** -netdev ARG (only the user back end). Exits with status 2 on a bad
 *  option. */
void virtio_opts_netdev(VirtioOpts *o, const char *arg);
/** -chardev ARG. Exits with status 2 on a bad option. */
void virtio_opts_chardev(VirtioOpts *o, const char *arg);
/** -device ARG: returns false if ARG is not a virtio device (the caller
 *  handles it); exits with status 2 on a bad virtio device option. */
bool virtio_opts_device(VirtioOpts *o, const char *arg);
/** Resolves drive=/chardev= references once every option is read; exits
 *  with status 2 on an unknown or reused id. */
void virtio_opts_check(VirtioOpts *o);
/** Plugs the devices into m in command-line order; on an error (e.g. an
 *  image that cannot be opened) prints it, destroys m and exits 2. */
void virtio_opts_apply(const VirtioOpts *o, a83_machine *m);
void virtio_opts_free(VirtioOpts *o);

#endif
