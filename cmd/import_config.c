/* import_config.c: kpr import config (being written). */
#include "builtin.h"

int cmd_import_config(int argc, char **argv, struct kpr_ctx *ctx)
{
	(void)argc;
	(void)argv;
	return kpr_ctx_connect(ctx);
}
