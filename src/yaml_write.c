/* yaml_write.c — a thin writer over libyaml's event API, shared by `check --yaml` and `explain --yaml`. */
#include "yaml_write.h"

#include <string.h>
#include <strings.h>

bool yw_begin(struct yw *y, FILE *out, bool unicode)
{
	yaml_event_t ev;
	memset(y, 0, sizeof(*y));
	if (!yaml_emitter_initialize(&y->em))
		return false;
	yaml_emitter_set_output_file(&y->em, out);
	if (unicode)
		yaml_emitter_set_unicode(&y->em, 1);
	yaml_emitter_set_width(&y->em, -1);      /* never fold long values: one item, one line */
	yw_emit(y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	yw_emit(y, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0));
	return true;
}

const char *yw_end(struct yw *y)
{
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
	yw_emit(y, &ev, yaml_stream_end_event_initialize(&ev));
	/* libyaml's problem texts are string constants: still valid once the emitter is gone */
	const char *problem = NULL;
	if (y->failed)
		problem = y->em.problem ? y->em.problem : "cannot write the output";
	else if (!yaml_emitter_flush(&y->em))
		problem = y->em.problem ? y->em.problem : "cannot write the output";
	yaml_emitter_delete(&y->em);
	return problem;
}

void yw_emit(struct yw *y, yaml_event_t *ev, int ok)
{
	if (!ok) {
		y->failed = true;
		return;
	}
	/* The emitter owns the event from here on, even when it fails. */
	if (y->failed || !yaml_emitter_emit(&y->em, ev))
		y->failed = true;
}

/* Would a YAML 1.1 reader take this plain scalar for something other than a string (a number,
 * a boolean, null, a sexagesimal like 22:23)? Then it is written double-quoted. Plain otherwise;
 * libyaml itself quotes what cannot be plain at all. */
static bool needs_quotes(const char *s)
{
	static const char *const words[] = {
		"false", "n", "no", "null", "off", "on", "true", "y", "yes",
	};
	if (!*s || strchr("0123456789+-.~", *s))
		return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

void yw_scalar(struct yw *y, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1, style);
	yw_emit(y, &ev, ok);
}

void yw_str(struct yw *y, const char *s)
{
	if (!s)
		yw_scalar(y, "null", YAML_PLAIN_SCALAR_STYLE);
	else
		yw_scalar(y, s, needs_quotes(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
}

void yw_int(struct yw *y, long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld", v);
	yw_scalar(y, buf, YAML_PLAIN_SCALAR_STYLE);
}

void yw_bool(struct yw *y, bool v)
{
	yw_scalar(y, v ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
}

void yw_key(struct yw *y, const char *k)
{
	yw_scalar(y, k, YAML_PLAIN_SCALAR_STYLE);
}

void yw_kv_str(struct yw *y, const char *k, const char *v)
{
	yw_key(y, k);
	yw_str(y, v);
}

void yw_kv_int(struct yw *y, const char *k, long v)
{
	yw_key(y, k);
	yw_int(y, v);
}

void yw_kv_bool(struct yw *y, const char *k, bool v)
{
	yw_key(y, k);
	yw_bool(y, v);
}

void yw_map(struct yw *y, bool flow)
{
	yaml_event_t ev;
	int ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
						     flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	yw_emit(y, &ev, ok);
}

void yw_map_end(struct yw *y)
{
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

void yw_seq(struct yw *y, bool flow)
{
	yaml_event_t ev;
	int ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
						      flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	yw_emit(y, &ev, ok);
}

void yw_seq_end(struct yw *y)
{
	yaml_event_t ev;
	yw_emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}
