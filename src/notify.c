/*
 * The sd_notify(3) protocol over a socket connected at start (see
 * dtlsgw/notify.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dtlsgw/log.h"
#include "dtlsgw/notify.h"

static int notify_fd = -1;

int notify_init(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t n;
	socklen_t len;
	int ret;

	if (path == NULL || path[0] == '\0')
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET=%s: not a unix socket path", path);
		return -EINVAL;
	}
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';	/* abstract namespace */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
			  (path[0] == '/' ? 1 : 0));
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify_fd == -1 ||
	    connect(notify_fd, (struct sockaddr *)&sun, len) == -1) {
		ret = -errno;
		log_warn("NOTIFY_SOCKET=%s", path);
		notify_finish();
		return ret;
	}
	unsetenv("NOTIFY_SOCKET");
	return 0;
}

void notify_send(const char *state)
{
	if (notify_fd == -1)
		return;
	if (send(notify_fd, state, strlen(state), MSG_NOSIGNAL) == -1)
		log_warn("sd_notify %s", state);
}

void notify_finish(void)
{
	if (notify_fd != -1)
		close(notify_fd);
	notify_fd = -1;
}
