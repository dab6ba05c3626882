// The real-time page. It logs in with the demo's login route, then opens the
// API's WebSocket and its stream of server-sent events with the session
// cookie, and shows what it received, or the bare failure a refused
// connection turns into.
"use strict";

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const api = meta("api-origin");
const allowed = meta("allowed-origins").split(" ");
const wsUrl = api.replace(/^http/, "ws") + "/ws";
const eventsUrl = api + "/events";
// The longest a call waits before it gives up.
const TIMEOUT_MS = 10000;

const parse = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

// Logs in: the API sets the session cookie, which the socket and the
// stream then carry. Resolves to `{ status, body }` or `{ error }`.
async function login(user) {
  try {
    const response = await fetch(api + "/api/login", {
      method: "POST",
      body: new URLSearchParams({ user }),
      credentials: "include",
    });
    return { status: response.status, body: parse(await response.text()) };
  } catch (error) {
    return { error: `${error.name}: ${error.message}` };
  }
}

// Opens a WebSocket, waits for the greeting, sends each of `texts`, waits for
// their echoes and closes. Resolves, once the socket is closed, to
// `{ opened, messages, closed: { code, clean } }`, with `error` when the
// browser reported one: a refused upgrade never opens and closes with 1006.
function websocket(url = wsUrl, texts = ["ping"]) {
  return new Promise((resolve) => {
    const result = { opened: false, messages: [] };
    let socket;
    let timer;
    const finish = (extra) => {
      clearTimeout(timer);
      resolve({ ...result, ...extra });
    };
    try {
      socket = new WebSocket(url);
    } catch (error) {
      finish({ error: `${error.name}: ${error.message}` });
      return;
    }
    timer = setTimeout(() => {
      socket.close();
      finish({ error: "timed out" });
    }, TIMEOUT_MS);
    socket.onopen = () => {
      result.opened = true;
    };
    socket.onmessage = (event) => {
      result.messages.push(parse(event.data));
      if (result.messages.length === 1) {
        texts.forEach((text) => socket.send(text));
      }
      if (result.messages.length === 1 + texts.length) {
        socket.close(1000);
      }
    };
    socket.onerror = () => {
      result.error = "the connection failed";
    };
    socket.onclose = (event) => finish({ closed: { code: event.code, clean: event.wasClean } });
  });
}

// Listens to the stream with `withCredentials: true` until `done(events)`.
// Resolves to `{ events: [{ id, data }], reconnects }`, with `error` when the
// browser gave up (a refused stream fails without a reconnect) or the time
// ran out. Each time the server ends the stream the browser reconnects by
// itself, carrying `Last-Event-ID`.
function listen(url, done) {
  return new Promise((resolve) => {
    const result = { events: [], reconnects: 0 };
    const source = new EventSource(url, { withCredentials: true });
    const finish = (extra = {}) => {
      source.close();
      clearTimeout(timer);
      resolve({ ...result, ...extra });
    };
    const timer = setTimeout(() => finish({ error: "timed out" }), TIMEOUT_MS);
    source.onmessage = (event) => {
      result.events.push({ id: event.lastEventId, data: parse(event.data) });
      if (done(result.events)) {
        finish();
      }
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        finish({ error: "the connection failed" });
      } else {
        result.reconnects += 1;
      }
    };
  });
}

// The first `count` events.
const events = (url = eventsUrl, count = 3) =>
  listen(url, (received) => received.length >= count);

// Every event up to the first one of a reconnected stream, which the server
// marks with the `Last-Event-ID` it received.
const reconnect = (url = eventsUrl) =>
  listen(url, (received) => received[received.length - 1].data.last_event_id != null);

function show(label, result) {
  const item = document.createElement("li");
  const title = document.createElement("div");
  title.className = "call";
  title.textContent = label;
  const detail = document.createElement("pre");
  if (result.error) {
    item.className = "failed";
  }
  detail.textContent = JSON.stringify(result, null, 1);
  item.append(title, detail);
  document.getElementById("log").prepend(item);
  return result;
}

// Also called by the browser tests: each resolves to the result it shows.
window.realtime = {
  login: (user) => login(user).then((r) => show("POST /api/login", r)),
  websocket: (url, texts) => websocket(url, texts).then((r) => show("WebSocket /ws", r)),
  events: (url, count) => events(url, count).then((r) => show("EventSource /events", r)),
  reconnect: (url) => reconnect(url).then((r) => show("EventSource /events, reconnected", r)),
};

const value = (id) => document.getElementById(id).value;
const on = (id, action) => document.getElementById(id).addEventListener("click", action);
on("login", () => realtime.login(value("user")));
on("websocket", () => realtime.websocket());
on("events", () => realtime.events());
on("reconnect", () => realtime.reconnect());

const isAllowed = allowed.includes(location.origin);
document.getElementById("page-origin").textContent = location.origin;
document.getElementById("api-origin").textContent = api;
document.getElementById("ws-url").textContent = wsUrl;
document.getElementById("events-url").textContent = eventsUrl;
document.getElementById("allowed-origins").textContent = allowed.join(" and ");
document.getElementById("origin").className = isAllowed ? "allowed" : "blocked";
document.getElementById("verdict").textContent = isAllowed
  ? "allowed by the API: the socket opens and the events flow, with the session cookie."
  : "not allowed by the API: it answers the WebSocket upgrade and the stream with 403 " +
    "before any handler runs, so the socket never opens and the EventSource fails.";
