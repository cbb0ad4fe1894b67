/*
 * yamldoc.h: a small YAML file (the configuration, a --columns mapping) read whole with
 * libyaml's document API and walked along the caller's grammar, each problem kept with its
 * line and column (problems.h) so that all of them are reported, in file order.
 *
 *     if (kpr_yaml_doc_load(&d, buf, len, &problems, 0) && kpr_yaml_walk_mapping(&d, kpr_yaml_doc_root(&d), ...))
 *             kpr_yaml_text(&d, field[0].value, "name", false, &name, &name_at);
 *
 * Whatever the grammar, the walk refuses what would make a file mean something other than it
 * seems: a tag other than YAML's own (an unquoted "!= 0" is the tag "!="), a mapping or list
 * used a second time through an alias (which also rules out "billion laughs"), a key given
 * twice.  Scalars keep their style, so null and "null" differ.  Data files, which may be
 * large, are streamed by yamlin.c instead.
 */
#ifndef KPR_YAMLDOC_H
#define KPR_YAMLDOC_H

#include <stdio.h>
#include <yaml.h>

#include "kpr.h"
#include "problems.h"
#include "strbuf.h"

struct kpr_yaml_doc {
	yaml_parser_t parser;
	yaml_document_t doc;
	bool loaded;			/* doc holds a document */
	unsigned char *seen;		/* per node: walked already (a second walk is an alias) */
	struct kpr_problems *problems;	/* the caller's */
	const char *buf;		/* the text, to place an encoding error */
	size_t len;
	unsigned flags;
};

/* kpr_yaml_doc_load flags */
enum {
	/* A syntax error is libyaml's words alone, as the --columns file has always said it
	 * (the configuration's "YAML syntax: ..." says where the construct began too). */
	KPR_YAML_LIBYAML_WORDS = 1
};

/*
 * Read all of f (already open; path names it in messages) into sb.  A read error: message
 * with the path and the system's reason, KPR_EFILE (sb then holds what was read; release it).
 */
int kpr_yaml_read(FILE *f, const char *path, struct kpr_strbuf *sb) KPR_WARN_UNUSED;

/*
 * Load the first document of buf (which must outlive d).  A syntax or encoding error is added
 * to problems and gives false.  Call kpr_yaml_doc_release() afterwards, whatever this returned.
 */
bool kpr_yaml_doc_load(struct kpr_yaml_doc *d, const char *buf, size_t len, struct kpr_problems *problems,
		       unsigned flags);
/* Does another document follow the loaded one?  true with where it starts; a syntax error in it
 * is a problem (false). */
bool kpr_yaml_doc_next(struct kpr_yaml_doc *d, struct kpr_mark *at);
void kpr_yaml_doc_release(struct kpr_yaml_doc *d);

/* The document's root (NULL: an empty file), and the node of an id from a pair or a list. */
yaml_node_t *kpr_yaml_doc_root(struct kpr_yaml_doc *d);
yaml_node_t *kpr_yaml_node(struct kpr_yaml_doc *d, int id);

struct kpr_mark kpr_yaml_mark(const yaml_node_t *n);
/* A problem at node n. */
void kpr_yaml_problem(struct kpr_yaml_doc *d, const yaml_node_t *n, const char *fmt, ...) KPR_PRINTF(3, 4);
/* A plain ~, null, Null, NULL or nothing, or the tag !!null (a quoted "null" is a text). */
bool kpr_yaml_is_null(const yaml_node_t *n);
/* What n is, for messages: "a mapping", "a list", "null", "a text". */
const char *kpr_yaml_kind(const yaml_node_t *n);

/* Whether n may be used: a tag other than YAML's own is a problem (reported once, here). */
bool kpr_yaml_tag_ok(struct kpr_yaml_doc *d, const yaml_node_t *n);
/* Mark a mapping or list as walked: false (a problem) when it was, i.e. n is an alias. */
bool kpr_yaml_visit(struct kpr_yaml_doc *d, const yaml_node_t *n);
/* The text of a mapping's key k; NULL (a problem) when k is a list or a mapping. */
const char *kpr_yaml_key(struct kpr_yaml_doc *d, const yaml_node_t *k);
/* The key of an earlier pair of map with the same text as pair's, or NULL; the caller words
 * the problem (a hint may suit it). */
const yaml_node_t *kpr_yaml_earlier_key(struct kpr_yaml_doc *d, const yaml_node_t *map, const yaml_node_pair_t *pair);

/* A key a mapping may have; value and key_node are set by kpr_yaml_walk_mapping (NULL: absent). */
struct kpr_yaml_field {
	const char *key;
	bool required;
	yaml_node_t *value;
	yaml_node_t *key_node;
};
#define KPR_YAML_REQ(key) { key, true, NULL, NULL }
#define KPR_YAML_OPT(key) { key, false, NULL, NULL }

/*
 * Match the pairs of a mapping against the fields it may have (what names it in messages):
 * unknown and duplicate keys, keys that are not texts and missing required keys are problems.
 * Returns whether node was a mapping that may be used (not tagged, not an alias).
 */
bool kpr_yaml_walk_mapping(struct kpr_yaml_doc *d, yaml_node_t *node, const char *what, struct kpr_yaml_field *f,
			   size_t nf);

/*
 * The getters: v is a field's value (NULL: absent), key names it in messages.  A value of the
 * wrong kind is a problem and gives false with the output left empty.
 *
 * A text: any scalar, quoted or not, as written (codes may be 131000 or "131000"), and where it
 * is (at may be NULL).  Absent, or null or empty when nullable: *out NULL and true.  Control
 * characters are a problem.  *out is the caller's to free.
 */
bool kpr_yaml_text(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, bool nullable, char **out,
		   struct kpr_mark *at);
/* A text of min..max characters from set (a code); else must, a format with one %s (the text),
 * is the problem and *out is NULL. */
void kpr_yaml_code(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, bool nullable, const char *set,
		   size_t min, size_t max, const char *must, char **out, struct kpr_mark *at);
/* A whole number from min to max, written plain (not quoted); absent is false, unreported. */
bool kpr_yaml_int(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, long min, long max, int *out);
/* true or false, written plain; absent leaves *out alone (true). */
bool kpr_yaml_bool(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, bool *out);
/* A list: its items and how many; null is the empty list. */
bool kpr_yaml_list(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, yaml_node_item_t **items, size_t *n);
/*
 * A list of mappings: its items and a zeroed array of n elements of size bytes (one at least)
 * for what they describe, the caller's to free.  NULL when absent or not a list.
 */
void *kpr_yaml_list_of(struct kpr_yaml_doc *d, yaml_node_t *v, const char *key, size_t size,
		       yaml_node_item_t **items, size_t *n);
/* Item i of such a list: where it is, and its fields as kpr_yaml_walk_mapping matches them. */
bool kpr_yaml_item(struct kpr_yaml_doc *d, const yaml_node_item_t *items, size_t i, const char *what,
		   struct kpr_yaml_field *f, size_t nf, struct kpr_mark *at);

#endif
