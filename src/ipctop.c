/* ipctop: a top-like inspector of inter-process communication objects. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "columns.h"
#include "nls.h"
#include "options.h"
#include "render.h"
#include "snapshot.h"
#include "tui.h"
#include "util.h"
#include "xalloc.h"

#define EXIT_USAGE 2
#define MAX_DELAY 86400.0
#define MAX_ITERATIONS 1000000000L
#define MAX_PID 4194304L        /* PID_MAX_LIMIT on 64-bit Linux */

enum format { FORMAT_TEXT, FORMAT_JSON };

struct options {
	bool batch;
	long iterations;            /* 0: unlimited (full-screen default) */
	double delay;
	enum format format;
	struct render_opts render;
	bool list_columns;
	bool readonly;              /* no removal in the full-screen program */
	bool monochrome;
};

enum {
	OPT_ONLY = 0x100,
	OPT_FORMAT,
	OPT_LIST_COLUMNS,
	OPT_PID,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "json", no_argument, NULL, 'J' },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "columns", required_argument, NULL, 'o' },
	{ "sort", required_argument, NULL, 's' },
	{ "reverse", no_argument, NULL, 'r' },
	{ "pid", required_argument, NULL, 'p' },
	{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	printf(_("Usage: %s [options]\n"), "ipctop");
	fputs(_("\nShow every inter-process communication object on this machine: SysV message\n"
		"queues, shared memory and semaphores, POSIX message queues, shared memory and\n"
		"named semaphores, pipes, FIFOs, UNIX sockets, eventfd, signalfd, inotify,\n"
		"timerfd and pidfd descriptors, signals pending and file locks, with the\n"
		"processes holding each, their owners, usage, stale objects and the system\n"
		"limits.\n"), stdout);
	fputs(_("\nOptions:\n"), stdout);
	fputs(_(" -b, --batch              print snapshots as text and exit (default when\n"
		"                            standard output is not a terminal)\n"), stdout);
	fputs(_(" -n, --iterations N       take N snapshots (batch default: 1)\n"), stdout);
	fputs(_(" -d, --delay SECONDS      seconds between snapshots (default: 2)\n"), stdout);
	fputs(_("     --format FORMAT      batch output format: text or json\n"), stdout);
	fputs(_(" -J, --json               same as --batch --format=json\n"), stdout);
	fputs(_("     --only KINDS         only these kinds (comma-separated; see below)\n"), stdout);
	fputs(_(" -o, --columns LIST       text columns to show (comma-separated names;\n"
		"                            a leading '+' adds them to the defaults)\n"), stdout);
	fputs(_(" -s, --sort COLUMN        sort each table by this column\n"), stdout);
	fputs(_(" -r, --reverse            reverse the sort order\n"), stdout);
	fputs(_(" -p, --pid PID            only what this process holds or uses, with a\n"
		"                            summary of it (repeatable)\n"), stdout);
	fputs(_("     --list-columns       list every kind's columns and exit\n"), stdout);
	fputs(_(" -h, --help               show this help and exit\n"), stdout);
	fputs(_(" -V, --version            show the version and exit\n"), stdout);
	fputs(_("\nKinds:"), stdout);
	for (int k = 0, col = 6; k < KIND_COUNT; k++) {
		int w = (int)strlen(kind_classes[k].name) + 2;

		if (col + w > 78) {
			fputs("\n      ", stdout);
			col = 6;
		}
		printf(" %s,", kind_classes[k].name);
		col += w;
	}
	fputs("\n       ", stdout);
	fputs(_("or the groups sysv, posix, events (eventfd to pidfd) and all.\n"), stdout);
	fputs(_("\nExit status: 0 success, 1 failure, 2 wrong options.\n"
		"See ipctop(8) for the columns and the JSON schema.\n"), stdout);
}

static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ipctop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, _(" (see 'ipctop --help')\n"));
	exit(EXIT_USAGE);
}

static void list_columns(void)
{
	for (int k = 0; k < KIND_COUNT; k++) {
		const struct kind_class *kc = &kind_classes[k];

		printf("%s (%s):\n", kc->name, _(kc->title));
		for (const int *c = kc->columns; *c >= 0; c++) {
			bool def = false;

			for (const int *d = kc->defaults; *d >= 0; d++)
				def |= *d == *c;
			printf("  %-20s %-12s %c %s\n", columns[*c].name, columns[*c].header,
			       def ? '*' : ' ', _(columns[*c].help));
		}
	}
	printf(_("\n* shown in text by default\n"));
}

static bool column_shown(const struct options *o, const char *name)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if ((o->render.kinds & (1u << k)) && kind_column_by_name((enum ipc_kind)k, name) >= 0)
			return true;
	return false;
}

static void check_column_names(const struct options *o)
{
	const char *sort = o->render.sort_name;

	if (sort && !column_shown(o, sort))
		usage_error(_("unknown column '%s': no shown kind has it; --list-columns lists them"), sort);
	if (sort && !column_sortable(column_by_name(sort)))
		usage_error(_("invalid value for --sort: column '%s' has no order"), sort);
	for (size_t i = 0; i < o->render.ncolumns; i++)
		if (!column_shown(o, o->render.columns[i]))
			usage_error(_("unknown column '%s': no shown kind has it; --list-columns lists them"),
				    o->render.columns[i]);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->delay = 2.0;
	o->render.kinds = (1u << KIND_COUNT) - 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bn:d:Jo:s:rp:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case 'n':
			if (parse_count(optarg, MAX_ITERATIONS, &o->iterations) < 0)
				usage_error(_("invalid value for --iterations: '%s' (expected a whole "
					      "number from 1 to %ld)"), optarg, MAX_ITERATIONS);
			break;
		case 'd':
			if (parse_seconds(optarg, MAX_DELAY, &o->delay) < 0)
				usage_error(_("invalid value for --delay: '%s' (expected seconds, more "
					      "than 0 and at most %.0f)"), optarg, MAX_DELAY);
			break;
		case OPT_FORMAT:
			o->batch = true;    /* a format is only for batch output */
			if (strcmp(optarg, "text") == 0)
				o->format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o->format = FORMAT_JSON;
			else
				usage_error(_("invalid value for --format: '%s' (expected text or json)"),
					    optarg);
			break;
		case 'J':
			o->batch = true;
			o->format = FORMAT_JSON;
			break;
		case OPT_ONLY: {
			char *bad;

			if (parse_kinds(optarg, &o->render.kinds, &bad) < 0) {
				if (!*bad)
					usage_error(_("invalid value for --only: '%s' has an empty kind name"),
						    optarg);
				usage_error(_("invalid value for --only: unknown kind '%s'"), bad);
			}
			break;
		}
		case 'o': {
			const char *list = optarg;

			free_list(o->render.columns, o->render.ncolumns);
			o->render.columns = NULL;
			o->render.columns_add = *list == '+';
			if (*list == '+')
				list++;
			if (split_list(list, &o->render.columns, &o->render.ncolumns) < 0)
				usage_error(_("invalid value for --columns: '%s' (expected column names "
					      "separated by commas)"), optarg);
			break;
		}
		case 's':
			if (!*optarg)
				usage_error(_("invalid value for --sort: empty column name"));
			o->render.sort_name = optarg;
			break;
		case 'r':
			o->render.reverse = true;
			break;
		case 'p': {
			long pid;

			if (parse_count(optarg, MAX_PID, &pid) < 0)
				usage_error(_("invalid value for --pid: '%s' (expected a process id from 1 "
					      "to %ld)"), optarg, MAX_PID);
			o->render.pids = xreallocarray(o->render.pids, o->render.npids + 1,
						       sizeof(*o->render.pids));
			o->render.pids[o->render.npids++] = (pid_t)pid;
			break;
		}
		case OPT_LIST_COLUMNS:
			o->list_columns = true;
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		case 'V':
			printf("ipctop %s\n", PACKAGE_VERSION);
			exit(EXIT_SUCCESS);
		case ':':
			usage_error(_("option '%s' needs a value"), argv[optind - 1]);
		default:
			/* a long option, possibly given a value it does not take */
			if (strncmp(argv[optind - 1], "--", 2) == 0) {
				if (strchr(argv[optind - 1], '='))
					usage_error(_("option '%s' takes no value"), argv[optind - 1]);
				usage_error(_("unknown option '%s'"), argv[optind - 1]);
			}
			usage_error(_("unknown option '-%c'"), optopt);
		}
	}
	if (optind < argc)
		usage_error(_("unexpected argument '%s'"), argv[optind]);
	if (o->render.kinds == 0)
		usage_error(_("invalid value for --only: no kind given"));
	check_column_names(o);
}

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void sleep_seconds(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };

	while (!stop_requested && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int run_batch(const struct options *o)
{
	struct collect_opts co = { .kinds = o->render.kinds, .pids = o->render.pids,
				   .npids = o->render.npids };
	long n = o->iterations ? o->iterations : 1;
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (long i = 0; i < n && !stop_requested; i++) {
		if (i > 0) {
			sleep_seconds(o->delay);
			if (stop_requested)
				break;
			if (o->format == FORMAT_TEXT)
				putchar('\n');
		}
		struct snapshot *snap = snapshot_new();

		snapshot_collect(snap, &co);
		if (o->format == FORMAT_JSON)
			render_json(stdout, snap, &o->render);
		else
			render_text(stdout, snap, &o->render);
		snapshot_free(snap);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "ipctop: %s: %s\n", _("cannot write output"), strerror(errno));
			return EXIT_FAILURE;
		}
	}
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct options o;

	/* the object and holder arrays of a large machine grow by realloc: served by mmap,
	 * they grow with mremap instead of a copy that briefly needs both */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	setlocale(LC_ALL, "");
#if ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	parse_args(argc, argv, &o);
	o.render.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	int rc;

	if (o.list_columns) {
		list_columns();
		rc = EXIT_SUCCESS;
	} else if (o.batch || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		rc = run_batch(&o);
	} else {
		struct collect_opts co = { .kinds = o.render.kinds, .pids = o.render.pids,
					   .npids = o.render.npids };
		const char *no_color = getenv("NO_COLOR");   /* no-color.org: set and not empty */
		struct tui_opts to = { .delay = o.delay, .readonly = o.readonly,
				       .monochrome = o.monochrome || (no_color && *no_color) };

		rc = tui_run(&co, &o.render, &to);
	}
	free_list(o.render.columns, o.render.ncolumns);
	free(o.render.pids);
	names_cache_free();
	return rc;
}
