/* hcx.c run with -cpu max,hcx=off (hcx_off.args): HCRX_EL2 UNDEFINED. */
#include "hcx.c"
