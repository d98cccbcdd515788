/*
 * Temporary directories and files for unit tests: each test that needs
 * files makes its own directory with tmpdir_create() and removes it, with
 * everything in it, with tmpdir_remove().
 */
#ifndef DTLSGW_TEST_TMPDIR_H
#define DTLSGW_TEST_TMPDIR_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMPDIR_PATH_MAX	512

/* Make a fresh directory under $TMPDIR (or /tmp) into dir; 0 or -errno. */
static inline int tmpdir_create(char dir[TMPDIR_PATH_MAX])
{
	const char *base = getenv("TMPDIR");

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	if (snprintf(dir, TMPDIR_PATH_MAX, "%s/dtlsgw-test-XXXXXX", base) >=
	    TMPDIR_PATH_MAX)
		return -ENAMETOOLONG;
	if (mkdtemp(dir) == NULL)
		return -errno;
	return 0;
}

/*
 * Write len bytes of data to dir/name and put that path into path.
 * Returns 0 or -errno.
 */
static inline int tmpdir_write_bytes(const char *dir, const char *name,
				     const void *data, size_t len,
				     char path[TMPDIR_PATH_MAX])
{
	FILE *f;
	int rc = 0;

	if (snprintf(path, TMPDIR_PATH_MAX, "%s/%s", dir, name) >=
	    TMPDIR_PATH_MAX)
		return -ENAMETOOLONG;
	f = fopen(path, "w");
	if (f == NULL)
		return -errno;
	if (len > 0 && fwrite(data, 1, len, f) != len)
		rc = -EIO;
	if (fclose(f) == EOF && rc == 0)
		rc = -errno;
	return rc;
}

/* Same, for a string. */
static inline int tmpdir_write(const char *dir, const char *name,
			       const char *text, char path[TMPDIR_PATH_MAX])
{
	return tmpdir_write_bytes(dir, name, text, strlen(text), path);
}

/* Remove what dir holds (one level: files and empty directories) and dir. */
static inline void tmpdir_remove(const char *dir)
{
	char path[TMPDIR_PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			if (snprintf(path, sizeof(path), "%s/%s", dir,
				     e->d_name) >= (int)sizeof(path))
				continue;
			if (unlink(path) == -1)
				rmdir(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

#endif
