#!/usr/bin/env python3
"""Exactly COUNT GET requests over CONNECTIONS keep-alive HTTP/1.1 connections (issue 28's load for callgrind windows).

Usage: load.py PORT PATH COUNT [CONNECTIONS] [HEADER ...]   (HEADER as "Name: value")
Every answer must be 200 with a Content-Length body; anything else exits 1, so a window never counts error answers.
A fixed count, not a duration, so instructions divided by requests is exact."""
import asyncio
import sys


async def connection(port, request, count, failures):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(count):
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = head.split(b" ", 2)[1]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            if status != b"200":
                failures.append(status.decode())
    finally:
        writer.close()


async def main():
    port, path, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    connections = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    headers = "".join(f"{header}\r\n" for header in sys.argv[5:])
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}\r\n".encode()
    shares = [count // connections + (1 if k < count % connections else 0) for k in range(connections)]
    failures = []
    await asyncio.gather(*(connection(port, request, share, failures) for share in shares if share))
    if failures:
        sys.exit(f"load.py: {len(failures)} of {count} answers were not 200 (first: {failures[0]})")


asyncio.run(main())
