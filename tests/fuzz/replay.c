/* Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so
 * make check runs the seed corpus and saved crashes with any compiler.
 *
 * Usage: replay_TARGET FILE|DIR...   (a directory: every regular file in it, sorted,
 * not descending; names starting with '.' skipped). Prints "replayed N inputs" and
 * exits 0; exits 1 if a file cannot be read. A broken invariant aborts. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t replayed;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, alloc = 0;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == alloc) {
			alloc = alloc ? alloc * 2 : 4096;
			uint8_t *p = realloc(buf, alloc);

			if (!p) {
				fprintf(stderr, "replay: %s: out of memory\n", path);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = p;
		}
		size_t n = fread(buf + len, 1, alloc - len, f);

		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);

	/* an exact-size copy, as libFuzzer gives, so reading past the end is caught */
	uint8_t *data = malloc(len ? len : 1);

	if (!data) {
		free(buf);
		return -1;
	}
	if (len)
		memcpy(data, buf, len);
	free(buf);
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	replayed++;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_dir(const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, by_name), rc = 0;

	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t len = strlen(dir) + strlen(name) + 2;
		char *path = malloc(len);
		struct stat st;

		if (!path) {
			rc = -1;
		} else if (name[0] != '.') {
			snprintf(path, len, "%s/%s", dir, name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path) < 0)
				rc = -1;
		}
		free(path);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode) ? replay_dir(argv[i]) < 0 : replay_file(argv[i]) < 0) {
			rc = 1;
		}
	}
	printf("replayed %zu inputs\n", replayed);
	return rc;
}
