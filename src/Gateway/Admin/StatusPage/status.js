"use strict";
// The status page: polls GET /admin/status (cumulative counters, the same ones /metrics exports, summed over every
// replica the shared store knows) and turns successive snapshots into per-second rates; reads GET /admin/audit less
// often. The admin key lives in sessionStorage only.
(() => {
  const KEY = "gateway-admin-key";
  const POLL_MS = 1500;
  const AUDIT_MS = 5000;
  const AUDIT_ROWS = 10;
  // An answer this close to the last sample (a button's poll right after the timer's) is shown but not sampled: over
  // so short an interval one replica's published count arriving reads as a spike.
  const MIN_SAMPLE_MS = 750;
  const WINDOW_MS = 5 * 60 * 1000;
  const CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];
  const history = [];
  let timer = null;
  let last = null;
  // One question of each kind at a time: while the store is away an answer can take seconds, and asking again on
  // every tick would pile questions up.
  let polling = null;
  let auditing = null;
  let auditAskedAt = 0;
  let auditReadAt = null;
  let auditShown = "";

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const fmt = (n, digits = 1) => Number(n).toLocaleString("en", { maximumFractionDigits: digits });
  // Live regions speak on every write: only a changed text is written.
  const setText = (node, text) => {
    if (node.textContent !== text) node.textContent = text;
  };
  const when = (iso) => {
    const date = new Date(iso);
    return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
  };

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { "X-Admin-Key": sessionStorage.getItem(KEY) || "", ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page): the status code says enough.
    }
    return { status: response.status, json, retryAfter: response.headers.get("Retry-After") };
  }

  const poll = () => (polling ||= readStatus().finally(() => (polling = null)));
  const pollAudit = () => (auditing ||= readAudit().finally(() => (auditing = null)));

  async function readStatus() {
    let result;
    try {
      result = await api("GET", "/admin/status");
    } catch (error) {
      $("updated").textContent = "Gateway unreachable, retrying";
      return;
    }
    if (result.status === 401) {
      sessionStorage.removeItem(KEY);
      showLogin("That key was not accepted.");
      return;
    }
    if (result.status === 429) {
      // Too many wrong keys from this address: every key is refused until the window ends (polling does not count).
      sessionStorage.removeItem(KEY);
      showLogin(`Too many wrong keys from this address: try again in ${result.retryAfter || 60} s.`);
      return;
    }
    if (result.status !== 200) {
      $("updated").textContent = `Status endpoint answered ${result.status}`;
      return;
    }
    last = result.json;
    const now = Date.now();
    const previous = history[history.length - 1];
    const replicas = last.replicas || { complete: true, seen: [] };
    if (!previous || now - previous.t >= MIN_SAMPLE_MS) {
      history.push({
        t: now, byClass: last.totals.byClass, byOrigin: last.totals.byOrigin, replicas,
        reset: previous !== undefined && replicasChanged(previous.replicas, replicas),
      });
      while (history.length > 2 && history[0].t < now - WINDOW_MS) history.shift();
    }
    render(last);
    if (now - auditAskedAt >= AUDIT_MS) pollAudit();
  }

  // The totals are a sum over the replicas seen: when one joins, leaves (or the store goes away, leaving this one) or
  // restarts (its count drops while its time does not go back), the two sums are not comparable.
  function replicasChanged(before, now) {
    if (before.complete !== now.complete || before.seen.length !== now.seen.length) return true;
    const was = new Map(before.seen.map((replica) => [replica.name, replica]));
    return now.seen.some((replica) => {
      const old = was.get(replica.name);
      return !old || (replica.requests < old.requests && Date.parse(replica.countedAt) >= Date.parse(old.countedAt));
    });
  }

  // Successive samples as counts per interval. Between resets the true totals only grow, but an answer may carry an
  // older published count of another replica than the last answer did: the highest total seen is the baseline, so
  // such a dip counts 0 and the next answer no spike. A reset's interval is not counted at all.
  function intervals() {
    const points = [];
    const resets = [];
    let high = null;
    history.forEach((sample, i) => {
      if (i === 0 || sample.reset) {
        if (i > 0) resets.push(sample.t);
        high = { byClass: { ...sample.byClass }, byOrigin: { ...sample.byOrigin } };
        return;
      }
      const point = { t: sample.t, seconds: (sample.t - history[i - 1].t) / 1000, byClass: {}, byOrigin: {} };
      for (const key of ["byClass", "byOrigin"]) {
        for (const name of Object.keys({ ...sample[key], ...high[key] })) {
          const value = sample[key][name] || 0;
          const before = high[key][name] || 0;
          point[key][name] = Math.max(0, value - before);
          high[key][name] = Math.max(value, before);
        }
      }
      points.push(point);
    });
    return { points, resets };
  }

  const perSecond = (point, key) => (point
    ? Object.fromEntries(Object.entries(point[key]).map(([name, count]) => [name, count / point.seconds]))
    : {});

  function render(status) {
    $("updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
    renderScope(status);
    const { points, resets } = intervals();
    renderChart(points, resets);
    renderOrigins(points);
    renderMaintenance(status.maintenance);
    renderRoutes(status);
    renderConfig(status.lastConfigReload, status.configReloads);
  }

  function renderScope(status) {
    const replicas = status.replicas || { complete: true, seen: [] };
    const store = status.store || { kind: "memory", reachable: true };
    const names = replicas.seen.map((replica) => replica.name);
    const since = `since ${store.unreachableSince ? when(store.unreachableSince) : "an unknown time"}`;
    setText($("replicas"), replicas.complete
      ? `Whole gateway: ${names.length} replica${names.length === 1 ? "" : "s"} (${names.join(", ")}) · answered by ${status.replica} · store ${store.kind}`
      : `This replica only: ${status.replica} · store ${store.kind}`);
    setText($("store-warning"),
      !store.reachable ? `Shared store unreachable ${since}; ${replicas.complete ? "the numbers were read just before" : "numbers are this replica's only"}, and maintenance changes are refused until it returns.`
      : !replicas.complete ? "The shared store did not answer this read; numbers are this replica's only."
      : "");
  }

  function renderChart(points, resets) {
    const svg = $("chart");
    svg.replaceChildren();
    const width = 600, height = 220, top = 10;
    const now = Date.now();
    // Until five minutes of samples exist, the chart spans what there is (at least 30 s) instead of a sliver.
    const span = Math.max(30000, Math.min(WINDOW_MS, now - history[0].t));
    const x = (t) => width - ((now - t) / span) * width;
    const rates = points.map((p) => perSecond(p, "byClass"));
    const totals = rates.map((values) => CLASSES.reduce((sum, c) => sum + (values[c] || 0), 0));
    const max = Math.max(1, ...totals);
    const y = (v) => height - (v / max) * (height - top);
    const ns = "http://www.w3.org/2000/svg";
    const base = points.map(() => 0);
    for (const cls of CLASSES) {
      if (points.length < 2) break;
      const upper = rates.map((values, i) => base[i] + (values[cls] || 0));
      const path = points.map((p, i) => `${x(p.t)},${y(upper[i])}`)
        .concat(points.slice().reverse().map((p, j) => `${x(p.t)},${y(base[points.length - 1 - j])}`));
      const polygon = document.createElementNS(ns, "polygon");
      polygon.setAttribute("points", path.join(" "));
      polygon.setAttribute("fill", `var(--c${cls})`);
      polygon.setAttribute("fill-opacity", "0.8");
      svg.appendChild(polygon);
      upper.forEach((v, i) => (base[i] = v));
    }
    for (const t of resets.filter((r) => x(r) >= 0)) {
      const line = document.createElementNS(ns, "line");
      line.setAttribute("x1", x(t)); line.setAttribute("x2", x(t)); line.setAttribute("y1", top); line.setAttribute("y2", height);
      line.setAttribute("class", "reset");
      svg.appendChild(line);
    }
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", "6"); label.setAttribute("y", "20"); label.setAttribute("font-size", "12");
    label.textContent = `${fmt(max)} /s`;
    svg.appendChild(label);

    const current = rates.length ? rates[rates.length - 1] : {};
    const now1 = CLASSES.reduce((sum, c) => sum + (current[c] || 0), 0);
    $("chart-summary").textContent = (points.length
      ? `Now ${fmt(now1)} responses/s: ` + CLASSES.map((c) => `${c} ${fmt(current[c] || 0)}`).join(", ")
      : "Collecting the first samples")
      + (resets.length ? "; a dashed line marks where the replicas changed (that interval is not counted)" : "");
    const legend = $("legend");
    legend.replaceChildren(...CLASSES.map((c) => {
      const item = el("li");
      const swatch = el("span", "", "swatch");
      swatch.style.background = `var(--c${c})`;
      item.append(swatch, `${c} ${fmt(current[c] || 0)}/s`);
      return item;
    }));
  }

  function renderOrigins(points) {
    const latest = history[history.length - 1].byOrigin;
    const current = perSecond(points[points.length - 1], "byOrigin");
    const rows = Object.keys(latest).sort().map((origin) => {
      const row = el("tr");
      const counted = points.reduce((sum, p) => sum + (p.byOrigin[origin] || 0), 0);
      row.append(el("th", origin), el("td", fmt(counted, 0)), el("td", fmt(current[origin] || 0)));
      row.firstChild.scope = "row";
      return row;
    });
    $("origins").tBodies[0].replaceChildren(...rows);
  }

  function renderMaintenance(m) {
    const state = $("maintenance-state");
    state.className = "state " + (m.active ? "warn" : "ok");
    state.textContent = !m.active
      ? (m.enabled ? "Scheduled, not active now" : "Serving: no maintenance")
      : `In maintenance: ${m.scope === "gateway" ? "the whole gateway" : m.routes.join(", ")}` + (m.until ? ` until ${new Date(m.until).toLocaleString()}` : "");
  }

  function healthText(destination) {
    // Which check took it out: the active probes, or passive health (YARP's breaker on failed real requests).
    const by = [destination.activeHealth === "Unhealthy" ? "active check" : null, destination.passiveHealth === "Unhealthy" ? "passive check" : null]
      .filter((check) => check);
    return by.length ? `${destination.id} unhealthy (${by.join(" and ")})` : `${destination.id} ${destination.health}`;
  }

  function renderRoutes(status) {
    const m = status.maintenance;
    const rows = status.routes.map((route) => {
      const row = el("tr");
      const policies = [
        route.rateLimiterPolicy && `rate limit: ${route.rateLimiterPolicy}`,
        route.timeout && `timeout: ${route.timeout}`,
        route.authorizationPolicy && `auth: ${route.authorizationPolicy}`,
      ].filter(Boolean).join("; ") || "none";
      const healthy = route.destinations.every((d) => d.health !== "unhealthy");
      const state = el("td", route.maintenance ? "maintenance" : healthy ? "serving" : "no healthy destination",
        "state " + (route.maintenance ? "warn" : healthy ? "ok" : "bad"));
      const destinations = el("td");
      route.destinations.forEach((d) => destinations.append(el("div", healthText(d), "state " + (d.health === "unhealthy" ? "bad" : "ok"))));
      const ratio = route.requests ? `${fmt((100 * route.errors) / route.requests)}% 5xx` : "no requests";
      const action = el("td");
      const button = el("button", route.maintenance ? `End maintenance for ${route.id}` : `Start maintenance for ${route.id}`);
      button.type = "button";
      button.disabled = route.maintenance && m.scope === "gateway";
      button.addEventListener("click", () => toggleRoute(route.id, !route.maintenance));
      action.append(button);
      const id = el("th", route.id);
      id.scope = "row";
      row.append(id, el("td", route.path || ""), el("td", route.cluster), el("td", policies), state, destinations,
        el("td", fmt(route.requests, 0)), el("td", ratio), action);
      return row;
    });
    $("routes").tBodies[0].replaceChildren(...rows);
  }

  function renderConfig(reload, counts) {
    const state = $("config-state");
    const errors = $("config-errors");
    if (!reload) { state.textContent = "No reload yet"; return; }
    state.className = "state " + (reload.succeeded ? "ok" : "bad");
    state.textContent = `${reload.succeeded ? "Applied" : "Rejected (the last good config keeps serving)"} at ${new Date(reload.at).toLocaleString()}; ${counts.applied} applied, ${counts.rejected} rejected since start`;
    errors.hidden = reload.succeeded;
    errors.textContent = (reload.errors || []).join("\n");
  }

  async function readAudit() {
    auditAskedAt = Date.now();
    let result;
    try {
      result = await api("GET", "/admin/audit");
    } catch (error) {
      result = { status: 0, json: null };
    }
    if (result.status === 401) return; // The status poll asks for a key.
    const state = $("audit-state");
    if (result.status === 200) {
      auditReadAt = new Date();
      renderAudit(result.json, state);
      return;
    }
    const shown = auditReadAt && $("audit").tBodies[0].rows.length ? ` The rows below are as read at ${auditReadAt.toLocaleTimeString()}.` : "";
    state.className = "bad";
    setText(state, result.status === 503
      ? `The audit cannot be read now (503): it is kept in the shared store, which is unreachable. Retrying every ${AUDIT_MS / 1000} s.${shown}`
      : result.status === 0 ? `The audit could not be read (gateway unreachable); retrying.${shown}`
      : `The audit endpoint answered ${result.status}. ${(result.json && result.json.detail) || ""}${shown}`);
  }

  function renderAudit(audit, state) {
    const entries = audit.entries || [];
    const newest = entries.slice(0, AUDIT_ROWS);
    state.className = "";
    setText(state, !entries.length ? "No admin changes yet."
      : `${entries.length > newest.length ? `The newest ${newest.length} of ${entries.length}` : entries.length} change${entries.length === 1 ? "" : "s"}, newest first (the gateway keeps the newest ${audit.keep}).`);
    const shown = JSON.stringify(newest);
    if (shown === auditShown) return;
    auditShown = shown;
    $("audit").tBodies[0].replaceChildren(...newest.map((entry) => {
      const row = el("tr");
      const time = el("th");
      time.scope = "row";
      const stamp = el("time", when(entry.time));
      stamp.dateTime = entry.time;
      time.append(stamp);
      row.append(time, el("td", entry.replica), el("td", entry.key, "key"), el("td", entry.action), el("td", changeText(entry)));
      return row;
    }));
  }

  function changeText(entry) {
    const change = entry.change || {};
    if (entry.action === "maintenance.end") return "ended";
    if (entry.action !== "maintenance.set") return JSON.stringify(change).slice(0, 120);
    if (!change.enabled) return "disabled";
    const routes = change.routes || [];
    return [
      "enabled",
      routes.length ? `routes: ${routes.join(", ")}` : "whole gateway",
      change.from && `from ${when(change.from)}`,
      change.until && `until ${when(change.until)}`,
    ].filter(Boolean).join(", ");
  }

  async function act(method, body) {
    const result = await api(method, "/admin/maintenance", body);
    const out = $("action-result");
    out.className = result.status === 200 ? "" : "bad";
    out.textContent = result.status === 200 ? "Done."
      : result.status === 403 ? "This key may only read: maintenance needs an admin key."
      : `Refused (${result.status}): ${(result.json && result.json.detail) || ""}`;
    // Fresh reads after the change: a question already under way may have been answered before it.
    await Promise.all([polling, auditing]);
    await Promise.all([pollAudit(), poll()]);
  }

  function toggleRoute(routeId, start) {
    const m = last.maintenance;
    const current = m.enabled && m.scope === "routes" ? m.routes : [];
    const routes = start ? [...new Set([...current, routeId])] : current.filter((r) => r !== routeId);
    return routes.length ? act("PUT", { enabled: true, routes }) : act("DELETE");
  }

  function showLogin(message) {
    clearInterval(timer);
    setText($("replicas"), "");
    setText($("store-warning"), "");
    $("login").hidden = false;
    $("dashboard").hidden = true;
    $("login-error").textContent = message || "";
    $("key").focus();
  }

  function start() {
    $("login").hidden = true;
    $("dashboard").hidden = false;
    poll();
    timer = setInterval(poll, POLL_MS);
  }

  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $("key").value);
    start();
  });
  $("maintenance-all-on").addEventListener("click", () => act("PUT", { enabled: true }));
  $("maintenance-off").addEventListener("click", () => act("DELETE"));

  if (sessionStorage.getItem(KEY)) start(); else showLogin();
})();
