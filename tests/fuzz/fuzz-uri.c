/*
 * libFuzzer target for the URIs of listen and forward: uri_parse() on
 * arbitrary text.  What parses formats (uri_format()) to a URI that parses
 * to the same endpoint and formats to the same text again; what does not
 * parse says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)
#define MAX_INPUT	4096
#define FORMATTED	4096	/* 8 parameters of 31 + 3 * 127 bytes fit */

static bool same(const struct endpoint *a, const struct endpoint *b)
{
	if (a->scheme != b->scheme || strcmp(a->host, b->host) != 0 ||
	    a->port != b->port || a->nparams != b->nparams)
		return false;
	for (size_t i = 0; i < a->nparams; i++)
		if (strcmp(a->params[i].key, b->params[i].key) != 0 ||
		    strcmp(a->params[i].value, b->params[i].value) != 0)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[MAX_INPUT + 1], f1[FORMATTED], f2[FORMATTED], err[160];
	struct endpoint a, b;
	unsigned long n;

	if (size > MAX_INPUT)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (uri_parse(s, &a, err, sizeof(err)) != 0) {
		CHECK(err[0] != '\0');
		CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		return 0;
	}
	CHECK(a.nparams <= URI_MAX_PARAMS);
	uri_format(&a, f1, sizeof(f1));
	CHECK(strlen(f1) + 1 < sizeof(f1));	/* never cut */
	if (uri_parse(f1, &b, err, sizeof(err)) != 0)
		abort();	/* what we print, we read back */
	CHECK(same(&a, &b));
	uri_format(&b, f2, sizeof(f2));
	CHECK(strcmp(f1, f2) == 0);
	/* a buffer too small still gets a terminated prefix */
	uri_format(&a, f2, 7);
	CHECK(strlen(f2) < 7 && strncmp(f1, f2, strlen(f2)) == 0);
	for (size_t i = 0; i < a.nparams; i++) {
		const char *v = endpoint_param(&a, a.params[i].key);

		CHECK(v != NULL);
		(void)endpoint_param_uint(&a, a.params[i].key, 0, 65535, 7,
					  &n);
	}
	return 0;
}
