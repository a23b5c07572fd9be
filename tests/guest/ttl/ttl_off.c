/* ttl.c run with -cpu max,ttl=off (ttl_off.args): the TTL field is RES0
 * and ignored. */
#include "ttl.c"
