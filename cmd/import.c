/* import.c: kpr import (to be written). */
#include "builtin.h"

const char import_usage[] = N_("usage: kpr import\n");

int cmd_import(int argc, char **argv, struct kpr_ctx *ctx)
{
	(void)argc;
	(void)argv;
	int rc = kpr_ctx_connect(ctx);
	return rc;
}
