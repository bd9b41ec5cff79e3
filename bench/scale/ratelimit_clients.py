#!/usr/bin/env python3
"""Memory with rate-limit partitions for many distinct clients, and that idle expiry gives it back; in memory and Redis.
  python3 bench/scale/ratelimit_clients.py [CLIENTS] [STORES]   (default 100000 memory,redis; needs wrk and redis-server)
The gateway trusts 127.0.0.1 as a proxy, so X-Forwarded-For names the client: wrk sends each request as one of CLIENTS
addresses, each once (bench/scale/ratelimit_clients.lua), to a route whose policy is a fixed window of 100 per 2 minutes per
client (long enough that every partition is still held when the last client came). Read:
the partitions gauge and RSS before, at the end of the load, and after the partitions went idle (the framework
drops a partition idle for 10 s; a window limiter is idle once its window has passed unused); with Redis also the key count, Redis' used_memory and that every key has a TTL and the
keys are gone once the window passed."""
import json, os, random, subprocess, sys, time
import scalelib as s

CLIENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
# LOAD_SECONDS: how long wrk runs (default CLIENTS / 1000); WINDOW: the policy's window, which must outlast the load
# for every client's partition or key to be held at once (through Redis each request waits for a round trip).
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", max(20, CLIENTS // 1000)))
WINDOW = os.environ.get("WINDOW", "00:02:00")
# WAVES=2 (memory only): a second 100,000 new clients after the first expired.
WAVES = int(os.environ.get("WAVES", "1"))


def redis(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], check=True, capture_output=True, text=True).stdout.strip()


def limiter_keys(port):
    """The rate limiter's keys (the gateway keeps other keys in Redis too: replicas, status history)."""
    return redis(port, "--scan", "--pattern", "*ratelimit:*").splitlines()


def run(store, chaos_port, redis_port=None):
    config = s.base_config(chaos_port)
    config["Gateway"]["TrustedProxies"] = ["127.0.0.1"]
    config["RateLimiting"]["Policies"]["per-client"] = {"Kind": "FixedWindow", "PermitLimit": 100, "Window": WINDOW}
    config["ReverseProxy"]["Routes"]["rl"] = {"ClusterId": "chaos", "RateLimiterPolicy": "per-client", "Match": {"Path": "/rl"},
                                             "Transforms": [{"PathSet": "/chaos/status/200"}]}
    if redis_port:
        config["Store"]["Redis"]["ConnectionString"] = f"127.0.0.1:{redis_port}"
        config["Store"]["IntegrityKey"] = "bench-scale-integrity-key-0123456789abcdef"
    path = os.path.join(s.WORK, f"ratelimit-{store}.json")
    s.write_config(path, config)
    gateway = s.Gateway(path, log_name=f"gateway-ratelimit-{store}.log")
    gateway.wait(lambda: gateway.status("/rl") == 200, 180, "the gateway")
    subprocess.run(["wrk", "-t1", "-c16", "-d5s", gateway.url("/healthz-warm")], check=True, capture_output=True)
    time.sleep(12)
    before = {"rss_mib": s.mib(s.rss_kib(gateway.pid)),
              "partitions": gateway.metric("gateway_ratelimit_partitions")}
    # Enough time for every client at the rates seen here (~2,000 requests/s); the lua script sends each client once.
    seconds = LOAD_SECONDS
    out = subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds}s", "-s", os.path.join(os.path.dirname(__file__), "ratelimit_clients.lua"),
                          gateway.url("/rl")], check=True, capture_output=True, text=True, env={**os.environ, "CLIENTS": str(CLIENTS)}).stdout
    requests = int(next(line.split()[0] for line in out.splitlines() if "requests in" in line))
    non2xx = next((int(line.split()[-1]) for line in out.splitlines() if "Non-2xx" in line), 0)
    peak = {"rss_mib": s.mib(s.rss_kib(gateway.pid)),
            "partitions": gateway.metric("gateway_ratelimit_partitions")}
    limited = gateway.metric("gateway_responses_total", 'route="rl"')
    row = {"store": store, "window": WINDOW, "load_seconds": seconds, "rl_responses": limited, "clients": CLIENTS, "requests": requests, "non_2xx": non2xx, "before": before, "loaded": peak}
    if redis_port:
        all_keys = sorted(set(limiter_keys(redis_port)))  # SCAN may return a key twice
        keys = len(all_keys)
        sample = random.sample(all_keys, min(200, keys))  # not the first: the oldest keys are the next to expire
        ttls = [int(redis(redis_port, "pttl", key)) for key in sample]
        row["redis"] = {"keys": keys, "all_keys": int(redis(redis_port, "dbsize")), "used_memory_mib": int(redis(redis_port, "info", "memory").split("used_memory:")[1].split()[0]) / 2**20,
                        "sampled_keys_with_ttl": sum(t > 0 for t in ttls), "sampled_keys_without_ttl": sum(t == -1 for t in ttls),
                        "sampled_keys_expired_meanwhile": sum(t == -2 for t in ttls), "sampled": len(ttls), "example_key": sample[0] if sample else None}
    started = time.monotonic()
    s.wait_until(lambda: gateway.metric("gateway_ratelimit_partitions") == 0, 900, "the partitions to expire")
    row["partitions_gone_after_s"] = round(time.monotonic() - started, 1)
    if redis_port:
        s.wait_until(lambda: not limiter_keys(redis_port), 900, "the rate limiter's Redis keys to expire")
        row["redis_keys_gone_after_s"] = round(time.monotonic() - started, 1)
    # The runtime keeps freed heap for reuse: let a GC cycle run under a little traffic before reading again.
    subprocess.run(["wrk", "-t1", "-c4", "-d5s", gateway.url("/healthz-warm")], check=True, capture_output=True)
    time.sleep(2)
    row["idle"] = {"rss_mib": s.mib(s.rss_kib(gateway.pid)),
                   "partitions": gateway.metric("gateway_ratelimit_partitions")}
    if WAVES > 1 and not redis_port:
        # New clients (11.x.y.z) once the first wave's partitions are gone: the freed memory is reused, not added to.
        subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds}s", "-s", os.path.join(os.path.dirname(__file__), "ratelimit_clients.lua"),
                        gateway.url("/rl")], check=True, capture_output=True, text=True,
                       env={**os.environ, "CLIENTS": str(CLIENTS), "FIRST_OCTET": "11"})
        row["loaded_again"] = {"rss_mib": s.mib(s.rss_kib(gateway.pid)), "partitions": gateway.metric("gateway_ratelimit_partitions")}
    for key in ("before", "loaded", "idle", "loaded_again"):
        if key not in row:
            continue
        row[key] = {k: round(v, 1) for k, v in row[key].items()}
    row["per_client_kib"] = round((row["loaded"]["rss_mib"] - row["before"]["rss_mib"]) * 1024 / CLIENTS, 2)
    gateway.stop()
    return row


def main():
    stores = (sys.argv[2] if len(sys.argv) > 2 else "memory,redis").split(",")
    chaos_port, _ = s.start_chaos()
    if "memory" in stores:
        print(json.dumps(run("memory", chaos_port)), flush=True)
    if "redis" not in stores:
        return
    redis_port = s.free_port()
    s.start(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], "redis.log")
    s.wait_until(lambda: redis(redis_port, "ping") == "PONG", 20, "redis")
    print(json.dumps(run("redis", chaos_port, redis_port)), flush=True)


if __name__ == "__main__":
    main()
