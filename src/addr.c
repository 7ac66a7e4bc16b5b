/* addr.c — strict IPv4 parsing: every address an admin writes is checked here, once. */
#include "addr.h"

#include "arena.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decimal digit's value, or more than 9 for anything else. Digits tested as '0'…'9' (isdigit's
 * answer in every locale) rather than through the ctype table: every address of every rule
 * passes here. */
static inline unsigned digit(char ch)
{
	return (unsigned)((unsigned char)ch - '0');
}

/* A dotted quad at *s into *out, *s left on what follows it (the callers' quads end at '\0', '/'
 * or '-'): four parts of one to three digits, each at most 255. */
static bool ip4_scan(const char **sp, uint32_t *out)
{
	const char *s = *sp;
	uint32_t a = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = digit(*s);
		if (v > 9)
			return false;
		s++;
		for (int more = 0; more < 2 && digit(*s) <= 9; more++)
			v = v * 10 + digit(*s++);
		if (digit(*s) <= 9 || v > 255)
			return false;       /* a fourth digit, or too large */
		a = a << 8 | v;
		if (part < 3 && *s++ != '.')
			return false;
	}
	*sp = s;
	*out = a;
	return true;
}

/* Dotted quad in [s, end) exactly (end at the string's '\0' or a '/'); *out untouched when it is
 * not one. */
static bool ip4_span(const char *s, const char *end, uint32_t *out)
{
	uint32_t a;
	if (!ip4_scan(&s, &a) || s != end)
		return false;
	*out = a;
	return true;
}

/* A prefix length after '/': one or two digits, at most 32 (a leading zero allowed: "/08"). */
static bool prefix_len(const char *p, uint8_t *out)
{
	if (!isdigit((unsigned char)*p) || strlen(p) > 2)
		return false;
	unsigned len = (unsigned)atoi(p);
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	if (len > 32)
		return false;
	*out = (uint8_t)len;
	return true;
}

bool addr_parse_ip4(const char *s, uint32_t *out)
{
	return ip4_span(s, s + strlen(s), out);
}

bool addr_parse_net(const char *s, struct net4 *out)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= 32)
		return false;
	if (!ip4_span(s, s + n, &out->addr))
		return false;
	out->len = 32;
	return !slash || prefix_len(slash + 1, &out->len);
}

bool addr_parse_item(const char *s, struct addr_item *out, bool allow_dynamic)
{
	memset(out, 0, sizeof(*out));
	if (allow_dynamic && strcmp(s, "dynamic") == 0) {
		out->kind = ADDR_DYNAMIC;
		return true;
	}
	if (s[0] == '+') {
		/* ipset names: letters, digits, '_', '-', '.', optionally [src,dst] flags */
		const char *p = s + 1;
		if (!isalpha((unsigned char)*p))
			return false;
		for (; *p && *p != '['; p++)
			if (!isalnum((unsigned char)*p) && !strchr("_-.", *p))
				return false;
		if (*p == '[') {
			/* Flags and match extensions: "[src,dst]", "[2]", "[src,nomatch]", "[dst,packets>9]";
			 * one bracket pair, closed at the very end, not empty. */
			size_t n = strlen(p);
			if (n < 3 || p[n - 1] != ']')
				return false;
			for (const char *q = p + 1; q < p + n - 1; q++)
				if (!isalnum((unsigned char)*q) && !strchr("_,<>=", *q))
					return false;
		}
		out->kind = ADDR_IPSET;
		out->set = s + 1;
		return true;
	}
	/* the usual element, a network or a range, read in one pass: a dotted quad, then the end,
	 * `/len` or `-` and the range's last address; anything else is no address */
	const char *p = s;
	uint32_t a;
	if (ip4_scan(&p, &a)) {
		if (*p == '-') {
			if (!addr_parse_ip4(p + 1, &out->hi) || a > out->hi)
				return false;
			out->lo = a;
			out->kind = ADDR_RANGE;
			return true;
		}
		out->kind = ADDR_NET;
		out->net.addr = a;
		out->net.len = 32;
		return !*p || (*p == '/' && prefix_len(p + 1, &out->net.len));
	}
	const char *dash = strchr(s, '-');
	if (dash) {
		char lo[32];
		size_t n = (size_t)(dash - s);
		if (n >= sizeof(lo))
			return false;
		memcpy(lo, s, n);
		lo[n] = '\0';
		if (!addr_parse_ip4(lo, &out->lo) || !addr_parse_ip4(dash + 1, &out->hi) || out->lo > out->hi)
			return false;
		out->kind = ADDR_RANGE;
		return true;
	}
	out->kind = ADDR_NET;
	return addr_parse_net(s, &out->net);
}

static bool parse_part(struct arena *a, const char *s, size_t n, struct addr_item **head,
		       bool allow_dynamic, const char **bad)
{
	struct addr_item **tail = head;
	const char *p = s, *end = s + n;
	while (p <= end) {
		/* A comma inside an ipset's [flags] separates flags, not list elements. */
		const char *comma = NULL;
		for (const char *q = p, *open = NULL; q < end && !comma; q++) {
			if (*q == '[')
				open = q;
			else if (*q == ']')
				open = NULL;
			else if (*q == ',' && !open)
				comma = q;
		}
		const char *e = comma ? comma : end;
		char *elem = arena_strndup(a, p, (size_t)(e - p));
		struct addr_item *it = arena_new_obj(a, struct addr_item);
		if (!*elem || !addr_parse_item(elem, it, allow_dynamic)) {
			*bad = elem;
			return false;
		}
		if (it->kind == ADDR_IPSET)
			it->set = elem + 1;
		*tail = it;
		tail = &it->next;
		if (!comma)
			break;
		p = comma + 1;
	}
	return true;
}

bool addr_parse_list(struct arena *a, const char *s, struct addr_list *out, bool allow_dynamic,
		     const char **bad)
{
	out->items = out->excl = NULL;
	*bad = NULL;
	const char *bang = strchr(s, '!');
	size_t n = bang ? (size_t)(bang - s) : strlen(s);
	if (n > 0 && !parse_part(a, s, n, &out->items, allow_dynamic, bad))
		return false;
	if (bang) {
		if (strchr(bang + 1, '!')) {
			*bad = arena_strdup(a, bang);
			return false;
		}
		if (!parse_part(a, bang + 1, strlen(bang + 1), &out->excl, false, bad))
			return false;
	}
	return true;
}

static uint32_t mask_of(uint8_t len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

bool net4_contains(const struct net4 *outer, const struct net4 *inner)
{
	return outer->len <= inner->len && ((outer->addr ^ inner->addr) & mask_of(outer->len)) == 0;
}

bool net4_is_any(const struct net4 *n)
{
	return n->len == 0;
}

/* Two decimal digits per table lookup: an address or port list is most of a rule's text. */
static const char digit_pairs[201] =
	"00010203040506070809" "10111213141516171819" "20212223242526272829" "30313233343536373839"
	"40414243444546474849" "50515253545556575859" "60616263646566676869" "70717273747576777879"
	"80818283848586878889" "90919293949596979899";

/* Decimal digits of v at p, no NUL; returns the end. */
char *addr_put_dec(char *p, unsigned v)
{
	unsigned n = 1, t = v;
	for (; t >= 10000; t /= 10000)
		n += 4;
	n += (t >= 10) + (t >= 100) + (t >= 1000);
	char *e = p + n;
	p = e;
	while (v >= 100) {
		unsigned r = v % 100;
		v /= 100;
		p -= 2;
		p[0] = digit_pairs[2 * r];
		p[1] = digit_pairs[2 * r + 1];
	}
	if (v >= 10) {
		p[-2] = digit_pairs[2 * v];
		p[-1] = digit_pairs[2 * v + 1];
	} else {
		p[-1] = (char)('0' + v);
	}
	return e;
}

/* Copy the n-byte text at s into buf as snprintf(buf, len, "%s", s) would (truncated, NUL-ended). */
static char *put_bounded(char *buf, size_t len, const char *s, size_t n)
{
	if (len == 0)
		return buf;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* Addresses are formatted per rule (net4_format was 10 % of a 50k-rule compile through
 * snprintf): the digits are written by hand, with the same text and truncation as before. */
/* One byte of an address, 1 to 3 digits. */
static inline char *put_u8(char *p, unsigned v)
{
	if (v >= 100) {
		*p++ = v >= 200 ? '2' : '1';
		v %= 100;
	} else if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	p[0] = digit_pairs[2 * v];
	p[1] = digit_pairs[2 * v + 1];
	return p + 2;
}

char *addr_put_ip4(char *p, uint32_t a)
{
	p = put_u8(p, a >> 24);
	*p++ = '.';
	p = put_u8(p, (a >> 16) & 255);
	*p++ = '.';
	p = put_u8(p, (a >> 8) & 255);
	*p++ = '.';
	return put_u8(p, a & 255);
}

char *ip4_format(uint32_t a, char *buf, size_t len)
{
	char t[16];
	return put_bounded(buf, len, t, (size_t)(addr_put_ip4(t, a) - t));
}

char *net4_format(const struct net4 *n, char *buf, size_t len)
{
	char t[32];
	char *e = addr_put_ip4(t, n->addr);
	if (n->len != 32) {
		*e++ = '/';
		e = addr_put_dec(e, n->len);
	}
	return put_bounded(buf, len, t, (size_t)(e - t));
}

char *addr_item_format(const struct addr_item *it, char *buf, size_t len)
{
	char lo[16], hi[16];
	switch (it->kind) {
	case ADDR_NET:
		return net4_format(&it->net, buf, len);
	case ADDR_RANGE:
		snprintf(buf, len, "%s-%s", ip4_format(it->lo, lo, sizeof(lo)), ip4_format(it->hi, hi, sizeof(hi)));
		return buf;
	case ADDR_IPSET:
		snprintf(buf, len, "+%s", it->set);
		return buf;
	case ADDR_DYNAMIC:
		snprintf(buf, len, "dynamic");
		return buf;
	}
	return buf;
}
