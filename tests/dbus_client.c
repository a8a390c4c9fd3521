/* A D-Bus client for tests/dbus.sh: connects to ADDRESS, asks for each NAME (queueing
 * when it is taken), adds a match rule, prints "READY UNIQUE PID SOCKET-INODE" and stays
 * connected until its standard input closes. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	sd_bus *bus = NULL;
	const char *unique;
	struct stat st;
	char buf[64];
	int r;

	if (argc < 2) {
		fprintf(stderr, "usage: %s ADDRESS [NAME...]\n", argv[0]);
		return 2;
	}
	if ((r = sd_bus_new(&bus)) < 0 || (r = sd_bus_set_address(bus, argv[1])) < 0 ||
	    (r = sd_bus_set_bus_client(bus, 1)) < 0 || (r = sd_bus_start(bus)) < 0 ||
	    (r = sd_bus_get_unique_name(bus, &unique)) < 0) {
		fprintf(stderr, "dbus_client: cannot connect to %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		r = sd_bus_request_name(bus, argv[i], SD_BUS_NAME_QUEUE);
		if (r < 0) {
			fprintf(stderr, "dbus_client: cannot request %s: %s\n", argv[i], strerror(-r));
			return 1;
		}
	}
	r = sd_bus_add_match(bus, NULL, "type='signal',interface='org.ipctop.Test'", NULL, NULL);
	if (r < 0) {
		fprintf(stderr, "dbus_client: cannot add a match rule: %s\n", strerror(-r));
		return 1;
	}
	if (fstat(sd_bus_get_fd(bus), &st) < 0) {
		perror("dbus_client: fstat");
		return 1;
	}
	printf("READY %s %d %llu\n", unique, (int)getpid(), (unsigned long long)st.st_ino);
	fflush(stdout);
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
	sd_bus_flush_close_unref(bus);
	return 0;
}
