#!/usr/bin/env python3
"""A fault-injecting proxy for Strata's tests (Python standard library, asyncio).

It sits in front of one real upstream (OpenBao, moto, the GCP/Azure doubles, PostgreSQL) and
opens one loopback port per fault, so that tests running in parallel each pick the fault they
want without sharing any state. It prints one JSON line on stdout once listening:

    {"ports": {"pass": 40001, "hang": 40002, ...}, "pid": 1234}

HTTP modes (the default):
  pass           relay bytes to the upstream unchanged (TLS passes through end to end)
  hang           accept, read the request, never answer
  stall          send a 200 head promising a body, then nothing
  drip           send a 200 head, then one body byte per second
  reset          read the request, then reset the connection (RST)
  retry-1e300    429 with Retry-After: 1e300      retry-inf      429 with Retry-After: inf
  retry-neg      429 with Retry-After: -1         retry-garbage  429 with Retry-After: soon-ish
  retry-future   429 with Retry-After: an HTTP date in 2099
  malformed      200 application/json that is not valid JSON
  html           200 text/html (a login page)
  huge           200 application/json, 33 MiB with its Content-Length (just over the 32 MiB cap)
  huge-chunked   the same body chunked, so only counting the bytes finds it too large
  redirect       302 back to the same URL, forever
  plain-for-tls  plain HTTP whatever arrives, on a port the client reaches with https://
  tls-for-plain  a TLS alert record, on a port the client reaches with http://
With --tls-cert/--tls-key, every answering mode except plain-for-tls speaks TLS first.

Raw TCP modes (--raw, e.g. for PostgreSQL): pass, hang, reset, drip (relays the upstream's
bytes one per second), stall (relays the first 8 bytes from the upstream, then nothing).

Bounded: listens only on 127.0.0.1, exits after --max-lifetime seconds (default 900) or as
soon as its stdin closes (the test process that started it went away).
"""

import argparse
import asyncio
import json
import os
import socket
import ssl
import struct
import sys
import threading

HTTP_MODES = [
    "pass", "hang", "stall", "drip", "reset", "retry-1e300", "retry-inf", "retry-neg", "retry-garbage",
    "retry-future", "malformed", "html", "huge", "huge-chunked", "redirect", "plain-for-tls", "tls-for-plain",
]
RAW_MODES = ["pass", "hang", "reset", "drip", "stall"]

RETRY_AFTER = {
    "retry-1e300": "1e300",
    "retry-inf": "inf",
    "retry-neg": "-1",
    "retry-garbage": "soon-ish",
    "retry-future": "Fri, 31 Dec 2099 23:59:59 GMT",
}
HUGE_BYTES = 33 << 20
MAX_HEAD = 64 << 10
# Every open connection, so that shutting down closes them all.
OPEN = set()


def response(status, reason, headers, body=b""):
    # Every fault closes its connection afterwards, and says so, as a real server would.
    lines = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    if not any(name.lower() in ("content-length", "transfer-encoding") for name, _ in headers):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_request(reader):
    """The request head as (method, target, headers); the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > MAX_HEAD:
        raise ValueError("head too large")
    lines = head.decode("latin-1").split("\r\n")
    method, target = (lines[0].split(" ") + ["", ""])[:2]
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or "0")
    if 0 < length <= (16 << 20):
        await reader.readexactly(length)
    return method, target, headers


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


async def relay(source, sink, per_byte_delay=None, limit=None):
    sent = 0
    try:
        while True:
            data = await source.read(65536)
            if not data:
                break
            if limit is not None:
                data = data[: max(0, limit - sent)]
                if not data:
                    await asyncio.Event().wait()
            if per_byte_delay is None:
                sink.write(data)
                await sink.drain()
            else:
                for byte in data:
                    sink.write(bytes([byte]))
                    await sink.drain()
                    await asyncio.sleep(per_byte_delay)
            sent += len(data)
    except (ConnectionError, asyncio.IncompleteReadError, OSError):
        pass
    finally:
        try:
            sink.close()
        except Exception:
            pass


async def pass_through(reader, writer, upstream, drip=False, stall=False):
    host, port = upstream
    try:
        up_reader, up_writer = await asyncio.open_connection(host, port)
    except OSError:
        reset(writer)
        return
    await asyncio.gather(
        relay(reader, up_writer),
        relay(up_reader, writer, per_byte_delay=1.0 if drip else None, limit=8 if stall else None),
    )


async def answer_http(mode, reader, writer):
    try:
        method, target, headers = await read_request(reader)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, ConnectionError, OSError):
        writer.close()
        return
    json_type = ("Content-Type", "application/json")
    if mode == "hang":
        await asyncio.Event().wait()
    elif mode == "stall":
        writer.write(response(200, "OK", [json_type, ("Content-Length", "100000")]))
        writer.write(b'{"data": ')
        await writer.drain()
        await asyncio.Event().wait()
    elif mode == "drip":
        writer.write(response(200, "OK", [json_type, ("Content-Length", "100000")]))
        await writer.drain()
        while True:
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(1.0)
    elif mode == "reset":
        reset(writer)
        return
    elif mode in RETRY_AFTER:
        body = json.dumps({"errors": ["rate limited"], "__type": "ThrottlingException",
                           "error": {"code": 429, "message": "rate limited", "status": "RESOURCE_EXHAUSTED"}}).encode()
        writer.write(response(429, "Too Many Requests", [json_type, ("Retry-After", RETRY_AFTER[mode])], body))
    elif mode == "malformed":
        writer.write(response(200, "OK", [json_type], b'{"data": {"keys": ["a", '))
    elif mode == "html":
        writer.write(response(200, "OK", [("Content-Type", "text/html; charset=utf-8")],
                              b"<!doctype html><html><body><form>Sign in</form></body></html>"))
    elif mode == "huge":
        writer.write(response(200, "OK", [json_type, ("Content-Length", str(HUGE_BYTES))]))
        chunk = b" " * (1 << 20)
        for _ in range(HUGE_BYTES // len(chunk)):
            writer.write(chunk)
            await writer.drain()
    elif mode == "huge-chunked":
        writer.write(response(200, "OK", [json_type, ("Transfer-Encoding", "chunked")]))
        chunk = b" " * (1 << 20)
        framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        for _ in range(HUGE_BYTES // len(chunk)):
            writer.write(framed)
            await writer.drain()
        writer.write(b"0\r\n\r\n")
    elif mode == "redirect":
        host = headers.get("host", "127.0.0.1")
        scheme = "https" if writer.get_extra_info("ssl_object") is not None else "http"
        writer.write(response(302, "Found", [("Location", f"{scheme}://{host}{target}")]))
    elif mode == "tls-for-plain":
        # A TLS alert record (fatal, protocol_version): what a TLS server sends to plain text.
        writer.write(b"\x15\x03\x03\x00\x02\x02\x46")
    await writer.drain()
    writer.close()


async def answer_plain_for_tls(reader, writer):
    try:
        await asyncio.wait_for(reader.read(4096), timeout=5)
    except (asyncio.TimeoutError, ConnectionError, OSError):
        pass
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\n"
                 b"bad request")
    try:
        await writer.drain()
    finally:
        writer.close()


def handler(mode, args, tls_context):
    upstream = (args.upstream.rsplit(":", 1)[0], int(args.upstream.rsplit(":", 1)[1]))

    async def handle(reader, writer):
        task = asyncio.current_task()
        OPEN.add(task)
        try:
            if mode == "pass":
                await pass_through(reader, writer, upstream)
            elif args.raw:
                if mode == "hang":
                    await asyncio.Event().wait()
                elif mode == "reset":
                    try:
                        await asyncio.wait_for(reader.read(1), timeout=5)
                    except (asyncio.TimeoutError, ConnectionError, OSError):
                        pass
                    reset(writer)
                else:
                    await pass_through(reader, writer, upstream, drip=mode == "drip", stall=mode == "stall")
            elif mode == "plain-for-tls":
                await answer_plain_for_tls(reader, writer)
            else:
                if tls_context is not None:
                    await writer.start_tls(tls_context)
                await answer_http(mode, reader, writer)
        except (ConnectionError, OSError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            raise
        finally:
            OPEN.discard(task)
            try:
                writer.close()
            except Exception:
                pass

    return handle


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", required=True, help="host:port of the real server")
    parser.add_argument("--raw", action="store_true", help="raw TCP modes (PostgreSQL)")
    parser.add_argument("--tls-cert", help="PEM certificate to speak TLS with in the answering modes")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--max-lifetime", type=float, default=900, help="seconds before exiting by itself")
    args = parser.parse_args()
    if not args.upstream.startswith("127.0.0.1:") and not args.upstream.startswith("localhost:"):
        parser.error("the upstream must be on loopback")
    lifetime = min(max(args.max_lifetime, 1), 3600)

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)

    servers, ports = [], {}
    for mode in (RAW_MODES if args.raw else HTTP_MODES):
        server = await asyncio.start_server(handler(mode, args, tls_context), "127.0.0.1", 0, limit=MAX_HEAD)
        servers.append(server)
        ports[mode] = server.sockets[0].getsockname()[1]
    print(json.dumps({"ports": ports, "pid": os.getpid()}), flush=True)

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(1024):
                pass
        except Exception:
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        await asyncio.wait_for(stop.wait(), timeout=lifetime)
    except asyncio.TimeoutError:
        pass
    for server in servers:
        server.close()
    for task in list(OPEN):
        task.cancel()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    os._exit(0)
