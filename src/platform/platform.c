/*
 * The virt board's platform: creation of its devices (PL011 UART at
 * VIRT_UART_BASE, PL031 RTC at VIRT_RTC_BASE), their time hooks and the
 * public console/bootargs API. Memory map: DESIGN.md section 4,
 * docs/board.md.
 */
#include <stdlib.h>
#include <string.h>

#include "core/modules.h"
#include "dev/virtio.h"
#include "platform/guest_loader.h"
#include "platform/platform.h"
#include "platform/platform_int.h"

a83_err platform_init(Machine *m)
{
    Platform *p = calloc(1, sizeof *p);
    if (!p)
        return A83_ERR_NOMEM;
    p->m = m;
    m->plat = p;
    pl011_init(&p->uart, m);
    pl031_init(&p->rtc, m);
    MMIORegion uart = { .name = "pl011", .base = VIRT_UART_BASE, .size = VIRT_UART_SIZE,
                        .read = pl011_read, .write = pl011_write, .opaque = &p->uart };
    MMIORegion rtc = { .name = "pl031", .base = VIRT_RTC_BASE, .size = VIRT_RTC_SIZE,
                       .read = pl031_read, .write = pl031_write, .opaque = &p->rtc };
    a83_err err;
    if ((err = machine_add_mmio(m, &uart)) || (err = machine_add_mmio(m, &rtc)) ||
        (err = virtio_board_init(m)))
        return err;
    return A83_OK;
}

void platform_destroy(Machine *m)
{
    Platform *p = m->plat;
    if (!p)
        return;
    pl011_destroy(&p->uart);
    virtio_board_destroy(m);
    guest_loader_free(m);
    free(p->bootargs);
    free(p->user_dtb);
    for (unsigned i = 0; i < p->nhost_dt; i++) {
        free(p->host_dt[i].compatible);
        for (unsigned k = 0; k < p->host_dt[i].nprops; k++)
            free(p->host_dt[i].prop_name[k]);
    }
    free(p);
    m->plat = NULL;
}

void platform_advance_time(Machine *m)
{
    if (m->plat) {
        pl031_advance(&m->plat->rtc);
        virtio_board_advance(m);
    }
}

bool platform_round_skippable(Machine *m)
{
    /* PL031 works only at its match time (a deadline); a virtio device
     * with an advance() (the network backend's polling) works every round */
    return !m->plat || !virtio_board_advances(m);
}

uint64_t platform_next_event(Machine *m)
{
    if (!m->plat)
        return UINT64_MAX;
    uint64_t r = pl031_next_event(&m->plat->rtc), v = virtio_board_next_event(m);
    return r < v ? r : v;
}

void platform_set_rtc_epoch(Machine *m, uint64_t epoch)
{
    m->plat->rtc.epoch = epoch;
}

a83_err a83_console_input(a83_machine *m, const void *data, size_t len)
{
    if (!m || (!data && len))
        return A83_ERR_ARG;
    return pl011_input(&m->plat->uart, data, len);
}

a83_err a83_set_bootargs(a83_machine *m, const char *bootargs)
{
    if (!m || !bootargs)
        return A83_ERR_ARG;
    char *s = strdup(bootargs);
    if (!s)
        return A83_ERR_NOMEM;
    free(m->plat->bootargs);
    m->plat->bootargs = s;
    return A83_OK;
}

static bool dt_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 31)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr(",._+-", c)))
            return false;
    }
    return true;
}

a83_err a83_dtb_add_device(a83_machine *m, const a83_dt_device *dev)
{
    if (!m || !dev || !dev->name || !dev->compatible)
        return A83_ERR_ARG;
    Platform *p = m->plat;
    if (!dt_name_ok(dev->name)) {
        machine_set_error(m, "device-tree node name \"%s\": 1..31 characters of [a-z0-9,._+-]",
                          dev->name);
        return A83_ERR_ARG;
    }
    if (!dev->compatible[0] || !dev->size || dev->base + dev->size - 1 < dev->base ||
        dev->nprops > A83_DT_MAX_PROPS || (dev->nprops && !dev->props) ||
        (dev->intid && (dev->intid < A83_HOST_INTID_FIRST || dev->intid > A83_HOST_INTID_LAST)))
        return A83_ERR_ARG;
    for (unsigned k = 0; k < dev->nprops; k++)
        if (!dev->props[k].name || !dt_name_ok(dev->props[k].name))
            return A83_ERR_ARG;
    for (unsigned i = 0; i < p->nhost_dt; i++) {
        if ((dev->console && p->host_dt[i].console) ||
            (p->host_dt[i].base == dev->base && !strcmp(p->host_dt[i].name, dev->name))) {
            machine_set_error(m, "device-tree node %s@%llx: a second console or the same node",
                              dev->name, (unsigned long long)dev->base);
            return A83_ERR_ARG;
        }
    }
    if (p->nhost_dt == A83_DT_MAX_DEVICES)
        return A83_ERR_NOMEM;
    HostDtNode n = { 0 };
    strcpy(n.name, dev->name);
    n.base = dev->base;
    n.size = dev->size;
    n.intid = dev->intid;
    n.console = dev->console;
    n.compatible = strdup(dev->compatible);
    bool ok = n.compatible != NULL;
    for (unsigned k = 0; ok && k < dev->nprops; k++) {
        n.prop_name[k] = strdup(dev->props[k].name);
        n.prop_value[k] = dev->props[k].value;
        n.nprops = k + 1;
        ok = n.prop_name[k] != NULL;
    }
    if (!ok) {
        free(n.compatible);
        for (unsigned k = 0; k < n.nprops; k++)
            free(n.prop_name[k]);
        return A83_ERR_NOMEM;
    }
    p->host_dt[p->nhost_dt++] = n;
    return A83_OK;
}
