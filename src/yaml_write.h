/* yaml_write.h — a thin writer over libyaml's event API, shared by `check --yaml` and `explain --yaml`. */
#ifndef SHOREWALL_YAML_WRITE_H
#define SHOREWALL_YAML_WRITE_H 1

#include <stdbool.h>
#include <stdio.h>
#include <yaml.h>

struct arena;

/* One document being written. The first failure sticks: later calls do nothing, and yw_end()
 * reports it, so writers need not check every call. */
struct yw {
	yaml_emitter_t em;
	bool failed;
	struct arena *arena;        /* the caller's, for the values it formats (yw_begin leaves it NULL) */
};

/* Start a document on out (never folding long values; unicode: write UTF-8 as it is rather than
 * escaped). False when libyaml cannot start: nothing to end then. */
bool yw_begin(struct yw *y, FILE *out, bool unicode);
/* End the document and release the emitter: NULL when all was written, else what went wrong. */
const char *yw_end(struct yw *y);

/* Hand ev to the emitter; ok is the result of the call that initialised ev. */
void yw_emit(struct yw *y, yaml_event_t *ev, int ok);
void yw_scalar(struct yw *y, const char *s, yaml_scalar_style_t style);
/* A string value: NULL is written as null, and what a YAML 1.1 reader would take for a number,
 * a boolean or null is double-quoted. */
void yw_str(struct yw *y, const char *s);
void yw_int(struct yw *y, long v);
void yw_bool(struct yw *y, bool v);
/* Keys are fixed identifiers of a schema: always plain. */
void yw_key(struct yw *y, const char *k);
void yw_kv_str(struct yw *y, const char *k, const char *v);
void yw_kv_int(struct yw *y, const char *k, long v);
void yw_kv_bool(struct yw *y, const char *k, bool v);
void yw_map(struct yw *y, bool flow);
void yw_map_end(struct yw *y);
void yw_seq(struct yw *y, bool flow);
void yw_seq_end(struct yw *y);

#endif /* SHOREWALL_YAML_WRITE_H */
