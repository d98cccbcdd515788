/*
 * libFuzzer target for the INI parser on arbitrary files: the text goes
 * through config_load_string() and, as a file (a memfd, read with
 * getline), through config_load_file(); then config_finish().  No crash,
 * no leak (config_free() on every path), and every error names where: the
 * file and a line of it while reading, the file or a route's line when
 * finishing.  What is accepted prints (--check) and equals itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dtlsgw/config.h"
#include "dtlsgw/errors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)
#define MAX_INPUT	16384

/* "PATH:LINE" with LINE from 1 to lines, or PATH alone when bare_ok */
static bool names_line(const char *where, const char *path, size_t lines,
		       bool bare_ok)
{
	size_t n = strlen(path);
	char *end;
	unsigned long line;

	if (strncmp(where, path, n) != 0)
		return false;
	if (where[n] == '\0')
		return bare_ok;
	if (where[n] != ':')
		return false;
	line = strtoul(where + n + 1, &end, 10);
	return *end == '\0' && line >= 1 && line <= lines;
}

static void check_error(const struct config_error *err, const char *path,
			size_t lines, bool loading)
{
	CHECK(memchr(err->where, '\0', sizeof(err->where)) != NULL);
	CHECK(memchr(err->key, '\0', sizeof(err->key)) != NULL);
	CHECK(memchr(err->msg, '\0', sizeof(err->msg)) != NULL);
	CHECK(err->msg[0] != '\0');
	/* out of memory names no line; nothing else may omit it */
	if (strcmp(err->msg, "out of memory") == 0)
		return;
	/* a read error or a key given on no line: the file itself */
	CHECK(names_line(err->where, path, lines, !loading) ||
	      strncmp(err->msg, "read error", 10) == 0);
}

static void accepted(const struct config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f != NULL);
	config_print(cfg, f);
	fclose(f);
	free(buf);
	for (size_t i = 0; i < cfg->nroutes; i++)
		CHECK(config_route_equal(&cfg->routes[i], &cfg->routes[i]));
}

static void one(const char *path, const char *text, size_t lines)
{
	struct config_error err;
	struct config cfg;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	rc = text != NULL ? config_load_string(&cfg, text, path, &err)
			  : config_load_file(&cfg, path, &err);
	if (rc != 0) {
		CHECK(rc == -DTLSGW_ERR_CONFIG || rc == -12 /* ENOMEM */);
		check_error(&err, path, lines, true);
	} else if (config_finish(&cfg, &err) != 0) {
		check_error(&err, path, lines, false);
	} else {
		accepted(&cfg);
	}
	config_free(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, path[64];
	size_t lines = 1;
	int fd;

	if (size > MAX_INPUT)
		return 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	/* the string loader stops at a NUL, as a C string does */
	text = malloc(size + 1);
	CHECK(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	one("fuzz.conf", text, lines);
	free(text);
	/* the file loader reads every byte, NULs included */
	fd = memfd_create("fuzz.conf", MFD_CLOEXEC);
	CHECK(fd != -1);
	CHECK(write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	one(path, NULL, lines);
	close(fd);
	return 0;
}
