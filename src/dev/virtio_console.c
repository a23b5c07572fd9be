/*
 * virtio console (Virtual I/O Device (VIRTIO) Version 1.2, section 5.3),
 * the simple form: one port, no VIRTIO_CONSOLE_F_MULTIPORT, so queue 0 is
 * receiveq0 and queue 1 is transmitq0 (Linux: hvc0). Bytes the guest
 * transmits go into the machine's console stream, the same sink and digest
 * as the PL011's output. VIRTIO_CONSOLE_F_EMERG_WRITE is offered: a write
 * to emerg_wr prints its low byte at once. The receive queue gets no input
 * (console input goes to the PL011; docs/virtio.md).
 */
#include <stdlib.h>
#include <string.h>

#include "arm83emu/virtio.h"
#include "core/snapio.h"
#include "dev/virtio.h"
#include "platform/platform_int.h"
#include "trace/trace.h"

#define VIRTIO_CONSOLE_F_SIZE        0
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

#define CONSOLE_RXQ 0
#define CONSOLE_TXQ 1

/* struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr */
#define CFG_MAX_NR_PORTS 4
#define CFG_EMERG_WR     8
#define CFG_LEN          12

#define CONSOLE_CHUNK 4096

typedef struct VirtioConsole {
    Machine *m;
    uint8_t config[CFG_LEN];
    VirtioReq req;
} VirtioConsole;

static void console_notify(VirtioMMIO *t, void *dev, unsigned q)
{
    VirtioConsole *c = dev;
    if (q != CONSOLE_TXQ)
        return;     /* receive buffers stay queued: there is no input */
    uint8_t buf[CONSOLE_CHUNK];
    while (virtq_pop(t, q, &c->req) == 1) {
        for (uint64_t done = 0; done < c->req.out_len;) {
            uint64_t n = virtio_req_read(t, &c->req, done, buf, sizeof buf);
            for (uint64_t i = 0; i < n; i++)
                machine_console_out(c->m, buf[i]);
            done += n;
            if (!n)
                break;
        }
        virtq_push(t, q, &c->req, 0);
    }
    virtq_notify(t, q);
}

static void console_config_write(VirtioMMIO *t, void *dev, uint32_t off, unsigned size,
                                 uint64_t val)
{
    VirtioConsole *c = dev;
    (void)t; (void)size;
    if (off == CFG_EMERG_WR)
        machine_console_out(c->m, (uint8_t)val);
}

/* Snapshots: the configuration space (its bytes are the device's). */
static a83_err console_snap_save(void *dev, SnapWriter *w)
{
    const VirtioConsole *v = dev;
    snap_put(w, v->config, sizeof v->config);
    return A83_OK;
}

static void console_snap_load(void *dev, SnapReader *r)
{
    VirtioConsole *v = dev;
    uint8_t cfg[sizeof v->config];
    snap_get(r, cfg, sizeof cfg);
    if (snap_commit(r))
        memcpy(v->config, cfg, sizeof cfg);
}

static const VirtioDevOps console_ops = {
    .name = "virtio-serial-device",
    .device_id = VIRTIO_ID_CONSOLE,
    .num_queues = 2,
    .queue_notify = console_notify,
    .config_write = console_config_write,
    .destroy = free,
    .snap_save = console_snap_save,
    .snap_load = console_snap_load,
};

a83_err virtio_console_create(Machine *m)
{
    VirtioConsole *c = calloc(1, sizeof *c);
    if (!c)
        return A83_ERR_NOMEM;
    c->m = m;
    c->config[CFG_MAX_NR_PORTS] = 1;
    a83_err err = virtio_mmio_plug(m, &console_ops, c, 1ull << VIRTIO_CONSOLE_F_EMERG_WRITE,
                                   c->config, CFG_LEN);
    if (err)
        free(c);
    return err;
}

a83_err a83_virtio_console_add(a83_machine *m)
{
    if (!m)
        return A83_ERR_ARG;
    return virtio_console_create(m);
}
