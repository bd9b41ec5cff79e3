"use strict";
// The status page: polls GET /admin/status and draws what the gateway says. The last 5 minutes (5-second buckets,
// summed over every replica) and the rate come from the gateway, so every tab and every reload shows the same chart;
// so does each route's state. Reads GET /admin/audit less often. The admin key lives in sessionStorage only.
(() => {
  const KEY = "gateway-admin-key";
  const POLL_MS = 1500;
  const AUDIT_MS = 5000;
  const AUDIT_ROWS = 10;
  const CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];
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
    render(last);
    if (now - auditAskedAt >= AUDIT_MS) pollAudit();
  }

  function render(status) {
    $("updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
    renderScope(status);
    renderTraffic(status.history, status.rate);
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

  // The scale's top: a round number above the highest bar, so it reads as a scale, not as a rate.
  function scaleTop(value) {
    const power = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
    return [1, 2, 5, 10].map((m) => m * power).find((top) => top >= value) || 10 * power;
  }

  function renderTraffic(history, rate) {
    const svg = $("chart");
    svg.replaceChildren();
    const width = 600, height = 220;
    const step = history.stepSeconds;
    const buckets = history.buckets;
    const slot = width / buckets.length;
    const top = scaleTop(Math.max(...buckets.map((b) => b.requests / step)));
    const ns = "http://www.w3.org/2000/svg";
    for (const y of [0, height / 2]) {
      const grid = document.createElementNS(ns, "line");
      grid.setAttribute("x1", 0); grid.setAttribute("x2", width); grid.setAttribute("y1", y + 0.5); grid.setAttribute("y2", y + 0.5);
      grid.setAttribute("class", "grid");
      svg.appendChild(grid);
    }
    // One bar per 5-second bucket, its classes stacked.
    buckets.forEach((bucket, i) => {
      let base = height;
      for (const cls of CLASSES) {
        const value = (bucket.byClass[cls] || 0) / step;
        if (!value) continue;
        const h = (value / top) * height;
        const bar = document.createElementNS(ns, "rect");
        bar.setAttribute("x", i * slot + 0.5); bar.setAttribute("width", slot - 1);
        bar.setAttribute("y", base - h); bar.setAttribute("height", h);
        bar.setAttribute("fill", `var(--c${cls})`);
        svg.appendChild(bar);
        base -= h;
      }
    });
    setText($("axis-top"), `${fmt(top)}/s`);
    setText($("axis-middle"), `${fmt(top / 2)}/s`);

    // The one rate on the page: the newest complete bucket, which is the chart's last bar.
    const rateNode = $("rate");
    const parts = CLASSES.filter((c) => rate.byClass[c]).map((c) => `${c} ${fmt(rate.byClass[c])}`);
    rateNode.replaceChildren(el("strong", fmt(rate.perSecond)), ` responses/s now${parts.length ? ` (${parts.join(" · ")})` : ""}`,
      el("span", ` over the last ${rate.seconds} s, the chart's last bar · ${fmt(history.totals.requests, 0)} in the last 5 minutes`, "muted"));
    const from = new Date(history.from).toLocaleTimeString(), to = new Date(history.to).toLocaleTimeString();
    setText($("chart-summary"), `Responses per second in ${step}-second bars from ${from} to ${to}, stacked by class.`);
    $("legend").replaceChildren(...CLASSES.map((c) => {
      const item = el("li");
      const swatch = el("span", "", "swatch");
      swatch.style.background = `var(--c${c})`;
      item.append(swatch, `${c}: ${fmt(history.totals.byClass[c] || 0, 0)}`);
      return item;
    }));
    renderOrigins(history.totals);
  }

  function renderOrigins(totals) {
    const rows = Object.keys(totals.byOrigin).sort().map((origin) => {
      const row = el("tr");
      const count = totals.byOrigin[origin];
      row.append(el("th", origin), el("td", fmt(count, 0)), el("td", `${fmt((100 * count) / totals.requests)}%`));
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

  // A table cell that also names its column where the rows are stacked as cards (narrow screens).
  const cell = (label, content, className) => {
    const td = el("td", typeof content === "string" ? content : undefined, className);
    if (typeof content !== "string") td.append(...content);
    td.dataset.label = label;
    return td;
  };

  const STATE_CLASS = { serving: "ok", degraded: "warn", maintenance: "warn", failing: "bad" };

  // A gRPC error is an HTTP 200: the 5xx share above never shows it. Who made each: the upstream, or the gateway (by origin).
  function grpcText(grpc) {
    if (!grpc.errors) return `gRPC errors inside HTTP 200: none of ${fmt(grpc.responses, 0)}`;
    const codes = (origin) => Object.entries(grpc.byOrigin[origin]).map(([code, n]) => `${code} ${fmt(n, 0)}`).join(", ");
    const parts = Object.keys(grpc.byOrigin).map((origin) =>
      origin === "upstream" ? `upstream answered ${codes(origin)}`
        : origin === "client" ? `client left ${codes(origin)}`
          : `gateway made (${origin}) ${codes(origin)}`);
    return `gRPC errors inside HTTP 200: ${fmt(grpc.errors, 0)} of ${fmt(grpc.responses, 0)} (${parts.join("; ")})`;
  }

  function renderRoutes(status) {
    const m = status.maintenance;
    const rows = status.routes.map((route) => {
      const row = el("tr");
      row.dataset.route = route.id;
      const policies = [
        route.rateLimiterPolicy && `rate limit: ${route.rateLimiterPolicy}`,
        route.timeout && `timeout: ${route.timeout}`,
        route.authorizationPolicy && `auth: ${route.authorizationPolicy}`,
      ].filter(Boolean).join("; ");
      const id = el("th");
      id.scope = "row";
      id.append(el("span", route.id, "route-id"), el("code", route.path || (route.hosts || []).join(", "), "path"));
      if (policies) id.append(el("span", policies, "policies"));
      const stateName = route.state || (route.maintenance ? "maintenance" : "serving");
      const state = [el("span", stateName, `state ${STATE_CLASS[stateName] || "bad"}`)];
      if (route.stateReason) state.push(el("span", route.stateReason, "reason"));
      const destinations = [el("span", `cluster ${route.cluster}`, "cluster")];
      // Unknown (no check has said either way) is not shown as healthy.
      route.destinations.forEach((d) => destinations.push(el("span", healthText(d), "dest " + ({ unhealthy: "bad", healthy: "ok" }[d.health] || "unknown"))));
      const recent = route.recent;
      const answers = !recent || !recent.requests ? "none"
        : `${fmt(recent.requests, 0)} in the last ${recent.seconds >= 300 ? "5 minutes" : "minute"}, ${fmt((100 * recent.errors) / recent.requests, 0)}% 5xx`;
      const answerCell = [el("span", answers)];
      if (route.grpc) answerCell.push(el("span", grpcText(route.grpc), "grpc " + (route.grpc.errors ? "bad" : "ok")));
      const button = el("button", route.maintenance ? "End maintenance" : "Start maintenance");
      button.append(el("span", ` for ${route.id}`, "visually-hidden"));
      button.type = "button";
      button.disabled = route.maintenance && m.scope === "gateway";
      button.addEventListener("click", () => toggleRoute(route.id, !route.maintenance));
      row.append(id, cell("State", state), cell("Destinations", destinations), cell("Recent answers", answerCell), cell("Maintenance", [button]));
      return row;
    });
    $("routes").tBodies[0].replaceChildren(...rows);
  }

  function renderConfig(reload, counts) {
    const state = $("config-state");
    const errors = $("config-errors");
    if (!reload) { state.textContent = "No reload yet"; return; }
    state.className = "state " + (reload.succeeded ? "ok" : "bad");
    // took: how long the edit took from reading the file ("00:00:00.1663131"); none for the load at start.
    const took = reload.took ? ` in ${reload.took.split(":").reduce((total, part) => total * 60 + Number(part), 0).toFixed(2)} s` : "";
    state.textContent = `${reload.succeeded ? "Applied" : "Rejected (the last good config keeps serving)"}${took} at ${new Date(reload.at).toLocaleString()}; ${counts.applied} applied, ${counts.rejected} rejected since start`;
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
      row.append(time, cell("Replica", entry.replica), cell("Key", [el("span", entry.key, "key")]), cell("Action", entry.action), cell("Change", changeText(entry)));
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
