#!/usr/bin/env bash
# Regenerates docs/status-page.png, the README's picture of the status page. Run it on purpose (no test does):
#   docs/screenshots/status-page.sh [seconds of traffic, default 90]
# Starts the native demo with its traffic, waits, takes a 1280x800 (full page) screenshot with Debian's Chromium
# (driven by Playwright, as the status page's tests are), writes docs/status-page.png and stops the demo.
# Needs: the .NET SDK, chromium (apt-get install chromium), and the demo's ports free (8080, 8081, 5001-5003).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-90}"
admin=http://localhost:8081
key=demo-admin-key

for port in 8080 8081 5001 5002 5003; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (another demo running?): stop it first" >&2; exit 1
  fi
done

echo "building the demo and the screenshot tool"
dotnet build src/Demo -v quiet -nologo
dotnet build docs/screenshots/status-page.cs -v quiet -nologo

log=$(mktemp)
dotnet run --no-build --project src/Demo >"$log" 2>&1 &
demo=$!
trap 'kill "$demo" 2>/dev/null; wait "$demo" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 120); do
  curl -fs -o /dev/null "$admin/healthz" && break
  kill -0 "$demo" 2>/dev/null || { echo "the demo stopped:" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 1
done
curl -fs -o /dev/null "$admin/healthz" || { echo "the demo did not answer on $admin" >&2; exit 1; }

echo "the demo is up; $seconds s of traffic"
sleep "$seconds"
dotnet run --no-build docs/screenshots/status-page.cs -- "$admin/" "$key" docs/status-page.png
