/*
 * cp/bench_cms.h -- `vmlab bench`'s CMS rows (cp/bench_cms.c): IPL CMS
 * to the first R;, and LISTFILE over 500 files.
 */
#ifndef CP_BENCH_CMS_H
#define CP_BENCH_CMS_H

#include "sim/bench.h"

/* Fill out[0] (cms-ipl) and out[1] (cms-list-500); a line of
 * figures on stderr.  Returns 0, or -1 if CMS did not get there. */
int cp_bench_cms(struct bench_result out[2]);

#endif
