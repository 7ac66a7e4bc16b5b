/* arena.h — one region allocator per compile: everything parsed, resolved or built is freed at once. */
#ifndef SHOREWALL_ARENA_H
#define SHOREWALL_ARENA_H 1

#include <stddef.h>
#include <stdint.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);          /* NULL is a no-op */
/* An arena freed with parent unless arena_free'd before: for what dies before the compile ends
 * (its pages go back to the system when it is freed). */
struct arena *arena_new_child(struct arena *parent);
/* Forget everything allocated so far, keeping one block for what comes next: a scratch arena
 * for what is dead after a step (every pointer into it becomes invalid). */
void arena_reset(struct arena *a);

#define ARENA_ALIGN 8

/* The free space of an arena's current block: struct arena's first member, public only for
 * arena_alloc's inline fast path. */
struct arena_cursor {
	unsigned char *next, *end;  /* end is ARENA_ALIGN-aligned; both NULL before the first block */
};
void *arena_alloc_block_(struct arena *a, size_t size);    /* arena.c: from a fresh block */

/* Zeroed memory, aligned to 8 bytes: enough for every type kept in an arena (pointers, 64-bit
 * integers, doubles; none needs 16, and padding every object to 16 cost 7 % of a large
 * compile's memory). Never returns NULL: out of memory aborts, since a compile
 * that cannot allocate cannot report anything useful either. Inline: the bump of a pointer
 * (blocks come zeroed), called for every rule and match (300,000 times at 150 zones). */
static inline void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_cursor *c = (struct arena_cursor *)(void *)a;
	unsigned char *p = (unsigned char *)(((uintptr_t)c->next + ARENA_ALIGN - 1) & ~(uintptr_t)(ARENA_ALIGN - 1));
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	/* p <= end (end is aligned); size 0 takes the slow path, which never returns NULL */
	if (size - 1 < (size_t)(c->end - p)) {
		c->next = p + size;
		return p;
	}
	return arena_alloc_block_(a, size);
}
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t arena_bytes(const struct arena *a);  /* total reserved, for `check -v` and the bench */

#define arena_new_obj(a, type) ((type *)arena_alloc((a), sizeof(type)))

/* A growable array whose storage lives in the arena (old storage is abandoned on growth, which
 * costs at most as much again as the final array). Use: VEC(struct zone *) zones; vec_push(a, &zones, z); */
#define VEC(type) struct { type *v; size_t n, cap; }
void vec_grow_(struct arena *a, void **v, size_t *cap, size_t elem);
#define vec_push(a, vec, item) do { \
		if ((vec)->n == (vec)->cap) \
			vec_grow_((a), (void **)&(vec)->v, &(vec)->cap, sizeof(*(vec)->v)); \
		(vec)->v[(vec)->n++] = (item); \
	} while (0)

#endif /* SHOREWALL_ARENA_H */
