#!/usr/bin/python3
# The service manager's end of sd_notify(3): bind a unix datagram socket at
# SOCKET, print each notification on one line, and for READY=1 whether LOG
# already holds the "ready" line.  Ends at STOPPING=1 or after 60 s.
#   notify-listen.py SOCKET LOG
import socket
import sys

path, log = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(60)
print("notify listening", flush=True)
while True:
    try:
        msg = s.recv(4096).decode()
    except socket.timeout:
        print("timeout", flush=True)
        break
    line = msg.replace("\n", " ")
    if "READY=1" in msg.split("\n"):
        with open(log) as f:
            seen = any("ready:" in l for l in f)
        line += " after-ready-line=" + ("yes" if seen else "no")
    print(line, flush=True)
    if "STOPPING=1" in msg.split("\n"):
        break
