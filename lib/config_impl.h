/*
 * config_impl.h: what the configuration's grammar (config.c) and its database side
 * (config_db.c) share; for those two files only, as reader_impl.h is for the readers.
 *
 *     if (kpr_config_reject(&problems, cfg->file) > 0) return KPR_EINPUT;
 *     const struct kpr_config_region *parent = kpr_config_find_region(cfg, r->parent);
 */
#ifndef KPR_CONFIG_IMPL_H
#define KPR_CONFIG_IMPL_H

#include "config.h"
#include "problems.h"

/*
 * Print the problems in file order and, when there were any, the line saying the file was
 * rejected and nothing written.  Returns how many there were; cannot fail.
 */
size_t kpr_config_reject(struct kpr_problems *ps, const char *file);

/* The region of cfg with this code, or NULL. */
const struct kpr_config_region *kpr_config_find_region(const struct kpr_config *cfg, const char *code);

/* Free what a year holds (not the year itself: years come in arrays). */
void kpr_config_year_release(struct kpr_config_year *y);

#endif
