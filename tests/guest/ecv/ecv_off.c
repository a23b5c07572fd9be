/* ecv.c run with -cpu max,ecv=off (ecv_off.args): FEAT_ECV absent
 * (ID_AA64MMFR0_EL1.ECV = 0, CNTPOFF_EL2/CNTPCTSS_EL0 UNDEFINED, the
 * CNTHCTL_EL2 ECV bits RES0). */
#include "ecv.c"
