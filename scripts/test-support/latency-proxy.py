#!/usr/bin/env python3
"""A TCP proxy that adds latency, so benchmarks measure remote tiers as users far from the
server see them: every chunk is held for half of --round-trip-ms in each direction.

  latency-proxy.py --listen PORT --upstream HOST:PORT --round-trip-ms 20
"""
import argparse, asyncio


async def pipe(reader, writer, delay):
    """Forwards each chunk `delay` seconds after it arrived, as a network path does: chunks in
    flight overlap, so many requests on one connection (HTTP/2 streams) are not queued behind
    one another's delay, and order is kept."""
    loop = asyncio.get_running_loop()
    in_flight = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await in_flight.get()
            if data is None:
                return
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()

    sender = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            in_flight.put_nowait((loop.time() + delay, data))
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        in_flight.put_nowait((0.0, None))
        try:
            await sender
        except (ConnectionError, asyncio.CancelledError):
            pass
        try:
            writer.close()
        except Exception:
            pass


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--round-trip-ms", type=float, required=True)
    args = parser.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    delay = args.round_trip_ms / 2000.0

    async def handle(client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, upstream_writer, delay), pipe(upstream_reader, client_writer, delay))

    server = await asyncio.start_server(handle, "127.0.0.1", args.listen, backlog=512)
    async with server:
        await server.serve_forever()


asyncio.run(main())
