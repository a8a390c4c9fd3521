/*
 * What a generator left behind when it could not clean up (SIGKILL of the generator
 * and its workers at once): its objects carry its pid (gen.h), so an object whose
 * generator is no longer running is judged stale (classify.c) and removed on request
 * (--generate-cleanup, or the full-screen program's removal) through remove.c with its
 * identity re-check. FIFOs left unopened are no object of the snapshot: their directory,
 * /tmp/ipctop-gen-PID, is emptied and removed here.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"
#include "nls.h"
#include "remove.h"
#include "snapshot.h"

pid_t gen_object_owner(const struct ipc_object *o)
{
	switch (o->kind) {
	case KIND_SYSV_MSG:
	case KIND_SYSV_SHM:
	case KIND_SYSV_SEM:
		return gen_key_owner(o->key);
	case KIND_POSIX_MQ:
	case KIND_POSIX_SHM:
	case KIND_POSIX_SEM:
		return o->name ? gen_name_owner(o->name, strlen(o->name)) : 0;
	case KIND_UNIX:
		return o->name ? gen_path_owner(o->name) : 0;
	default:
		return 0;
	}
}

/* Whether pid is a running ipctop (by /proc, for the directories). */
static bool generator_running(pid_t pid)
{
	char path[64], comm[32];
	FILE *f;
	bool yes = false;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno != ENOENT;         /* unreadable: assume it runs */
	if (fgets(comm, sizeof(comm), f))
		yes = strcmp(comm, "ipctop\n") == 0;
	fclose(f);
	return yes;
}

/* Empty and remove one generator's directory: only FIFOs and sockets in it, never
 * following a link; the directory must be root's or ours. */
static int clean_dir(int tmp, const char *name, bool dry_run, FILE *out)
{
	int fd = openat(tmp, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	int rc = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || (st.st_uid != 0 && st.st_uid != geteuid())) {
		close(fd);
		return 0;
	}
	DIR *d = fdopendir(fd);
	struct dirent *de;

	if (!d) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d))) {
		struct stat fst;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(fd, de->d_name, &fst, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISFIFO(fst.st_mode) && !S_ISSOCK(fst.st_mode))
			continue;
		if (dry_run) {
			fprintf(out, _("would remove /tmp/%s/%s: left by ipctop generator (not running)\n"),
				name, de->d_name);
		} else if (unlinkat(fd, de->d_name, 0) < 0 && errno != ENOENT) {
			fprintf(stderr, _("ipctop: cannot remove /tmp/%s/%s: %s\n"), name, de->d_name,
				strerror(errno));
			rc = -1;
		} else {
			fprintf(out, _("removed /tmp/%s/%s: left by ipctop generator (not running)\n"), name,
				de->d_name);
		}
	}
	closedir(d);
	if (dry_run) {
		fprintf(out, _("would remove directory /tmp/%s\n"), name);
	} else if (unlinkat(tmp, name, AT_REMOVEDIR) < 0) {
		if (errno != ENOENT) {
			fprintf(stderr, _("ipctop: cannot remove directory /tmp/%s: %s\n"), name,
				strerror(errno));
			rc = -1;
		}
	} else {
		fprintf(out, _("removed directory /tmp/%s\n"), name);
	}
	return rc;
}

int gen_cleanup_dirs(bool dry_run, pid_t only, FILE *out)
{
	int tmp = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (tmp < 0)
		return 0;
	DIR *d = fdopendir(dup(tmp));
	struct dirent *de;

	if (!d) {
		close(tmp);
		return -1;
	}
	while ((de = readdir(d))) {
		char path[300];
		pid_t pid;

		snprintf(path, sizeof(path), "/tmp/%s/", de->d_name);
		pid = gen_path_owner(path);
		if (pid <= 0 || (only && pid != only) || generator_running(pid))
			continue;
		/* exactly "ipctop-gen-PID" */
		char want[64];

		snprintf(want, sizeof(want), GEN_POSIX_PREFIX "%d", (int)pid);
		if (strcmp(de->d_name, want) != 0)
			continue;
		if (clean_dir(tmp, de->d_name, dry_run, out) < 0)
			rc = -1;
	}
	closedir(d);
	close(tmp);
	return rc;
}

int gen_cleanup_main(bool dry_run, pid_t only)
{
	struct collect_opts co = {
		.kinds = KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_SYSV_SEM) |
			 KIND_BIT(KIND_POSIX_MQ) | KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM) |
			 KIND_BIT(KIND_UNIX)
	};
	struct snapshot *snap = snapshot_new();
	int rc = EXIT_SUCCESS;

	snapshot_collect(snap, &co);
	for (size_t i = 0; i < snap->nobjects; i++) {
		const struct ipc_object *t = &snap->objects[i];
		char msg[1024];
		const char *why;

		if (!t->stale || !t->stale_text || gen_object_owner(t) <= 0 ||
		    (only && gen_object_owner(t) != only))
			continue;

		char *desc = removal_describe(t, false);

		if (!removal_supported(t, &why)) {
			fprintf(stderr, _("ipctop: %s looks stale but cannot be removed: %s\n"), desc, _(why));
			rc = EXIT_FAILURE;
		} else if (dry_run) {
			printf(_("would remove %s: stale: %s\n"), desc, t->stale_reason);
		} else if (remove_object_flags(t, REMOVE_IF_UNUSED, msg, sizeof(msg)) == 0) {
			printf(_("removed %s: stale: %s\n"), desc, t->stale_reason);
		} else {
			fprintf(stderr, "ipctop: %s\n", msg);
			rc = EXIT_FAILURE;
		}
		free(desc);
	}
	snapshot_free(snap);
	if (gen_cleanup_dirs(dry_run, only, stdout) < 0)
		rc = EXIT_FAILURE;
	fflush(stdout);
	return rc;
}
