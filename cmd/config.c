/* config.c: kpr config (to be written). */
#include "builtin.h"

const char config_usage[] = N_("usage: kpr config\n");

int cmd_config(int argc, char **argv, struct kpr_ctx *ctx)
{
	(void)argc;
	(void)argv;
	int rc = kpr_ctx_connect(ctx);
	return rc;
}
