/* ipctop: a top-like inspector of inter-process communication objects. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "columns.h"
#include "escape.h"
#include "gen.h"
#include "nls.h"
#include "options.h"
#include "outfile.h"
#include "remove.h"
#include "render.h"
#include "snapshot.h"
#include "strbuf.h"
#include "tui.h"
#include "util.h"
#include "xalloc.h"

#define EXIT_USAGE 2
#define MAX_DELAY 86400.0
#define MAX_ITERATIONS 1000000000L
#define MAX_PID 4194304L        /* PID_MAX_LIMIT on 64-bit Linux */

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS };
#define MAX_METRICS_TOP 100000L

struct options {
	bool batch;
	long iterations;            /* 0: unlimited (full-screen default) */
	double delay;
	enum format format;
	struct render_opts render;
	bool list_columns;
	bool readonly;              /* no removal in the full-screen program */
	bool monochrome;
	/* removal */
	struct remove_spec *specs;  /* --remove and the arguments after the options */
	const char **spec_args;     /* each as given */
	size_t nspecs;
	bool remove, remove_stale, dry_run;
	bool only_given;            /* --only: the kinds --remove-stale considers */
	const char *view_option;    /* the first option that shapes output, e.g. "--json" */
	bool metrics_top_given;
	const char *output;         /* --output: replace this file atomically */
	/* the traffic generator */
	bool generate, generate_cleanup;
	pid_t cleanup_pid;          /* --generate-cleanup=PID: only that generator's */
	struct gen_params gen;
	const char *gen_option;     /* the first generator option, e.g. "--rate" */
	const char *dbus_address;   /* --dbus-address */
	bool all_namespaces;        /* every IPC namespace (default as root) */
	const char *ns_only;        /* --namespace NS */
};

/* Kinds whose objects may be judged stale. */
#define STALE_KINDS (KIND_BIT(KIND_SYSV_MSG) | KIND_BIT(KIND_SYSV_SHM) | KIND_BIT(KIND_SYSV_SEM) | \
		     KIND_BIT(KIND_POSIX_MQ) | KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM) | \
		     KIND_BIT(KIND_UNIX))

enum {
	OPT_ONLY = 0x100,
	OPT_FORMAT,
	OPT_LIST_COLUMNS,
	OPT_PID,
	OPT_REMOVE,
	OPT_REMOVE_STALE,
	OPT_DRY_RUN,
	OPT_READONLY,
	OPT_METRICS_TOP,
	OPT_OUTPUT,
	OPT_GENERATE,
	OPT_GENERATE_CLEANUP,
	OPT_MSG_SIZE,
	OPT_RATE,
	OPT_PATTERN,
	OPT_DURATION,
	OPT_DBUS_ADDRESS,
	OPT_NAMESPACE,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "json", no_argument, NULL, 'J' },
	{ "metrics-top", required_argument, NULL, OPT_METRICS_TOP },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "namespace", required_argument, NULL, OPT_NAMESPACE },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "columns", required_argument, NULL, 'o' },
	{ "sort", required_argument, NULL, 's' },
	{ "reverse", no_argument, NULL, 'r' },
	{ "pid", required_argument, NULL, 'p' },
	{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
	{ "remove", required_argument, NULL, OPT_REMOVE },
	{ "remove-stale", no_argument, NULL, OPT_REMOVE_STALE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "readonly", no_argument, NULL, OPT_READONLY },
	{ "dbus-address", required_argument, NULL, OPT_DBUS_ADDRESS },
	{ "no-color", no_argument, NULL, 'C' },
	{ "generate", required_argument, NULL, OPT_GENERATE },
	{ "generate-cleanup", optional_argument, NULL, OPT_GENERATE_CLEANUP },
	{ "msg-size", required_argument, NULL, OPT_MSG_SIZE },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "pattern", required_argument, NULL, OPT_PATTERN },
	{ "duration", required_argument, NULL, OPT_DURATION },
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
		"timerfd, pidfd and epoll descriptors, pseudo-terminals, memfd files, shared\n"
		"anonymous and file mappings, signals pending and file locks, with the\n"
		"processes holding each, their owners, usage, stale objects and the system\n"
		"limits.\n"), stdout);
	fputs(_("\nOptions:\n"), stdout);
	fputs(_(" -b, --batch              print snapshots as text and exit (default when\n"
		"                            standard output is not a terminal)\n"), stdout);
	fputs(_(" -n, --iterations N       take N snapshots (batch default: 1)\n"), stdout);
	fputs(_(" -d, --delay SECONDS      seconds between snapshots (default: 2)\n"), stdout);
	fputs(_("     --format FORMAT      batch output format: text, json or prometheus\n"
		"                            (metrics in the Prometheus text format)\n"), stdout);
	fputs(_(" -J, --json               same as --batch --format=json\n"), stdout);
	fputs(_("     --output FILE        write each snapshot to FILE instead of standard\n"
		"                            output, replacing it atomically (batch mode)\n"), stdout);
	fputs(_("     --metrics-top N      prometheus: how many of the deepest queues and\n"
		"                            fullest listeners to show (default: 5)\n"), stdout);
	fputs(_("     --only KINDS         only these kinds (comma-separated; see below)\n"), stdout);
	fputs(_(" -o, --columns LIST       text columns to show (comma-separated names;\n"
		"                            a leading '+' adds them to the defaults)\n"), stdout);
	fputs(_(" -s, --sort COLUMN        sort each table by this column\n"), stdout);
	fputs(_(" -r, --reverse            reverse the sort order\n"), stdout);
	fputs(_("     --namespace NS       one IPC namespace's SysV and POSIX objects, and of\n"
		"                            the other kinds those its processes hold: its\n"
		"                            inode number or its container (docker:ID, the ID\n"
		"                            or name alone); 'own': ipctop's SysV and POSIX\n"
		"                            objects, no other namespace entered; 'all'\n"
		"                            (default as root) for every one\n"), stdout);
	fputs(_(" -p, --pid PID            only what this process holds or uses, with a\n"
		"                            summary of it (repeatable)\n"), stdout);
	fputs(_("     --list-columns       list every kind's columns and exit\n"), stdout);
	fputs(_("     --remove SPEC...     remove these objects (SPEC: see below), each only\n"
		"                            if it is still the one just listed, and exit\n"), stdout);
	fputs(_("     --remove-stale       remove every object that looks stale (with --only:\n"
		"                            of those kinds), and exit\n"), stdout);
	fputs(_("     --dry-run            with --remove or --remove-stale: say what would be\n"
		"                            removed, and remove nothing\n"), stdout);
	fputs(_("     --readonly           never remove anything: the full-screen program\n"
		"                            offers no removal, --remove is refused\n"), stdout);
	fputs(_("     --dbus-address ADDR  also read the D-Bus bus at this address (e.g.\n"
		"                            unix:path=/run/user/1000/bus), besides the system\n"
		"                            bus and the session buses found through their\n"
		"                            daemons' sockets\n"), stdout);
	fputs(_(" -C, --no-color           no colors in the full-screen program\n"), stdout);
	fputs(_("     --generate SPEC      generate traffic between pairs of worker processes\n"
		"                            (SPEC: see below), print the results and exit\n"), stdout);
	fputs(_("     --msg-size BYTES     with --generate: message size (default 64, 32 to\n"
		"                            1048576; eventfd always carries 8 bytes)\n"), stdout);
	fputs(_("     --rate N             with --generate: at most N messages/s per pair\n"
		"                            (default: as fast as possible)\n"), stdout);
	fputs(_("     --pattern PATTERN    with --generate: stream (one way, default) or\n"
		"                            pingpong (each message sent back: round trips)\n"), stdout);
	fputs(_("     --duration SECONDS   with --generate: how long (default 10)\n"), stdout);
	fputs(_("     --generate-cleanup[=PID]\n"
		"                          remove what generators no longer running left\n"
		"                            behind (only generator PID's if given; with\n"
		"                            --dry-run: only list it), and exit\n"), stdout);
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
	fputs(_("or the groups sysv, posix, events (eventfd to pidfd, and epoll), sockets\n"
		"       (unix, inet, netlink), shm (sysv_shm, posix_shm, memfd, shared_anon,\n"
		"       shared_file) and all.\n"), stdout);
	fputs(_("\nSPEC for --remove, one object each:\n"
		"  sysv_msg:ID, sysv_shm:ID, sysv_sem:ID\n"
		"                                a SysV id, or key:KEY for its key (msg, shm\n"
		"                                and sem work too, as in ipcrm)\n"
		"  posix_mq:NAME, posix_shm:NAME, posix_sem:NAME\n"
		"                                a name, with or without the leading '/'\n"
		"  fifo:PATH, unix:PATH          an absolute path\n"), stdout);
	fputs(_("\nSPEC for --generate: mechanisms separated by commas, each NAME or NAME:N\n"
		"for N pairs (1 to 32): pipe, fifo, unix-stream, unix-dgram, unix-seqpacket,\n"
		"socketpair, posix-mq, sysv-msg, posix-shm, sysv-shm, eventfd, tcp, or all.\n"
		"Objects are named /ipctop-gen-PID-..., /tmp/ipctop-gen-PID/..., SysV keys\n"
		"0xF0000000 to 0xF7FFFFFF.\n"), stdout);
	fputs(_("\nExit status: 0 success, 1 failure (with --remove: something was not\n"
		"removed), 2 wrong options.\n"
		"See ipctop(8) for the columns, the JSON schema and removing objects.\n"), stdout);
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

/* A command-line value as it may be shown: escaped, so that it cannot drive the terminal
 * (the message exits the program: never freed). */
static const char *arg_text(const char *s)
{
	return text_escape(s, strlen(s), locale_is_utf8(), NULL);
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
		usage_error(_("invalid value for --sort: unknown column '%s': no shown kind has it; "
			      "--list-columns lists them"), arg_text(sort));
	if (sort && !column_sortable(column_by_name(sort)))
		usage_error(_("invalid value for --sort: column '%s' has no order"), arg_text(sort));
	for (size_t i = 0; i < o->render.ncolumns; i++)
		if (!column_shown(o, o->render.columns[i]))
			usage_error(_("invalid value for --columns: unknown column '%s': no shown kind "
				      "has it; --list-columns lists them"), arg_text(o->render.columns[i]));
}

/* Options that shape what is shown have no place beside --remove: remember the first. */
static void note_view_option(struct options *o, const char *name)
{
	if (!o->view_option)
		o->view_option = name;
}

static void add_remove_spec(struct options *o, const char *arg)
{
	struct remove_spec sp;
	char err[512];

	if (remove_spec_parse(arg, &sp, err, sizeof(err)) < 0) {
		usage_error(_("invalid object for --remove: '%s': %s"), arg_text(arg), err);
	}
	o->specs = xreallocarray(o->specs, o->nspecs + 1, sizeof(*o->specs));
	o->spec_args = xreallocarray(o->spec_args, o->nspecs + 1, sizeof(*o->spec_args));
	o->specs[o->nspecs] = sp;
	o->spec_args[o->nspecs++] = arg;
}

static void note_gen_option(struct options *o, const char *name)
{
	if (!o->gen_option)
		o->gen_option = name;
}

static void check_generate_options(const struct options *o)
{
	if (o->gen_option && !o->generate)
		usage_error(_("%s needs --generate"), o->gen_option);
	if (o->generate_cleanup && (o->generate || o->remove || o->remove_stale))
		usage_error(_("--generate-cleanup cannot be used with %s"),
			    o->generate ? "--generate" : o->remove ? "--remove" : "--remove-stale");
	if (o->generate && (o->remove || o->remove_stale))
		usage_error(_("--generate cannot be used with %s"), o->remove ? "--remove" : "--remove-stale");
	if (o->generate && o->view_option && strcmp(o->view_option, "--format") != 0 &&
	    strcmp(o->view_option, "--json") != 0)
		usage_error(_("%s cannot be used with --generate"), o->view_option);
	if (o->generate_cleanup && o->view_option)
		usage_error(_("%s cannot be used with --generate-cleanup"), o->view_option);
}

static void check_removal_options(const struct options *o)
{
	const char *mode = o->remove ? "--remove" : "--remove-stale";

	if (!o->remove && !o->remove_stale) {
		if (o->dry_run && !o->generate_cleanup)
			usage_error(_("--dry-run needs --remove or --remove-stale"));
		return;
	}
	if (o->remove && o->remove_stale)
		usage_error(_("--remove and --remove-stale cannot be used together"));
	if (o->view_option)
		usage_error(_("%s cannot be used with %s: removal shows no snapshot"), o->view_option, mode);
	if (o->remove && o->only_given)
		usage_error(_("--only cannot be used with --remove: each object names its kind"));
	if (o->remove_stale && !(o->render.kinds & STALE_KINDS))
		usage_error(_("invalid value for --only: with --remove-stale it needs a kind that can be "
			      "stale (sysv_msg, sysv_shm, sysv_sem, posix_mq, posix_shm, posix_sem)"));
}

/* What is wrong with a long option getopt_long refused, said once, naming it. */
static void __attribute__((noreturn)) long_option_error(const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	const struct option *match = NULL;
	struct strbuf all = { 0 };
	size_t n = 0;

	for (const struct option *lo = long_options; lo->name; lo++) {
		if (strncmp(lo->name, arg + 2, len) != 0)
			continue;
		if (strlen(lo->name) == len) {          /* exact: no ambiguity */
			match = lo;
			n = 1;
			break;
		}
		match = lo;
		strbuf_printf(&all, "%s--%s", n++ ? ", " : "", lo->name);
	}
	if (n == 0)
		usage_error(_("unknown option '%s'"), arg_text(eq ? strndupa(arg, (size_t)(eq - arg)) : arg));
	if (n > 1)
		usage_error(_("ambiguous option '%s': %s"), arg_text(arg), all.s);
	if (eq && match->has_arg == no_argument)
		usage_error(_("option '--%s' takes no value"), match->name);
	usage_error(_("unknown option '%s'"), arg_text(arg));
}

/* Metrics are totals and the top few: options that pick rows or columns do not apply. */
static void check_metrics_options(const struct options *o)
{
	if (o->format != FORMAT_PROMETHEUS) {
		if (o->metrics_top_given)
			usage_error(_("--metrics-top needs --format=prometheus"));
		return;
	}
	if (o->render.npids)
		usage_error(_("--pid cannot be used with --format=prometheus (metrics carry no pids)"));
	if (o->render.columns)
		usage_error(_("--columns cannot be used with --format=prometheus"));
	if (o->render.sort_name || o->render.reverse)
		usage_error(_("--sort and --reverse cannot be used with --format=prometheus"));
}

/* What --namespace may name: an inode, or a container's id or name (runtime:id). */
static bool namespace_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 256)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._:-", *s))
			return false;
	return true;
}

/* The syntax of a D-Bus address: TRANSPORT:KEY=VALUE,... entries separated by ';'
 * (values escaped with %XX where needed; printable ASCII without spaces). */
static bool dbus_address_valid(const char *a)
{
	if (!*a)
		return false;
	for (const char *p = a; *p;) {
		const char *t = p;

		while (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
			p++;
		if (p == t || *p++ != ':')
			return false;
		while (*p && *p != ';') {
			const char *k = p;

			while (*p && *p != '=' && *p != ',' && *p != ';')
				p++;
			if (p == k || *p++ != '=')
				return false;
			while (*p && *p != ',' && *p != ';') {
				if (*p <= ' ' || *p > '~')
					return false;
				p++;
			}
			if (*p == ',' && (p[1] == '\0' || p[1] == ';' || p[1] == ','))
				return false;
			if (*p == ',')
				p++;
		}
		if (*p == ';')
			p++;
	}
	return true;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->delay = 2.0;
	o->gen.msg_size = GEN_DEFAULT_MSG;
	o->gen.duration = GEN_DEFAULT_DURATION;
	o->render.kinds = (1u << KIND_COUNT) - 1;
	o->render.metrics_top = 5;
	/* entering other namespaces needs root (CAP_SYS_ADMIN) */
	o->all_namespaces = geteuid() == 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bn:d:Jo:s:rp:ChV", long_options, NULL)) != -1) {
		switch (c) {
		case 'b':
			note_view_option(o, "--batch");
			o->batch = true;
			break;
		case 'n':
			note_view_option(o, "--iterations");
			if (parse_count(optarg, MAX_ITERATIONS, &o->iterations) < 0)
				usage_error(_("invalid value for --iterations: '%s' (expected a whole "
					      "number from 1 to %ld)"), arg_text(optarg), MAX_ITERATIONS);
			break;
		case 'd':
			note_view_option(o, "--delay");
			if (parse_seconds(optarg, MAX_DELAY, &o->delay) < 0)
				usage_error(_("invalid value for --delay: '%s' (expected seconds, more "
					      "than 0 and at most %.0f)"), arg_text(optarg), MAX_DELAY);
			break;
		case OPT_FORMAT:
			note_view_option(o, "--format");
			o->batch = true;    /* a format is only for batch output */
			if (strcmp(optarg, "text") == 0)
				o->format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o->format = FORMAT_JSON;
			else if (strcmp(optarg, "prometheus") == 0)
				o->format = FORMAT_PROMETHEUS;
			else
				usage_error(_("invalid value for --format: '%s' (expected text, json or "
					      "prometheus)"), arg_text(optarg));
			break;
		case OPT_OUTPUT:
			note_view_option(o, "--output");
			if (!*optarg)
				usage_error(_("invalid value for --output: empty file name"));
			o->output = optarg;
			o->batch = true;
			break;
		case OPT_NAMESPACE:
			if (!namespace_name_valid(optarg))
				usage_error(_("invalid value for --namespace: '%s' (expected all, own, an IPC "
					      "namespace inode or a container's id or name)"), arg_text(optarg));
			if (strcmp(optarg, "own") == 0) {
				o->all_namespaces = false;
				o->ns_only = NULL;
			} else if (strcmp(optarg, "all") == 0) {
				o->all_namespaces = true;
				o->ns_only = NULL;
			} else {
				o->all_namespaces = true;
				o->ns_only = optarg;
			}
			break;
		case OPT_METRICS_TOP: {
			long top;

			note_view_option(o, "--metrics-top");
			if (strcmp(optarg, "0") == 0)
				top = 0;
			else if (parse_count(optarg, MAX_METRICS_TOP, &top) < 0)
				usage_error(_("invalid value for --metrics-top: '%s' (expected a whole "
					      "number from 0 to %ld)"), arg_text(optarg), MAX_METRICS_TOP);
			o->render.metrics_top = (size_t)top;
			o->metrics_top_given = true;
			break;
		}
		case 'J':
			note_view_option(o, "--json");
			o->batch = true;
			o->format = FORMAT_JSON;
			break;
		case OPT_ONLY: {
			char *bad;

			o->only_given = true;
			if (parse_kinds(optarg, &o->render.kinds, &bad) < 0) {
				if (!*bad)
					usage_error(_("invalid value for --only: '%s' has an empty kind name"),
						    arg_text(optarg));
				usage_error(_("invalid value for --only: unknown kind '%s'"), arg_text(bad));
			}
			break;
		}
		case 'o': {
			const char *list = optarg;

			note_view_option(o, "--columns");
			free_list(o->render.columns, o->render.ncolumns);
			o->render.columns = NULL;
			o->render.columns_add = *list == '+';
			if (*list == '+')
				list++;
			if (split_list(list, &o->render.columns, &o->render.ncolumns) < 0)
				usage_error(_("invalid value for --columns: '%s' (expected column names "
					      "separated by commas)"), arg_text(optarg));
			break;
		}
		case 's':
			note_view_option(o, "--sort");
			if (!*optarg)
				usage_error(_("invalid value for --sort: empty column name"));
			o->render.sort_name = optarg;
			break;
		case 'r':
			note_view_option(o, "--reverse");
			o->render.reverse = true;
			break;
		case 'p': {
			long pid;

			note_view_option(o, "--pid");
			if (parse_count(optarg, MAX_PID, &pid) < 0)
				usage_error(_("invalid value for --pid: '%s' (expected a process id from 1 "
					      "to %ld)"), arg_text(optarg), MAX_PID);
			o->render.pids = xreallocarray(o->render.pids, o->render.npids + 1,
						       sizeof(*o->render.pids));
			o->render.pids[o->render.npids++] = (pid_t)pid;
			break;
		}
		case OPT_LIST_COLUMNS:
			note_view_option(o, "--list-columns");
			o->list_columns = true;
			break;
		case OPT_REMOVE:
			o->remove = true;
			add_remove_spec(o, optarg);
			break;
		case OPT_REMOVE_STALE:
			o->remove_stale = true;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_READONLY:
			o->readonly = true;
			break;
		case OPT_DBUS_ADDRESS:
			if (!dbus_address_valid(optarg))
				usage_error(_("invalid value for --dbus-address: '%s' (expected a D-Bus "
					      "address such as unix:path=/run/user/1000/bus)"), arg_text(optarg));
			o->dbus_address = optarg;
			break;
		case 'C':
			o->monochrome = true;
			break;
		case OPT_GENERATE: {
			char err[512];

			o->generate = true;
			if (gen_parse_spec(optarg, &o->gen.spec, err, sizeof(err)) < 0)
				usage_error(_("invalid value for --generate: '%s': %s"), arg_text(optarg), err);
			break;
		}
		case OPT_GENERATE_CLEANUP: {
			long pid;

			o->generate_cleanup = true;
			if (optarg && parse_count(optarg, MAX_PID, &pid) < 0)
				usage_error(_("invalid value for --generate-cleanup: '%s' (expected a "
					      "process id from 1 to %ld)"), arg_text(optarg), MAX_PID);
			o->cleanup_pid = optarg ? (pid_t)pid : 0;
			break;
		}
		case OPT_MSG_SIZE: {
			long v;

			note_gen_option(o, "--msg-size");
			if (parse_count(optarg, GEN_MAX_MSG, &v) < 0 || v < GEN_MIN_MSG)
				usage_error(_("invalid value for --msg-size: '%s' (expected bytes, from %d to %ld)"),
					    arg_text(optarg), GEN_MIN_MSG, GEN_MAX_MSG);
			o->gen.msg_size = (size_t)v;
			break;
		}
		case OPT_RATE:
			note_gen_option(o, "--rate");
			if (parse_count(optarg, GEN_MAX_RATE, &o->gen.rate) < 0)
				usage_error(_("invalid value for --rate: '%s' (expected messages per second, "
					      "from 1 to %ld)"), arg_text(optarg), GEN_MAX_RATE);
			break;
		case OPT_PATTERN:
			note_gen_option(o, "--pattern");
			if (strcmp(optarg, "stream") == 0)
				o->gen.pattern = GEN_STREAM;
			else if (strcmp(optarg, "pingpong") == 0)
				o->gen.pattern = GEN_PINGPONG;
			else
				usage_error(_("invalid value for --pattern: '%s' (expected stream or pingpong)"),
					    arg_text(optarg));
			break;
		case OPT_DURATION:
			note_gen_option(o, "--duration");
			if (parse_seconds(optarg, GEN_MAX_DURATION, &o->gen.duration) < 0)
				usage_error(_("invalid value for --duration: '%s' (expected seconds, more "
					      "than 0 and at most %.0f)"), arg_text(optarg), GEN_MAX_DURATION);
			break;
		case 'h':
			usage();
			exit(EXIT_SUCCESS);
		case 'V':
			printf("ipctop %s\n", PACKAGE_VERSION);
			exit(EXIT_SUCCESS);
		case ':':
			usage_error(_("option '%s' needs a value"), arg_text(argv[optind - 1]));
		default:
			/* a long option: unknown, ambiguous, or given a value it does not take */
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				long_option_error(argv[optind - 1]);
			usage_error(_("unknown option '-%s'"), arg_text((char[]){ (char)optopt, '\0' }));
		}
	}
	if (o->remove)
		while (optind < argc)
			add_remove_spec(o, argv[optind++]);
	if (optind < argc)
		usage_error(_("unexpected argument '%s'"), arg_text(argv[optind]));
	if (o->render.kinds == 0)
		usage_error(_("invalid value for --only: no kind given"));
	check_column_names(o);
	check_generate_options(o);
	check_removal_options(o);
	check_metrics_options(o);
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

static void render(FILE *f, const struct snapshot *snap, const struct options *o)
{
	if (o->format == FORMAT_JSON)
		render_json(f, snap, &o->render);
	else if (o->format == FORMAT_PROMETHEUS)
		render_prometheus(f, snap, &o->render);
	else
		render_text(f, snap, &o->render);
}

static int run_batch(const struct options *o)
{
	struct collect_opts co = { .kinds = o->render.kinds, .pids = o->render.pids,
				   .npids = o->render.npids, .dbus_address = o->dbus_address,
				   .all_namespaces = o->all_namespaces, .ns_only = o->ns_only };
	long n = o->iterations ? o->iterations : 1;
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (long i = 0; i < n && !stop_requested; i++) {
		if (i > 0) {
			sleep_seconds(o->delay);
			if (stop_requested)
				break;
			if (o->format == FORMAT_TEXT && !o->output)
				putchar('\n');
		}
		struct outfile out;
		char err[PATH_MAX * 2 + 256];

		/* the temporary file first: an unwritable directory fails before collecting */
		if (o->output && outfile_begin(&out, o->output, err, sizeof(err)) < 0) {
			fprintf(stderr, "ipctop: %s\n", err);
			return EXIT_FAILURE;
		}

		struct snapshot *snap = snapshot_new();

		snapshot_collect(snap, &co);
		render(o->output ? out.f : stdout, snap, o);
		snapshot_free(snap);
		if (o->output) {
			if (outfile_commit(&out, err, sizeof(err)) < 0) {
				fprintf(stderr, "ipctop: %s\n", err);
				return EXIT_FAILURE;
			}
		} else if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "ipctop: %s: %s\n", _("cannot write output"), strerror(errno));
			return EXIT_FAILURE;
		}
	}
	return EXIT_SUCCESS;
}

/* ---- --remove and --remove-stale ---- */

/* Whether a note's source is where objects of these kinds come from. */
static bool note_about(const char *source, unsigned int kinds)
{
	static const struct { unsigned int kinds; const char *source; } sources[] = {
		{ KIND_BIT(KIND_SYSV_MSG), "/proc/sysvipc/msg" },
		{ KIND_BIT(KIND_SYSV_SHM), "/proc/sysvipc/shm" },
		{ KIND_BIT(KIND_SYSV_SEM), "/proc/sysvipc/sem" },
		{ KIND_BIT(KIND_POSIX_MQ), "/dev/mqueue" },
		{ KIND_BIT(KIND_POSIX_SHM) | KIND_BIT(KIND_POSIX_SEM), "/dev/shm" },
		{ KIND_BIT(KIND_FIFO), "/proc" },       /* FIFOs are found in processes */
		{ KIND_BIT(KIND_UNIX) | KIND_BIT(KIND_INET) | KIND_BIT(KIND_NETLINK), "sock_diag" },
		{ KIND_BIT(KIND_UNIX), "/proc/net/unix" },
	};

	/* another IPC namespace's: "ipc:[N] PATH" */
	if (strncmp(source, "ipc:[", 5) == 0 && strchr(source, ' '))
		source = strchr(source, ' ') + 1;
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if ((kinds & sources[i].kinds) && strcmp(source, sources[i].source) == 0)
			return true;
	/* what --namespace names, for every kind */
	return strcmp(source, "namespaces") == 0;
}

/* The notes about the sources of these kinds, on stderr. */
static void print_notes(const struct snapshot *snap, unsigned int kinds)
{
	for (size_t i = 0; i < snap->nnotes; i++)
		if (note_about(snap->notes[i].source, kinds))
			fprintf(stderr, "ipctop: %s: %s: %s\n", _("note"), snap->notes[i].source,
				snap->notes[i].message);
}

static struct snapshot *removal_snapshot(const struct options *o, unsigned int kinds)
{
	struct collect_opts co = { .kinds = kinds, .all_namespaces = o->all_namespaces,
				   .ns_only = o->ns_only };
	struct snapshot *snap = snapshot_new();

	snapshot_collect(snap, &co);
	return snap;
}

/* The one object a spec names, or NULL after saying why there is none. */
static const struct ipc_object *find_spec(const struct snapshot *snap, const struct remove_spec *sp,
					  const char *arg, bool utf8)
{
	const struct ipc_object *found = NULL;
	size_t distinct = 0;
	char *esc = text_escape(arg, strlen(arg), utf8, NULL);

	for (size_t i = 0; i < snap->nobjects; i++) {
		const struct ipc_object *obj = &snap->objects[i];

		if (!remove_spec_match(sp, obj))
			continue;
		if (!found) {
			found = obj;
			distinct = 1;
		} else if (!removal_same_target(found, obj)) {
			distinct++;
		}
	}
	if (!found) {
		fprintf(stderr, _("ipctop: --remove %s: no such object\n"), esc);
	} else if (distinct > 1) {
		fprintf(stderr, _("ipctop: --remove %s: names %zu different objects (the same key, name "
				  "or path in different namespaces? --namespace picks one)\n"), esc, distinct);
		found = NULL;
	} else {
		const char *why;

		if (!removal_supported(found, &why)) {
			char *desc = removal_describe(found, utf8);

			fprintf(stderr, _("ipctop: --remove %s: %s cannot be removed: %s\n"), esc, desc, _(why));
			free(desc);
			found = NULL;
		}
	}
	free(esc);
	return found;
}

static void format_since(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0)
		snprintf(buf, len, "%s", _("unknown"));
	else if (localtime_r(&tt, &tm))
		strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
	else
		snprintf(buf, len, "%lld", (long long)t);
}

static int run_remove(const struct options *o)
{
	bool utf8 = locale_is_utf8();
	unsigned int kinds = 0;

	for (size_t i = 0; i < o->nspecs; i++)
		kinds |= KIND_BIT(o->specs[i].kind);

	struct snapshot *snap = removal_snapshot(o, kinds);
	const struct ipc_object **targets = xcalloc(o->nspecs, sizeof(*targets));
	unsigned int missing = 0;       /* kinds of the specs not found */
	int rc = EXIT_SUCCESS;

	/* every object is found before any is removed: a mistyped one stops them all */
	for (size_t i = 0; i < o->nspecs; i++) {
		targets[i] = find_spec(snap, &o->specs[i], o->spec_args[i], utf8);
		if (!targets[i])
			missing |= KIND_BIT(o->specs[i].kind);
	}
	if (missing) {
		print_notes(snap, missing);
		fprintf(stderr, "ipctop: %s\n", _("nothing removed"));
		rc = EXIT_FAILURE;
	}
	for (size_t i = 0; i < o->nspecs && !missing; i++) {
		const struct ipc_object *t = targets[i];
		bool dup = false;

		for (size_t j = 0; j < i; j++)
			dup |= removal_same_target(targets[j], t);
		if (dup)
			continue;       /* named twice */

		char *desc = removal_describe(t, utf8);
		char msg[1024];

		if (o->dry_run && !removal_permitted(t, msg, sizeof(msg))) {
			fprintf(stderr, "ipctop: %s: %s\n", desc, msg);
			rc = EXIT_FAILURE;
		} else if (o->dry_run) {
			printf(_("would remove %s: %s\n"), desc, removal_meaning(t, msg, sizeof(msg)));
		} else if (remove_object(t, msg, sizeof(msg)) == 0) {
			if (t->kind == KIND_SYSV_SHM && t->count > 0)
				printf(_("removed %s: still attached, it goes at the last detach\n"), desc);
			else
				printf(_("removed %s\n"), desc);
		} else {
			fprintf(stderr, "ipctop: %s\n", msg);
			rc = EXIT_FAILURE;
		}
		free(desc);
		fflush(stdout);
	}
	free(targets);
	snapshot_free(snap);
	return rc;
}

/* The inodes of the initial namespaces are fixed (include/linux/proc_ns.h). */
#define PROC_IPC_INIT_INO 0xEFFFFFFFU
#define PROC_PID_INIT_INO 0xEFFFFFFCU

/* Whether /proc/self/ns/NAME is the initial namespace (true when it cannot be told). */
static bool initial_namespace(const char *name, ino_t ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return stat(path, &st) < 0 || st.st_ino == ino;
}

static bool kind_stale(const struct snapshot *snap, unsigned int kinds)
{
	for (size_t i = 0; i < snap->nobjects; i++)
		if (snap->objects[i].stale && (kinds & KIND_BIT(snap->objects[i].kind)))
			return true;
	return false;
}

static bool posix_stale(const struct snapshot *snap)
{
	return kind_stale(snap, KIND_BIT(KIND_POSIX_MQ) | KIND_BIT(KIND_POSIX_SHM) |
			  KIND_BIT(KIND_POSIX_SEM));
}

static int run_remove_stale(const struct options *o)
{
	bool utf8 = locale_is_utf8();
	unsigned int kinds = o->render.kinds & STALE_KINDS;
	struct snapshot *snap = removal_snapshot(o, kinds);
	int rc = EXIT_SUCCESS;
	bool unjudged = false;

	for (int k = 0; k < KIND_COUNT; k++) {
		if (!(kinds & KIND_BIT(k)) || snapshot_stale_judged(snap, (enum ipc_kind)k))
			continue;
		if (!unjudged)
			print_notes(snap, kinds | KIND_BIT(KIND_FIFO));     /* and /proc's */
		unjudged = true;
		fprintf(stderr, _("ipctop: %s: not judged stale (see the notes), so none is removed\n"),
			_(kind_classes[k].title));
	}
	if (!unjudged && snap->kinds_collected & KIND_BIT(KIND_POSIX_MQ) && !snap->mq_listed)
		print_notes(snap, KIND_BIT(KIND_POSIX_MQ));
	/*
	 * In a PID namespace of its own, the processes outside it are not seen. SysV objects
	 * record pids, which the kernel shows as 0 when outside, and those are not judged;
	 * but a POSIX object that only unseen processes use has no holders and looks stale.
	 * Sharing the host's IPC namespace says the host's processes use these objects too:
	 * then POSIX objects are not removed. Otherwise (a container) they may be: warn.
	 */
	bool posix_skipped = false;

	if (posix_stale(snap) && !initial_namespace("pid", PROC_PID_INIT_INO)) {
		if (initial_namespace("ipc", PROC_IPC_INIT_INO)) {
			posix_skipped = true;
			fprintf(stderr, "ipctop: %s\n",
				_("POSIX objects are not removed: this PID namespace does not see the "
				  "processes outside it, which share its IPC namespace and may use them "
				  "(remove them by name with --remove)"));
		} else {
			fprintf(stderr, "ipctop: %s\n",
				_("warning: this is not the initial PID namespace: processes outside it "
				  "are not seen, so a POSIX object that only they use looks stale too"));
		}
	}
	/* the same for socket files: a process outside, in a network namespace of its own,
	 * may have a socket bound to one, which sock_diag does not show us */
	bool sockfiles_skipped = false;

	if (kind_stale(snap, KIND_BIT(KIND_UNIX)) && !initial_namespace("pid", PROC_PID_INIT_INO)) {
		sockfiles_skipped = true;
		fprintf(stderr, "ipctop: %s\n",
			_("socket files are not removed: this PID namespace does not see the processes "
			  "outside it, whose sockets may be bound to them in another network namespace "
			  "(remove them by path with --remove)"));
	}
	for (int k = 0; k < KIND_COUNT; k++) {
		size_t n;
		const struct ipc_object **rows;

		if (!(kinds & KIND_BIT(k)) ||
		    (posix_skipped && (k == KIND_POSIX_MQ || k == KIND_POSIX_SHM || k == KIND_POSIX_SEM)) ||
		    (sockfiles_skipped && k == KIND_UNIX))
			continue;
		rows = kind_rows(snap, (enum ipc_kind)k, -1, false, NULL, 0, &n);
		for (size_t i = 0; i < n; i++) {
			const struct ipc_object *t = rows[i];
			const char *why;
			char since[64], msg[1024];

			if (!t->stale)
				continue;
			char *desc = removal_describe(t, utf8);

			format_since(t->stale_since, since, sizeof(since));
			if (!removal_supported(t, &why)) {
				fprintf(stderr, _("ipctop: %s looks stale but cannot be removed: %s\n"), desc,
					_(why));
				rc = EXIT_FAILURE;
			} else if (o->dry_run && !removal_permitted(t, msg, sizeof(msg))) {
				fprintf(stderr, "ipctop: %s: %s\n", desc, msg);
				rc = EXIT_FAILURE;
			} else if (o->dry_run) {
				printf(_("would remove %s: stale: %s, since %s\n"), desc, _(t->stale_reason),
				       since);
			} else if (remove_object_flags(t, REMOVE_IF_UNUSED, msg, sizeof(msg)) == 0) {
				printf(_("removed %s: stale: %s, since %s\n"), desc, _(t->stale_reason), since);
			} else {
				fprintf(stderr, "ipctop: %s\n", msg);
				rc = EXIT_FAILURE;
			}
			free(desc);
			fflush(stdout);
		}
		free(rows);
	}
	snapshot_free(snap);
	return rc;
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
	o.render.utf8 = locale_is_utf8();

	int rc;

	if (o.list_columns) {
		list_columns();
		rc = EXIT_SUCCESS;
	} else if ((o.remove || o.remove_stale) && o.readonly) {
		fprintf(stderr, "ipctop: %s\n", _("--readonly forbids removing objects; nothing removed"));
		rc = EXIT_FAILURE;
	} else if (o.generate) {
		rc = gen_main(&o.gen, o.format == FORMAT_JSON);
	} else if (o.generate_cleanup && o.readonly && !o.dry_run) {
		fprintf(stderr, "ipctop: %s\n", _("--readonly forbids removing objects; nothing removed"));
		rc = EXIT_FAILURE;
	} else if (o.generate_cleanup) {
		rc = gen_cleanup_main(o.dry_run, o.cleanup_pid);
	} else if (o.remove) {
		rc = run_remove(&o);
	} else if (o.remove_stale) {
		rc = run_remove_stale(&o);
	} else if (o.batch || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		rc = run_batch(&o);
	} else {
		struct collect_opts co = { .kinds = o.render.kinds, .pids = o.render.pids,
					   .npids = o.render.npids, .dbus_address = o.dbus_address,
					   .all_namespaces = o.all_namespaces, .ns_only = o.ns_only };
		const char *no_color = getenv("NO_COLOR");   /* no-color.org: set and not empty */
		struct tui_opts to = { .delay = o.delay, .readonly = o.readonly,
				       .monochrome = o.monochrome || (no_color && *no_color) };

		rc = tui_run(&co, &o.render, &to);
	}
	free_list(o.render.columns, o.render.ncolumns);
	free(o.render.pids);
	for (size_t i = 0; i < o.nspecs; i++)
		remove_spec_free(&o.specs[i]);
	free(o.specs);
	free(o.spec_args);
	names_cache_free();
	return rc;
}
