/* cli/add.h — state shared by `cella add` (cmd_add.c: walking and copying) and its library
 * closure (closure.c). Image paths are absolute and lexically normalised ("/lib/x.so"); each
 * is visited once (`seen`), which also ends symlink and dependency cycles. */
#ifndef CELLA_CLI_ADD_H
#define CELLA_CLI_ADD_H

#include <jansson.h>

#include "cli.h"

struct add_ctx {
	int rootfd;		/* the image directory */
	const char *image_name;	/* how messages name it */
	struct strvec ldirs;	/* host loader search directories */
	struct strset seen;	/* image paths already added */
	const char *tree;	/* image path of the --dir tree being added, or NULL */
	json_t *record;		/* added.json: image path -> {host, type, pulled_in_by} */
	size_t files, copied, links, dirs;
	uint64_t copied_bytes;
	int errors;		/* errors of explicitly named paths and their closures */
	int warnings;		/* libraries missing for files found inside --dir trees */
};

/* Adds host path `host` at image path `img` (plus symlink targets and ELF closure).
 * strict: a missing library is an error, else a warning. */
int add_path(struct add_ctx *c, const char *host, const char *img, const char *reason,
	     bool strict);
/* Adds PT_INTERP and DT_NEEDED (recursively) of the ELF file `host` placed at `img`. */
void add_elf_closure(struct add_ctx *c, const char *host, const char *img, bool strict);

#endif
