/* import_projects.c: kpr import projects (being written). */
#include "builtin.h"

int cmd_import_projects(int argc, char **argv, struct kpr_ctx *ctx)
{
	(void)argc;
	(void)argv;
	return kpr_ctx_connect(ctx);
}
