"use strict";
// The status page: polls GET /admin/status (cumulative counters, the same ones /metrics exports) and
// turns successive snapshots into per-second rates. The admin key lives in sessionStorage only.
(() => {
  const KEY = "gateway-admin-key";
  const POLL_MS = 1500;
  const WINDOW_MS = 5 * 60 * 1000;
  const CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];
  const history = [];
  let timer = null;
  let last = null;

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const fmt = (n, digits = 1) => Number(n).toLocaleString("en", { maximumFractionDigits: digits });

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { "X-Admin-Key": sessionStorage.getItem(KEY) || "", ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    return { status: response.status, json };
  }

  async function poll() {
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
    if (result.status !== 200) {
      $("updated").textContent = `Status endpoint answered ${result.status}`;
      return;
    }
    last = result.json;
    history.push({ t: Date.now(), byClass: last.totals.byClass, byOrigin: last.totals.byOrigin });
    while (history.length > 2 && history[0].t < Date.now() - WINDOW_MS) history.shift();
    render(last);
  }

  function rates(key) {
    const points = [];
    for (let i = 1; i < history.length; i++) {
      const seconds = (history[i].t - history[i - 1].t) / 1000;
      const point = { t: history[i].t, values: {} };
      for (const name of Object.keys({ ...history[i][key], ...history[i - 1][key] })) {
        point.values[name] = Math.max(0, ((history[i][key][name] || 0) - (history[i - 1][key][name] || 0)) / seconds);
      }
      points.push(point);
    }
    return points;
  }

  function render(status) {
    $("updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
    renderChart(rates("byClass"));
    renderOrigins(rates("byOrigin"));
    renderMaintenance(status.maintenance);
    renderRoutes(status);
    renderConfig(status.lastConfigReload, status.configReloads);
  }

  function renderChart(points) {
    const svg = $("chart");
    svg.replaceChildren();
    const width = 600, height = 220, top = 10;
    const now = Date.now();
    // Until five minutes of samples exist, the chart spans what there is (at least 30 s) instead of a sliver.
    const span = Math.max(30000, Math.min(WINDOW_MS, now - history[0].t));
    const x = (t) => width - ((now - t) / span) * width;
    const totals = points.map((p) => CLASSES.reduce((sum, c) => sum + (p.values[c] || 0), 0));
    const max = Math.max(1, ...totals);
    const y = (v) => height - (v / max) * (height - top);
    const ns = "http://www.w3.org/2000/svg";
    const base = points.map(() => 0);
    for (const cls of CLASSES) {
      if (points.length < 2) break;
      const upper = points.map((p, i) => base[i] + (p.values[cls] || 0));
      const path = points.map((p, i) => `${x(p.t)},${y(upper[i])}`)
        .concat(points.slice().reverse().map((p, j) => `${x(p.t)},${y(base[points.length - 1 - j])}`));
      const polygon = document.createElementNS(ns, "polygon");
      polygon.setAttribute("points", path.join(" "));
      polygon.setAttribute("fill", `var(--c${cls})`);
      polygon.setAttribute("fill-opacity", "0.8");
      svg.appendChild(polygon);
      upper.forEach((v, i) => (base[i] = v));
    }
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", "6"); label.setAttribute("y", "20"); label.setAttribute("font-size", "12");
    label.textContent = `${fmt(max)} /s`;
    svg.appendChild(label);

    const current = points.length ? points[points.length - 1].values : {};
    const now1 = CLASSES.reduce((sum, c) => sum + (current[c] || 0), 0);
    $("chart-summary").textContent = points.length
      ? `Now ${fmt(now1)} responses/s: ` + CLASSES.map((c) => `${c} ${fmt(current[c] || 0)}`).join(", ")
      : "Collecting the first samples";
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
    const first = history[0].byOrigin, latest = history[history.length - 1].byOrigin;
    const current = points.length ? points[points.length - 1].values : {};
    const rows = Object.keys(latest).sort().map((origin) => {
      const row = el("tr");
      row.append(el("th", origin), el("td", fmt((latest[origin] || 0) - (first[origin] || 0), 0)), el("td", fmt(current[origin] || 0)));
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
    return `${destination.id} ${destination.health}`;
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

  async function act(method, body) {
    const result = await api(method, "/admin/maintenance", body);
    const out = $("action-result");
    out.className = result.status === 200 ? "" : "bad";
    out.textContent = result.status === 200 ? "Done."
      : result.status === 403 ? "This key may only read: maintenance needs an admin key."
      : `Refused (${result.status}): ${(result.json && result.json.detail) || ""}`;
    await poll();
  }

  function toggleRoute(routeId, start) {
    const m = last.maintenance;
    const current = m.enabled && m.scope === "routes" ? m.routes : [];
    const routes = start ? [...new Set([...current, routeId])] : current.filter((r) => r !== routeId);
    return routes.length ? act("PUT", { enabled: true, routes }) : act("DELETE");
  }

  function showLogin(message) {
    clearInterval(timer);
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
