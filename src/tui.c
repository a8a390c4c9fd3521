/*
 * The full-screen program. For now a live, scrollable view of the same tables as
 * --batch text (FIXME: panes per mechanism, drill-down and removal: issue 4).
 */
#include "config.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nls.h"
#include "tui.h"
#include "xalloc.h"

static volatile sig_atomic_t tui_stop;
static bool curses_active;

static void tui_on_signal(int sig)
{
	(void)sig;
	tui_stop = 1;
}

/* Leave the terminal usable even when we crash, as htop's CRT_handleSIGSEGV does. */
static void tui_on_crash(int sig)
{
	if (curses_active)
		endwin();
	static const char msg[] = "ipctop: fatal signal; terminal restored\n";
	ssize_t r = write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)r;
	signal(sig, SIG_DFL);
	raise(sig);
}

struct lines {
	char *text;
	char **line;
	size_t n;
};

static void lines_from_snapshot(struct lines *l, const struct collect_opts *co,
				const struct render_opts *ro)
{
	size_t size;
	FILE *f = open_memstream(&l->text, &size);

	if (!f)
		xalloc_die();
	struct snapshot *snap = snapshot_new();

	snapshot_collect(snap, co);
	render_text(f, snap, ro);
	snapshot_free(snap);
	fclose(f);

	l->n = 0;
	for (char *p = l->text; *p; p++)
		l->n += *p == '\n';
	l->line = xcalloc(l->n + 1, sizeof(*l->line));
	size_t i = 0;

	for (char *p = l->text, *nl; i < l->n && (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		l->line[i++] = p;
	}
	l->n = i;
}

static void lines_free(struct lines *l)
{
	free(l->text);
	free(l->line);
	memset(l, 0, sizeof(*l));
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(const struct lines *l, size_t top, size_t left, bool paused, double delay)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	erase();
	attron(A_REVERSE);
	mvhline(0, 0, ' ', cols);
	mvprintw(0, 0, _(" ipctop %s  every %.1fs%s  q:quit  space:pause  r:refresh  arrows/PgUp/PgDn:scroll"),
		 PACKAGE_VERSION, delay, paused ? _(" [paused]") : "");
	attroff(A_REVERSE);
	for (int y = 1; y < rows && top + (size_t)(y - 1) < l->n; y++) {
		const char *s = l->line[top + (size_t)(y - 1)];
		size_t len = strlen(s);

		/* lines are already escaped by the text renderer: no control bytes */
		if (left < len)
			mvaddnstr(y, 0, s + left, cols);
	}
	refresh();
}

int tui_run(const struct collect_opts *co, const struct render_opts *ro,
	    const struct tui_opts *to)
{
	double delay = to->delay;
	struct sigaction sa = { .sa_handler = tui_on_signal };
	struct sigaction crash = { .sa_handler = tui_on_crash };
	struct lines l = { 0 };
	size_t top = 0, left = 0;
	bool paused = false;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGSEGV, &crash, NULL);
	sigaction(SIGBUS, &crash, NULL);
	sigaction(SIGFPE, &crash, NULL);
	sigaction(SIGABRT, &crash, NULL);

	initscr();
	curses_active = true;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(100);

	lines_from_snapshot(&l, co, ro);
	double next = now_seconds() + delay;

	while (!tui_stop) {
		int rows = LINES > 1 ? LINES - 1 : 1;

		draw(&l, top, left, paused, delay);
		int ch = getch();

		switch (ch) {
		case 'q':
		case 'Q':
			tui_stop = 1;
			break;
		case ' ':
		case 'p':
			paused = !paused;
			break;
		case 'r':
			next = 0;
			break;
		case KEY_UP:
		case 'k':
			if (top > 0)
				top--;
			break;
		case KEY_DOWN:
		case 'j':
			if (top + 1 < l.n)
				top++;
			break;
		case KEY_PPAGE:
			top = top > (size_t)rows ? top - (size_t)rows : 0;
			break;
		case KEY_NPAGE:
			top = top + (size_t)rows < l.n ? top + (size_t)rows : (l.n ? l.n - 1 : 0);
			break;
		case KEY_HOME:
			top = 0;
			left = 0;
			break;
		case KEY_LEFT:
			left = left >= 8 ? left - 8 : 0;
			break;
		case KEY_RIGHT:
			left += 8;
			break;
		default:
			break;
		}
		if ((!paused || next == 0) && now_seconds() >= next) {
			lines_free(&l);
			lines_from_snapshot(&l, co, ro);
			if (top >= l.n)
				top = l.n ? l.n - 1 : 0;
			next = now_seconds() + delay;
		}
	}
	endwin();
	curses_active = false;
	lines_free(&l);
	return EXIT_SUCCESS;
}
