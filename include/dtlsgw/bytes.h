/*
 * Big-endian (network order) integers in byte buffers, for the codecs:
 * be_getN reads N bits at p, be_putN writes the low N bits of v at p.
 * be_get/be_put take the width in bytes (at most 8).
 */
#ifndef DTLSGW_BYTES_H
#define DTLSGW_BYTES_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t be_get(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static inline void be_put(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = n; i > 0; i--) {
		p[i - 1] = (uint8_t)v;
		v >>= 8;
	}
}

static inline uint16_t be_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be_get24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t be_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | be_get24(p + 1);
}

static inline uint64_t be_get48(const uint8_t *p)
{
	return (uint64_t)be_get24(p) << 24 | be_get24(p + 3);
}

static inline void be_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void be_put24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	be_put16(p + 1, v);
}

static inline void be_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	be_put24(p + 1, v);
}

static inline void be_put48(uint8_t *p, uint64_t v)
{
	be_put24(p, (uint32_t)(v >> 24));
	be_put24(p + 3, (uint32_t)v);
}

#endif
