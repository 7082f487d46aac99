"""A libzmq peer for evy's interop tests, run with Debian's /usr/bin/python3 (python3-zmq).

usage: _pyzmq_peer.py TYPE bind|connect ENDPOINT

Prints the endpoint (the bound one when binding) on its first line, then plays
its socket type's part with the shared message set (MESSAGES below; evy's test
has the same), prints "ok" on success and exits 0; any mismatch exits 1 with a
reason on stderr. PUB publishes rounds until a line arrives on stdin.
"""
import select
import sys
import zmq

BIG = bytes(i % 251 for i in range(3 * 1024 * 1024))
MESSAGES = [
    [b"hello"],
    [b"", b"after an empty frame"],
    [b"a", b"", b"c"],
    [b"x" * 300],
    [b"big", BIG],
]


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


def main():
    kind, how, endpoint = sys.argv[1:4]
    ctx = zmq.Context()
    sock = ctx.socket(getattr(zmq, kind))
    sock.linger = 5000
    if how == "bind":
        sock.bind(endpoint)
        endpoint = sock.getsockopt_string(zmq.LAST_ENDPOINT)
    else:
        sock.connect(endpoint)
    print(endpoint, flush=True)
    n = len(MESSAGES)
    if kind in ("REP", "PAIR"):
        for _ in range(n):
            sock.send_multipart(sock.recv_multipart())
    elif kind == "ROUTER":
        for _ in range(n):
            sock.send_multipart(sock.recv_multipart())
    elif kind == "REQ":
        for m in MESSAGES:
            sock.send_multipart(m)
            if sock.recv_multipart() != m:
                fail("REQ: reply differs")
    elif kind == "DEALER":
        for m in MESSAGES:
            sock.send_multipart(m)
        for m in MESSAGES:
            if sock.recv_multipart() != m:
                fail("DEALER: echo differs")
    elif kind == "PUSH":
        for m in MESSAGES:
            sock.send_multipart(m)
    elif kind == "PULL":
        for m in MESSAGES:
            if sock.recv_multipart() != m:
                fail("PULL: message differs")
    elif kind == "SUB":
        sock.setsockopt(zmq.SUBSCRIBE, b"a")
        expected = [[b"a"] + m for m in MESSAGES]
        i = 0
        while i < n:
            got = sock.recv_multipart()
            if not got[0].startswith(b"a"):
                fail("SUB: got a message it did not subscribe to")
            i = i + 1 if got == expected[i] else (1 if got == expected[0] else 0)
    elif kind == "PUB":
        while not select.select([sys.stdin], [], [], 0.02)[0]:
            sock.send_multipart([b"b", b"not subscribed"])
            for m in MESSAGES:
                sock.send_multipart([b"a"] + m)
    else:
        fail("unknown type " + kind)
    print("ok", flush=True)
    sock.close()
    ctx.term()


main()
