/* arena.c — bump allocator in large blocks; the compile frees everything with one arena_free. */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK (64 * 1024)          /* a root's blocks; a child's grow to this from ARENA_FIRST */
#define ARENA_FIRST (4 * 1024)           /* a child's first block: 150 zones make 300 small children */
#define PAGE 4096
_Static_assert(_Alignof(void *) <= ARENA_ALIGN && _Alignof(uint64_t) <= ARENA_ALIGN &&
	       _Alignof(double) <= ARENA_ALIGN, "arena objects must be aligned for these");

/* Where blocks come from. Fresh anonymous pages cost a fault each, the kernel zeroing 4 KiB at a
 * time: ~0.45 ms a megabyte here, against ~0.05 ms for a 2 MiB transparent huge page, which
 * made faults a third of a 10,000-rule compile's run time. So once a tree of arenas has taken
 * SLAB_AFTER bytes, its blocks are cut from SLABs: 2 MiB, aligned and marked for huge pages,
 * unmapped only with the root. A block given back by a freed child (or a reset) goes on the
 * root's spare list and serves the tree's next block of its size, zeroed by memset as far as it
 * was used — the builder frees each source zone's rules while the IR grows, so the peak stays
 * what the tree holds at once. Small trees (a scratch arena, a tiny compile) never take a slab:
 * a huge page would be resident memory they don't need. Requests over SLAB/4 get a mapping of
 * their own, unmapped when their arena goes. */
#define SLAB (2u << 20)
#define SLAB_AFTER (1u << 20)

/* Blocks are mmap'd or cut from mmap'd slabs, so they come zeroed, and a reused block or
 * arena_reset zeroes what it hands out again: arena_alloc is a bump of the pointer. Zeroing
 * object by object was a memset call for each of 300,000 small objects at 150 zones (5 % of the
 * compile), and calloc'd blocks were cleared by calloc again. */
struct block {
	struct block *next;
	size_t size;                /* bytes of data */
	size_t used;                /* bytes of data handed out, once the block is no longer the head */
	bool mapped;                /* a mapping of its own (unmapped when freed), else cut from a slab */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct slab {
	struct slab *next;
};

struct arena {
	struct arena_cursor cur;    /* first: arena_alloc (arena.h) reads it; the head block's free space */
	struct block *head;
	size_t bytes;
	/* A child (arena_new_child) is freed with its parent if not before; its blocks go back to
	 * the root's spare list when it is. */
	bool child;
	struct arena *parent, *kids, *sibling;
	/* the root's, for the whole tree: */
	size_t taken;               /* bytes of blocks made so far */
	struct block *spare;        /* blocks freed with children or resets, for reuse */
	struct slab *slabs;         /* every slab, unmapped with the root */
	unsigned char *slab_next, *slab_end;    /* what the current slab has left */
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

/* Fresh zeroed pages. align (a power of two, or 0) aligns the start, for huge pages; the slack
 * around it is given back at once. */
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

static struct arena *arena_root(struct arena *a)
{
	while (a->parent)
		a = a->parent;
	return a;
}

/* Blocks b… (linked by next) given back: their own mappings unmapped, slab blocks kept for reuse
 * (or, when the root itself goes, left to its slabs). */
static void blocks_release(struct arena *root, struct block *b, bool root_going)
{
	for (struct block *next; b; b = next) {
		next = b->next;
		if (b->mapped) {
			munmap(b, sizeof(*b) + b->size);
		} else if (!root_going) {
			b->next = root->spare;
			root->spare = b;
		}
	}
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	while (a->kids)
		arena_free(a->kids);        /* unlinks itself */
	if (a->head)
		a->head->used = (size_t)(a->cur.next - a->head->data);
	if (a->parent) {
		struct arena **pp = &a->parent->kids;
		while (*pp != a)
			pp = &(*pp)->sibling;
		*pp = a->sibling;
		blocks_release(arena_root(a->parent), a->head, false);
	} else {
		blocks_release(a, a->head, true);
		for (struct slab *sl = a->slabs, *next; sl; sl = next) {
			next = sl->next;
			munmap(sl, SLAB);
		}
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
	blocks_release(arena_root(a), keep->next, false);
	keep->next = NULL;
	memset(keep->data, 0, (size_t)(a->cur.next - keep->data));    /* handed out again: zeroed, as a fresh block is */
	a->cur.next = keep->data;
	a->bytes = sizeof(*keep) + keep->size;
}

/* The size of arena a's next block (header included): a root's are ARENA_BLOCK; a child's start
 * at ARENA_FIRST and double with what it holds, up to ARENA_BLOCK — one source zone's rules are a
 * few KiB at 150 zones and megabytes at 16 zones × 50,000 rules. */
static size_t next_block(const struct arena *a)
{
	if (!a->child)
		return ARENA_BLOCK;
	size_t s = ARENA_FIRST;
	while (s < ARENA_BLOCK && s <= a->bytes)
		s *= 2;
	return s;
}

/* A spare block with room for cap bytes of data and not much more (a 64 KiB block would be
 * wasted on a small child's 4 KiB), zeroed as far as it was used; NULL if none. */
static struct block *spare_take(struct arena *root, size_t cap)
{
	for (struct block **sp = &root->spare; *sp; sp = &(*sp)->next) {
		struct block *b = *sp;
		if (b->size >= cap && b->size / 4 <= cap) {
			*sp = b->next;
			memset(b->data, 0, b->used);
			return b;
		}
	}
	return NULL;
}

/* total bytes (header included, whole pages) for a block: cut from the root's slab, or mapped
 * on its own while the tree is small or when it is too big for a slab. */
static struct block *block_new(struct arena *root, size_t total)
{
	struct block *b;
	root->taken += total;
	if (root->taken > SLAB_AFTER && total <= SLAB / 4) {
		if ((size_t)(root->slab_end - root->slab_next) < total) {
			/* what the old slab has left serves a later, smaller block */
			size_t left = (size_t)(root->slab_end - root->slab_next);
			if (left >= PAGE) {
				struct block *rest = (struct block *)(void *)root->slab_next;
				rest->size = left - sizeof(*rest);
				rest->used = 0;
				rest->mapped = false;
				rest->next = root->spare;
				root->spare = rest;
			}
			struct slab *sl = map_pages(SLAB, SLAB);
			madvise(sl, SLAB, MADV_HUGEPAGE);   /* a hint: failure only costs the faults */
			sl->next = root->slabs;
			root->slabs = sl;
			root->slab_next = (unsigned char *)sl + PAGE;  /* the slab's own header, a page */
			root->slab_end = (unsigned char *)sl + SLAB;
		}
		b = (struct block *)(void *)root->slab_next;
		root->slab_next += total;
		b->mapped = false;
	} else {
		b = map_pages(total, 0);
		b->mapped = true;
	}
	b->size = total - sizeof(*b);
	return b;
}

/* A fresh block for a request the head block has no room for (kept out of line: one call in
 * thousands). */
static __attribute__((noinline)) void *alloc_block(struct arena *a, size_t size)
{
	struct block *b = a->head;
	struct arena *root = arena_root(a);
	/* Oversized requests get a block of their own behind the current one, so the
	 * current block keeps serving small allocations. */
	size_t block = next_block(a);
	bool own = size > block / 4;
	size_t total = own ? (sizeof(struct block) + size + PAGE - 1) & ~(size_t)(PAGE - 1) : block;
	struct block *nb = spare_take(root, own ? size : total - sizeof(struct block));
	if (!nb)
		nb = block_new(root, total);
	nb->used = own ? size : nb->size;       /* a head's is set when another block takes its place */
	a->bytes += sizeof(*nb) + nb->size;
	if (b && own) {
		nb->next = b->next;
		b->next = nb;
	} else {
		if (b)
			b->used = (size_t)(a->cur.next - b->data);
		nb->next = b;
		a->head = nb;
		a->cur.next = nb->data + size;
		a->cur.end = nb->data + (nb->size & ~(size_t)(ARENA_ALIGN - 1));
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
