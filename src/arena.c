/* arena.c — bump allocator in large blocks; the compile frees everything with one arena_free. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t bytes;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("shorewall: out of memory\n", stderr);
		abort();
	}
	return p;
}

struct arena *arena_new(void)
{
	struct arena *a = xmalloc(sizeof(*a));
	a->head = NULL;
	a->bytes = 0;
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

/* arena_alloc without the zeroing, for callers that write every byte they asked for. */
static void *alloc_raw(struct arena *a, size_t size)
{
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct block *b = a->head;
	if (!b || b->size - b->used < size) {
		/* Oversized requests get a block of their own behind the current one, so the
		 * current block keeps serving small allocations. */
		size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
		struct block *nb = xmalloc(sizeof(*nb) + cap);
		nb->used = 0;
		nb->size = cap;
		a->bytes += sizeof(*nb) + cap;
		if (b && cap != ARENA_BLOCK) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += size;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = alloc_raw(a, size);
	memset(p, 0, (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1));
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	/* not zeroed: every string of the configuration passes here (a memset each was 2 %) */
	char *p = alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	/* One formatting pass for the usual short result (chain names: once per zone pair), two only
	 * when it does not fit the stack buffer. */
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_bytes(const struct arena *a)
{
	return a->bytes;
}

void vec_grow_(struct arena *a, void **v, size_t *cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *nv = arena_alloc(a, ncap * elem);
	if (*v)
		memcpy(nv, *v, *cap * elem);
	*v = nv;
	*cap = ncap;
}
