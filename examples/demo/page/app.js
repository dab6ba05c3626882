// The demo page. Every call goes to the API with the user's cookies and shows
// what this page could read of the answer: status, body and the two custom
// response headers, or the bare network error a CORS failure turns into.
"use strict";

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const api = meta("api-origin");
const allowed = meta("allowed-origins").split(" ");

async function call(label, path, init = {}) {
  let result;
  try {
    const response = await fetch(api + path, { ...init, credentials: "include" });
    result = {
      ok: true,
      status: response.status,
      body: parse(await response.text()),
      headers: readable((name) => response.headers.get(name)),
    };
  } catch (error) {
    // The browser refused to show the page the response (or to send the
    // request after a failed preflight): the page learns nothing more.
    result = { ok: false, error: `${error.name}: ${error.message}` };
  }
  show(label, result);
  return result;
}

// The same call with XMLHttpRequest and withCredentials, as older code does.
// A CORS failure is an "error" event with status 0, and nothing readable.
async function xhr(label, method, path, { headers = {}, body = null } = {}) {
  const result = await new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open(method, api + path);
    request.withCredentials = true;
    for (const [name, value] of Object.entries(headers)) {
      request.setRequestHeader(name, value);
    }
    request.onload = () =>
      resolve({
        ok: true,
        status: request.status,
        body: parse(request.responseText),
        headers: readable((name) => request.getResponseHeader(name)),
      });
    request.onerror = (event) =>
      resolve({
        ok: false,
        error: `XMLHttpRequest ${event.type} event, status ${request.status}`,
        event: event.type,
        status: request.status,
      });
    request.send(body);
  });
  show(label, result);
  return result;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text; // Not JSON: keep the text.
  }
}

// The two custom response headers GET /api/me sends; null when absent or not
// exposed to the page.
const readable = (get) => ({
  "x-request-id": get("x-request-id"),
  "x-served-by": get("x-served-by"),
});

function show(label, result) {
  const item = document.createElement("li");
  const title = document.createElement("div");
  title.className = "call";
  title.textContent = label;
  const detail = document.createElement("pre");
  if (result.ok) {
    const headers = Object.entries(result.headers)
      .map(([name, value]) => `${name}: ${value ?? "(not readable)"}`)
      .join("\n");
    detail.textContent = `${result.status} ${JSON.stringify(result.body)}\n${headers}`;
  } else {
    item.className = "failed";
    detail.textContent =
      `${result.error}\nBlocked by the browser: the page sees no status, body or header ` +
      `(the DevTools console tells why).`;
  }
  item.append(title, detail);
  document.getElementById("log").prepend(item);
}

const json = (value) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});

// The site of a host, as far as a page can tell without the public-suffix
// list: an IP address or a single label (localhost) is its own site, any other
// name is taken with its last two labels (right for example.com, not for
// example.co.uk). Only for the words below.
function site(hostname) {
  if (/^[0-9.]+$/.test(hostname) || hostname.startsWith("[") || !hostname.includes(".")) {
    return hostname;
  }
  return hostname.split(".").slice(-2).join(".");
}

// After a login the API answered 200: asks who is logged in (not listed in
// the results) and says what the browser did with the session cookie, then
// shows what the server logged.
async function explainCookie() {
  const status = document.getElementById("cookie-status");
  const apiHost = new URL(api).hostname;
  const crossSite = site(apiHost) !== site(location.hostname);
  let sent;
  try {
    const response = await fetch(api + "/api/me", { credentials: "include" });
    sent = response.status === 200;
  } catch (error) {
    status.textContent = `Logged in, but the check failed in the browser: ${error.name}: ${error.message}`;
    return "failed";
  }
  if (sent) {
    status.textContent = "Logged in: the browser sent the session cookie back to the API.";
  } else if (crossSite) {
    status.textContent =
      `Logged in, but the browser did not send the cookie back: it is a third-party cookie here ` +
      `(this page is on the site ${site(location.hostname)}, the API on ${site(apiHost)}). ` +
      (location.protocol === "https:"
        ? `Over https the demo's cookie is SameSite=Lax, which a browser never sends on a ` +
          `cross-site request. `
        : `Over http the demo's cookie is SameSite=None; Secure, which this browser blocks ` +
          `as a third-party cookie. `) +
      `Serve the page and the API ` +
      `under one site (app.example.com and api.example.com), or see ` +
      `cors-credentials/docs/cookies.md for what each engine does.`;
  } else {
    status.textContent =
      `Logged in, but the browser did not send the cookie back, though this page and the API ` +
      `are on one site: it dropped the cookie (WebKit drops a Secure cookie that came over ` +
      `http; run the demo with --https).`;
  }
  await showServerLog();
  return sent ? "sent" : crossSite ? "third-party" : "dropped";
}

// The API's last records of cors-credentials.
async function showServerLog() {
  const shown = document.getElementById("server-log");
  try {
    const response = await fetch(api + "/api/server-log", { credentials: "include" });
    const { records } = await response.json();
    shown.textContent = records.length
      ? records.join("\n")
      : "The API logged nothing of cors-credentials (with `cargo run --example demo` its " +
        "refusals and warnings appear here).";
  } catch (error) {
    shown.textContent = `(cannot read the server's log: ${error.name}: ${error.message})`;
  }
}

// Also called by the browser tests.
window.demo = {
  login: async (user) => {
    const result = await call("POST /api/login", "/api/login", {
      method: "POST",
      body: new URLSearchParams({ user }),
    });
    if (result.ok && result.status === 200) {
      result.cookie = await explainCookie();
    }
    return result;
  },
  serverLog: showServerLog,
  me: () => call("GET /api/me", "/api/me"),
  rename: (name) => call("PUT /api/me", "/api/me", { method: "PUT", ...json({ name }) }),
  renameWithHeader: (name) => {
    const init = { method: "PUT", ...json({ name }) };
    init.headers["x-debug"] = "1";
    return call("PUT /api/me with x-debug", "/api/me", init);
  },
  logout: () => call("POST /api/logout", "/api/logout", { method: "POST" }),
  xhrLogin: (user) =>
    xhr("XHR POST /api/login", "POST", "/api/login", { body: new URLSearchParams({ user }) }),
  xhrMe: () => xhr("XHR GET /api/me", "GET", "/api/me"),
  xhrRename: (name) =>
    xhr("XHR PUT /api/me", "PUT", "/api/me", json({ name })),
};

const value = (id) => document.getElementById(id).value;
const on = (id, action) => document.getElementById(id).addEventListener("click", action);
on("login", () => demo.login(value("user")));
on("me", () => demo.me());
on("logout", () => demo.logout());
on("rename", () => demo.rename(value("name")));
on("rename-empty", () => demo.rename(""));
on("rename-header", () => demo.renameWithHeader(value("name")));

const isAllowed = allowed.includes(location.origin);
document.getElementById("page-origin").textContent = location.origin;
document.getElementById("api-origin").textContent = api;
document.getElementById("allowed-origins").textContent = allowed.join(" and ");
document.getElementById("origin").className = isAllowed ? "allowed" : "blocked";
document.getElementById("verdict").textContent = isAllowed
  ? "allowed by the API: each call shows its real status and body."
  : "not allowed by the API: every call fails in the browser. The API answers what " +
    "reaches it with 403 before any handler runs, and a failed preflight keeps the " +
    "browser from sending the PUT at all.";
