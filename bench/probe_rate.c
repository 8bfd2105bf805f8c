#include "probe_rate.h"
int prate_run(struct penv *e, int quick, const int active[PV_COUNT], struct prate_result *r) { (void)e; (void)quick; (void)active; (void)r; return 0; }
