/* import_progress.c: kpr import progress (being written). */
#include "builtin.h"

int cmd_import_progress(int argc, char **argv, struct kpr_ctx *ctx)
{
	(void)argc;
	(void)argv;
	return kpr_ctx_connect(ctx);
}
