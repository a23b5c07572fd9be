/* Platform entry points (placeholder until src/platform is written). */
#include "core/modules.h"

a83_err platform_init(Machine *m) { (void)m; return A83_OK; }
void platform_destroy(Machine *m) { (void)m; }

#include "platform/platform.h"
bool platform_firmware_call(CPUState *c, bool is_smc, uint16_t imm)
{
    (void)c; (void)is_smc; (void)imm;
    return false;
}
