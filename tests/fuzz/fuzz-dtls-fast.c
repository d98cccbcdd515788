/*
 * libFuzzer target for the own record layer (src/dtls_fast.c), which reads
 * what peers send once the TLS library is gone: dtls_fast_next() and
 * dtls_fast_open() on hostile datagrams, and seal/open round trips.
 *
 * Input: a first octet picks the suite (ChaCha20-Poly1305, AES-128-GCM,
 * AES-256-GCM); the rest is datagrams, each a 2-octet big-endian length
 * and that many octets.  A datagram whose first octet is 0xFF is sealed by
 * the client (the rest as plaintext) and must open at the server, once;
 * any other is handed to the server as it is, where no forged record may
 * open.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/dtls_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static const uint16_t suites[] = { 0xCCA9, 0xC02B, 0xC02C };

static struct dtls_fast *make(uint16_t suite, bool client)
{
	struct dtls_keys k;
	struct dtls_fast *f;

	memset(&k, 0, sizeof(k));
	k.suite = suite;
	k.client = client;
	k.max_plaintext = 16384;
	k.epoch = 1;
	k.wseq = 1;
	memset(k.master, 0x42, sizeof(k.master));
	memset(k.client_random, 0xC1, sizeof(k.client_random));
	memset(k.server_random, 0x5E, sizeof(k.server_random));
	CHECK(dtls_fast_create(&f, &k) == 0);
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t sealed[16384 + 64], out[16384 + 64];
	struct dtls_fast *client, *server;
	uint16_t suite;

	if (size < 1)
		return 0;
	suite = suites[data[0] % 3];
	data++;
	size--;
	client = make(suite, true);
	server = make(suite, false);
	while (size >= 2) {
		size_t len = (size_t)data[0] << 8 | data[1];
		const uint8_t *dg = data + 2;
		size_t off = 0, n;
		uint8_t type;

		size -= 2;
		if (len > size)
			len = size;
		data += 2 + len;
		size -= len;
		if (len > 0 && dg[0] == 0xFF) {
			size_t slen;

			if (len - 1 > dtls_fast_max_plaintext(client))
				continue;
			CHECK(dtls_fast_seal(client, DTLS_CT_APPLICATION_DATA,
					     dg + 1, len - 1, sealed,
					     sizeof(sealed), &slen) == 0);
			CHECK(dtls_fast_next(server, sealed, slen, &off, out,
					     sizeof(out), &n, &type));
			CHECK(n == len - 1 && type == DTLS_CT_APPLICATION_DATA);
			CHECK(n == 0 || memcmp(out, dg + 1, n) == 0);
			/* once: the replay is refused */
			off = 0;
			CHECK(!dtls_fast_next(server, sealed, slen, &off, out,
					      sizeof(out), &n, &type));
			continue;
		}
		/* a forgery never opens; the offset stays in the datagram */
		CHECK(!dtls_fast_next(server, dg, len, &off, out, sizeof(out),
				      &n, &type));
		CHECK(off == len);
	}
	dtls_fast_free(client);
	dtls_fast_free(server);
	return 0;
}
