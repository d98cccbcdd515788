/*
 * Readiness for the service manager: the sd_notify(3) protocol, one
 * datagram of "KEY=VALUE" lines to the unix socket $NOTIFY_SOCKET names
 * (systemd's Type=notify).  The socket is connected once, at start, so
 * that notifications still arrive after a chroot or a change of user,
 * which libsystemd's sd_notify() (it looks the path up at every call)
 * would lose.  Without $NOTIFY_SOCKET, nothing happens.
 */
#ifndef DTLSGW_NOTIFY_H
#define DTLSGW_NOTIFY_H

/*
 * Connect to $NOTIFY_SOCKET (a path, or "@name" for the abstract
 * namespace) and unset it, so no child inherits it.  0, nothing to do
 * included; a negative errno when it is set but cannot be reached (logged).
 */
int notify_init(void);

/* Send state ("READY=1", "RELOADING=1", "STOPPING=1", ...), best effort. */
void notify_send(const char *state);

void notify_finish(void);

#endif
