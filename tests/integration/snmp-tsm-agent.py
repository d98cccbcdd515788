#!/usr/bin/python3
"""A scripted SNMPv3/TSM agent on cleartext UDP, behind a DTLS relay.

    snmp-tsm-agent.py PORT REPORTS

It answers the RFC 5343 probe (a Get of snmpEngineID.0 with the local
engine ID as contextEngineID) with its snmpEngineID, answers the first
REPORTS other requests with a Report (snmpUnknownContexts.0, as an agent
does for a context it does not know), and every later one with a Response
carrying "answer" for each OID asked.  Its output, a line per message:
"probe MSGID", "report MSGID", "response MSGID".  Only what the test needs
of BER (RFC 3416, RFC 3412), strict enough to refuse what it does not
expect.
"""
import socket
import sys

ENGINE = bytes.fromhex("80001f8804") + b"tsmtest"
LOCAL_ENGINE = bytes.fromhex("8000000006")
OID_ENGINE_ID = "1.3.6.1.6.3.10.2.1.1.0"
OID_UNKNOWN_CONTEXTS = "1.3.6.1.6.3.12.1.1.5.0"
GET, GETNEXT, RESPONSE, REPORT = 0xA0, 0xA1, 0xA2, 0xA8


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + value


def integer(v):
    return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big",
                                signed=True))


def oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    out = bytes([arcs[0] * 40 + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.insert(0, 0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(chunk)
    return tlv(0x06, out)


def parse(buf):
    """The elements of one level: a list of (tag, value bytes)."""
    out, i = [], 0
    while i < len(buf):
        tag, n = buf[i], buf[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(buf[i:i + k], "big")
            i += k
        if i + n > len(buf):
            raise ValueError("length past the end")
        out.append((tag, buf[i:i + n]))
        i += n
    return out


def answer(msg):
    """The answer to one message, and the line to print."""
    (tag, body), = parse(msg)
    version, glob, secparams, scoped = parse(body)
    if tag != 0x30 or version != (0x02, b"\x03"):
        raise ValueError("not SNMPv3")
    msgid, maxsize, flags, model = parse(glob[1])
    if model[1] != b"\x04":
        raise ValueError("not the Transport Security Model")
    ctx_engine, ctx_name, (ptype, pdu) = parse(scoped[1])
    if ptype not in (GET, GETNEXT):
        raise ValueError("not a Get")
    reqid, _, _, varbinds = parse(pdu)
    names = [parse(vb[1])[0] for vb in parse(varbinds[1])]
    mid = int.from_bytes(msgid[1], "big", signed=True)

    if ctx_engine[1] == LOCAL_ENGINE:
        kind, rtype = "probe", RESPONSE
        vbs = tlv(0x30, oid(OID_ENGINE_ID) + tlv(0x04, ENGINE))
    elif answer.reports > 0:
        answer.reports -= 1
        kind, rtype = "report", REPORT
        vbs = tlv(0x30, oid(OID_UNKNOWN_CONTEXTS) + tlv(0x41, b"\x01"))
    else:
        kind, rtype = "response", RESPONSE
        vbs = b"".join(tlv(0x30, tlv(*n) + tlv(0x04, b"answer"))
                       for n in names)
    pdu = tlv(rtype, tlv(0x02, reqid[1]) + integer(0) + integer(0) +
              tlv(0x30, vbs))
    # authPriv, not reportable: a Response or a Report (RFC 3412 7.1)
    head = tlv(0x30, tlv(0x02, msgid[1]) + tlv(0x02, maxsize[1]) +
               tlv(0x04, b"\x03") + integer(4))
    scoped = tlv(0x30, tlv(0x04, ENGINE) + tlv(0x04, ctx_name[1]) + pdu)
    return (tlv(0x30, integer(3) + head + tlv(0x04, secparams[1]) + scoped),
            "%s %d" % (kind, mid))


def main():
    port, answer.reports = int(sys.argv[1]), int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    print("listening", flush=True)
    while True:
        msg, peer = s.recvfrom(65535)
        try:
            out, line = answer(msg)
        except (ValueError, IndexError) as e:
            print("refused: %s" % e, flush=True)
            continue
        print(line, flush=True)
        s.sendto(out, peer)


if __name__ == "__main__":
    main()
