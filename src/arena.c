/* arena.c — bump allocator in large blocks; the compile frees everything with one arena_free. */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK (64 * 1024)
_Static_assert(_Alignof(void *) <= ARENA_ALIGN && _Alignof(uint64_t) <= ARENA_ALIGN &&
	       _Alignof(double) <= ARENA_ALIGN, "arena objects must be aligned for these");
/* Once an arena holds this much (a compile of some 2,000 rules), it grows in blocks of HUGE
 * bytes, aligned to HUGE and marked for transparent huge pages: a 50,000-rule compile touched
 * 18,000 fresh 4 KiB pages one fault at a time, a third of its run time in the kernel. */
#define ARENA_HUGE_AFTER (4u << 20)
#define ARENA_HUGE (2u << 20)

/* Blocks are mmap'd, so they come zeroed (the kernel's fresh pages, faulted in as they are
 * used), and arena_reset zeroes what it hands out again: arena_alloc is a bump of the pointer.
 * Zeroing object by object was a memset call for each of 300,000 small objects at 150 zones
 * (5 % of the compile), and calloc'd blocks were cleared by calloc again. */
struct block {
	struct block *next;
	size_t size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct arena_cursor cur;    /* first: arena_alloc (arena.h) reads it; the head block's free space */
	struct block *head;
	size_t bytes;
	/* A child (arena_new_child) is freed with its parent if not before; its pages go back to
	 * the system when it is (mmap'd blocks: a freed malloc block in the middle of the heap
	 * would stay resident). */
	bool child;
	struct arena *parent, *kids, *sibling;
};

/* A child's blocks: larger (fewer mappings for what one source zone holds). */
#define ARENA_CHILD_BLOCK (256 * 1024)

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
	memset(a, 0, sizeof(*a));
	return a;
}

struct arena *arena_new_child(struct arena *parent)
{
	struct arena *a = arena_new();
	a->child = true;
	a->parent = parent;
	a->sibling = parent->kids;
	parent->kids = a;
	return a;
}

static void block_free(struct block *b)
{
	munmap(b, sizeof(*b) + b->size);
}

/* Fresh zeroed pages: the kernel's, faulted in as they are used. align (a power of two, or 0)
 * aligns the block's start, for huge pages; the slack around it is given back at once. */
static void *map_pages(size_t size, size_t align)
{
	size_t span = size + align;
	unsigned char *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		fputs("shorewall: out of memory\n", stderr);
		abort();
	}
	if (!align)
		return m;
	unsigned char *start = (unsigned char *)(((uintptr_t)m + align - 1) & ~(uintptr_t)(align - 1));
	if (start > m)
		munmap(m, (size_t)(start - m));
	if (start + size < m + span)
		munmap(start + size, (size_t)(m + span - (start + size)));
	return start;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	while (a->kids)
		arena_free(a->kids);        /* unlinks itself */
	if (a->parent) {
		struct arena **pp = &a->parent->kids;
		while (*pp != a)
			pp = &(*pp)->sibling;
		*pp = a->sibling;
	}
	for (struct block *b = a->head, *next; b; b = next) {
		next = b->next;
		block_free(b);
	}
	free(a);
}

void arena_reset(struct arena *a)
{
	/* the head block serves small requests: keep it, emptied; the rest (older blocks, and
	 * oversized ones behind it) go */
	struct block *keep = a->head;
	if (!keep)
		return;
	for (struct block *b = keep->next, *next; b; b = next) {
		next = b->next;
		block_free(b);
	}
	keep->next = NULL;
	memset(keep->data, 0, (size_t)(a->cur.next - keep->data));    /* handed out again: zeroed, as a fresh block is */
	a->cur.next = keep->data;
	a->bytes = sizeof(*keep) + keep->size;
}

/* A fresh block for a request the head block has no room for (kept out of line: one call in
 * thousands). */
static __attribute__((noinline)) void *alloc_block(struct arena *a, size_t size)
{
	struct block *b = a->head;
	/* Oversized requests get a block of their own behind the current one, so the
	 * current block keeps serving small allocations. */
	size_t block = a->child ? ARENA_CHILD_BLOCK : ARENA_BLOCK;
	bool own = size > block / 4;
	size_t cap = own ? size : block - sizeof(struct block);        /* whole pages */
	struct block *nb;
	if (!own && !a->child && a->bytes >= ARENA_HUGE_AFTER) {
		nb = map_pages(ARENA_HUGE, ARENA_HUGE);
		cap = ARENA_HUGE - sizeof(*nb);
		madvise(nb, ARENA_HUGE, MADV_HUGEPAGE);     /* a hint: failure only costs the faults */
	} else {
		nb = map_pages(sizeof(*nb) + cap, 0);
	}
	nb->size = cap;
	a->bytes += sizeof(*nb) + cap;
	if (b && own) {
		nb->next = b->next;
		b->next = nb;
	} else {
		nb->next = b;
		a->head = nb;
		a->cur.next = nb->data + size;
		a->cur.end = nb->data + (cap & ~(size_t)(ARENA_ALIGN - 1));
	}
	return nb->data;
}

void *arena_alloc_block_(struct arena *a, size_t size)
{
	if (!size && a->head)   /* nothing asked: no fresh block for it */
		return a->cur.next;
	return alloc_block(a, size);
}

/* The bump itself, as arena_alloc's: align is ARENA_ALIGN for objects, 1 for strings (padding
 * every string to 16 bytes cost a quarter of the memory they take: most are a few bytes). */
static inline __attribute__((always_inline)) void *alloc_raw(struct arena *a, size_t size, size_t align)
{
	unsigned char *p = (unsigned char *)(((uintptr_t)a->cur.next + align - 1) & ~(uintptr_t)(align - 1));
	if (size - 1 < (size_t)(a->cur.end - p))
		a->cur.next = p + size;
	else
		p = alloc_block(a, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = alloc_raw(a, n + 1, 1);
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
	/* most vectors hold one or two elements (a rule's addresses, a side's interfaces): starting
	 * at 2 rather than 8 saved 2.5 MB of a 50,000-rule compile, and costs large ones two more
	 * doublings */
	size_t ncap = *cap ? *cap * 2 : 2;
	void *nv = arena_alloc(a, ncap * elem);
	if (*v)
		memcpy(nv, *v, *cap * elem);
	*v = nv;
	*cap = ncap;
}
