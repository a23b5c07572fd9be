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
