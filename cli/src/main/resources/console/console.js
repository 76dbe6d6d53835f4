// The operators' console: one event stream says what changed; the page fetches what it shows from the JSON API.
"use strict";

const state = {
  cameras: new Map(),      // id -> latest summary
  tiles: new Map(),        // id -> tile element in the grid
  csrf: sessionStorage.getItem("bitvision-csrf"),
  matchesSeen: -1,
  watchlistSize: -1,
  view: "cameras",
  cameraId: null,
  detailFetchedAt: 0,
};

const $ = (id) => document.getElementById(id);
const fmt = {
  time: (ms) => new Date(ms).toLocaleTimeString(),
  num: (v, digits = 0) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits)),
};

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (options.method && options.method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch(path, Object.assign({}, options, { headers, credentials: "same-origin" }));
  if (response.status === 401) showSignIn(true);
  return response;
}

// ---- colours: one per track, stable across frames
function trackColour(trackId) {
  const hue = (Number(trackId) * 137.508) % 360;
  const s = 0.75, l = 0.55;
  const a = s * Math.min(l, 1 - l);
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

// ---- tiles
function newTile(id) {
  const tile = $("tile-template").content.firstElementChild.cloneNode(true);
  tile.dataset.camera = id;
  const name = tile.querySelector(".name");
  name.textContent = id;
  name.href = "#/camera/" + encodeURIComponent(id);
  tile.querySelector(".stage").addEventListener("click", () => { location.hash = "#/camera/" + encodeURIComponent(id); });
  return tile;
}

function updateTileText(tile, c) {
  const stateEl = tile.querySelector(".state");
  stateEl.textContent = c.state;
  stateEl.className = "state state-" + c.state;
  tile.dataset.state = c.state;
  tile.querySelector(".reason").textContent = c.state === "STREAMING" ? "" : (c.reason || "");
  tile.querySelector(".fps").textContent = fmt.num(c.fps, 1);
  tile.querySelector(".frames").textContent = c.frames;
  tile.querySelector(".dropped").textContent = c.dropped;
  tile.querySelector(".latency").textContent = c.latency_ms_p50 === null ? "–" : c.latency_ms_p50 + " ms";
  tile.querySelector(".people").textContent = c.people;
}

// Fetches and draws the camera's latest frame when it moved on; one fetch per tile at a time.
async function refreshFrame(tile, c) {
  const stage = tile.querySelector(".stage");
  if (c.last_frame_seq < 0 || stage.dataset.wantedSeq === String(c.last_frame_seq) || stage.dataset.busy) return;
  stage.dataset.busy = "1";
  stage.dataset.wantedSeq = String(c.last_frame_seq);
  try {
    const response = await api("/api/cameras/" + encodeURIComponent(c.id) + "/frame");
    if (response.ok) await drawFrame(stage, c.id, await response.json());
  } catch (e) {
    console.warn("frame of", c.id, e);
  } finally {
    delete stage.dataset.busy;
  }
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("no image at " + url));
    image.src = url;
  });
}

async function drawFrame(stage, cameraId, frame) {
  const w = frame.frame_width, h = frame.frame_height;
  let preview = null;
  if (frame.preview) {
    try {
      preview = await loadImage("/api/cameras/" + encodeURIComponent(cameraId) + "/previews/" + frame.preview.frame_seq);
    } catch (e) {
      preview = null; // fell out of the console's window: a blank canvas this time
    }
  }
  // Everything below runs in one turn, so the stage's data attributes always describe what its canvases show.
  const [frameCanvas, maskCanvas, boxCanvas] = stage.querySelectorAll("canvas");
  for (const canvas of [frameCanvas, maskCanvas, boxCanvas]) {
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
  }
  stage.style.aspectRatio = w + " / " + h;
  const g = frameCanvas.getContext("2d");
  if (preview) {
    g.drawImage(preview, 0, 0, w, h);
  } else {
    g.fillStyle = "#1d2126";
    g.fillRect(0, 0, w, h);
  }
  const masks = maskCanvas.getContext("2d");
  const pixels = masks.createImageData(w, h);
  const data = pixels.data;
  for (const instance of frame.instances) {
    const [r, gr, b] = trackColour(instance.track_id);
    const counts = CocoRle.counts(instance.rle.counts);
    CocoRle.forEachPixel(counts, h, w, (x, y) => {
      const o = (y * w + x) * 4;
      data[o] = r; data[o + 1] = gr; data[o + 2] = b; data[o + 3] = 150;
    });
  }
  masks.putImageData(pixels, 0, 0);
  const boxes = boxCanvas.getContext("2d");
  boxes.clearRect(0, 0, w, h);
  boxes.lineWidth = Math.max(2, w / 400);
  boxes.font = Math.max(12, Math.round(w / 55)) + "px sans-serif";
  for (const instance of frame.instances) {
    const [r, gr, b] = trackColour(instance.track_id);
    const [x, y, bw, bh] = instance.bbox;
    boxes.strokeStyle = `rgb(${r},${gr},${b})`;
    boxes.strokeRect(x, y, bw, bh);
    const label = "#" + instance.track_id + " " + Math.round(instance.score * 100) + "%";
    const tw = boxes.measureText(label).width + 8;
    const th = parseInt(boxes.font, 10) + 6;
    boxes.fillStyle = `rgba(${r},${gr},${b},0.85)`;
    boxes.fillRect(x, Math.max(0, y - th), tw, th);
    boxes.fillStyle = "#fff";
    boxes.fillText(label, x + 4, Math.max(0, y - th) + th - 6);
  }
  stage.dataset.frameSeq = String(frame.frame_seq);
  stage.dataset.previewSeq = frame.preview ? String(frame.preview.frame_seq) : "";
  stage.dataset.previewDrawn = preview ? "1" : "0";
  stage.dataset.instances = String(frame.instances.length);
  stage.dataset.frameWidth = String(w);
  stage.dataset.frameHeight = String(h);
  stage.title = `frame ${frame.frame_seq}, ${frame.instances.length} people, model ${frame.model}`
    + (frame.preview ? `, on the preview of frame ${frame.preview.frame_seq}` : ", no preview");
}

function renderGrid(cameras) {
  const grid = $("grid");
  $("no-cameras").hidden = cameras.length > 0;
  for (const c of cameras) {
    let tile = state.tiles.get(c.id);
    if (!tile) {
      tile = newTile(c.id);
      state.tiles.set(c.id, tile);
      grid.appendChild(tile);
    }
    updateTileText(tile, c);
    if (state.view === "cameras") refreshFrame(tile, c);
  }
}

// ---- camera page
async function renderCameraPage(force) {
  const id = state.cameraId;
  const c = state.cameras.get(id);
  $("camera-title").textContent = id;
  const slot = $("camera-tile-slot");
  let tile = slot.firstElementChild;
  if (!tile || tile.dataset.camera !== id) {
    slot.replaceChildren();
    tile = newTile(id);
    tile.classList.add("large-tile");
    slot.appendChild(tile);
  }
  if (!c) return;
  updateTileText(tile, c);
  $("camera-state").textContent = c.state;
  $("camera-state").className = "state state-" + c.state;
  $("camera-reason").textContent = "";
  refreshFrame(tile, c);
  const now = Date.now();
  if (!force && now - state.detailFetchedAt < 1000) return;
  state.detailFetchedAt = now;
  const response = await api("/api/cameras/" + encodeURIComponent(id));
  if (!response.ok) return;
  const detail = await response.json();
  drawPeople(detail.people_series, detail.matches);
  $("camera-matches").replaceChildren(...detail.matches.slice(0, 50).map((m) => listItem(
    `${fmt.time(m.capture_time_ms)} · ${m.identity_id} · track ${m.track_id} · frame ${m.frame_seq} · ${m.similarity.toFixed(3)}`)));
  $("camera-health").replaceChildren(...detail.health_events.slice().reverse().map((e) => listItem(
    `${fmt.time(e.time_ms)} · ${e.state}${e.reason ? " · " + e.reason : ""}`, "state-" + e.state)));
}

function listItem(text, cls) {
  const li = document.createElement("li");
  li.textContent = text;
  if (cls) li.className = cls;
  return li;
}

// People per frame over the frames the console holds, with a red tick at each face match of the camera.
function drawPeople(series, matches) {
  const canvas = $("people-chart");
  const g = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, pad = 24;
  g.clearRect(0, 0, w, h);
  g.fillStyle = "#8b949e";
  g.font = "12px sans-serif";
  if (series.length < 2) {
    g.fillText("not enough frames yet", pad, h / 2);
    return;
  }
  const t0 = series[0][0], t1 = series[series.length - 1][0];
  const max = Math.max(1, ...series.map((p) => p[1]));
  g.strokeStyle = "#30363d";
  g.beginPath(); g.moveTo(pad, h - pad); g.lineTo(w - 4, h - pad); g.stroke();
  g.fillText(String(max), 4, pad);
  g.fillText("0", 4, h - pad);
  g.fillText(fmt.time(t0), pad, h - 6);
  g.fillText(fmt.time(t1), w - 80, h - 6);
  g.strokeStyle = "#58a6ff";
  g.beginPath();
  series.forEach((p, i) => {
    const x = pad + (w - pad - 4) * (t1 === t0 ? i / (series.length - 1) : (p[0] - t0) / (t1 - t0));
    const y = h - pad - (h - 2 * pad) * p[1] / max;
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
  g.strokeStyle = "#f85149";
  for (const m of matches || []) {
    if (m.capture_time_ms < t0 || m.capture_time_ms > t1) continue;
    const x = pad + (w - pad - 4) * (t1 === t0 ? 0 : (m.capture_time_ms - t0) / (t1 - t0));
    g.beginPath(); g.moveTo(x, 4); g.lineTo(x, 14); g.stroke();
  }
}

// A table row of text cells (textContent only: record values are never parsed as HTML).
function tableRow(className, values) {
  const tr = document.createElement("tr");
  tr.className = className;
  for (const v of values) {
    const td = document.createElement("td");
    td.textContent = v;
    tr.appendChild(td);
  }
  return tr;
}

// ---- matches
async function renderMatches() {
  const params = new URLSearchParams({ limit: "200" });
  const identity = $("filter-identity").value.trim(), camera = $("filter-camera").value.trim();
  if (identity) params.set("identity", identity);
  if (camera) params.set("camera", camera);
  const response = await api("/api/matches?" + params);
  if (!response.ok) return;
  const matches = await response.json();
  $("no-matches").hidden = matches.length > 0;
  $("match-rows").replaceChildren(...matches.map((m) => {
    const tr = tableRow("match", [fmt.time(m.capture_time_ms), m.identity_id, m.camera_id, m.frame_seq, m.track_id,
      m.similarity.toFixed(3), m.threshold.toFixed(3)]);
    tr.dataset.identity = m.identity_id;
    tr.dataset.camera = m.camera_id;
    return tr;
  }));
}

// ---- watchlist
async function renderWatchlist() {
  const [listResponse, about] = await Promise.all([api("/api/watchlist"), api("/api/about")]);
  if (about.ok) {
    const a = await about.json();
    $("enrolment-state").textContent = "Enrolment " + a.enrolment + ".";
  }
  if (!listResponse.ok) return;
  const identities = await listResponse.json();
  $("no-identities").hidden = identities.length > 0;
  $("watchlist-rows").replaceChildren(...identities.map((i) => {
    const tr = tableRow("identity", [i.identity_id, i.display_name || "", i.version, i.embeddings, i.model_id,
      fmt.time(i.updated_time_ms)]);
    tr.dataset.identity = i.identity_id;
    const td = document.createElement("td");
    const button = document.createElement("button");
    button.textContent = "Delete";
    button.className = "delete";
    button.addEventListener("click", () => deleteIdentity(i.identity_id));
    td.appendChild(button);
    tr.appendChild(td);
    return tr;
  }));
}

async function deleteIdentity(id) {
  if (!confirm("Take " + id + " off the watchlist?")) return;
  const response = await api("/api/watchlist/" + encodeURIComponent(id), { method: "DELETE" });
  const body = await response.json();
  $("enrol-message").textContent = response.ok ? body.message : body.error;
  renderWatchlist();
}

async function enrol(event) {
  event.preventDefault();
  const message = $("enrol-message");
  message.textContent = "enrolling…";
  const response = await api("/api/watchlist", { method: "POST", body: new FormData($("enrol")) });
  const body = await response.json();
  message.textContent = response.ok ? body.message + " (version " + body.version + ")" : body.error;
  message.className = "message " + (response.ok ? "ok" : "error");
  if (response.ok) $("enrol").reset();
  renderWatchlist();
}

async function checkSession() {
  const response = await fetch("/api/session", { credentials: "same-origin" });
  if (!response.ok) return;
  const s = await response.json();
  if (s.signed_in && s.csrf) {
    state.csrf = s.csrf;
    sessionStorage.setItem("bitvision-csrf", s.csrf);
  }
  showSignIn(!s.signed_in);
  if (s.reads_need_token && !s.signed_in) $("connection").textContent = "sign in to watch (Watchlist page)";
}

function showSignIn(show) {
  $("sign-in").hidden = !show;
}

async function signIn(event) {
  event.preventDefault();
  const response = await fetch("/api/session", { method: "POST", body: new URLSearchParams({ token: $("token").value }),
    credentials: "same-origin" });
  const body = await response.json();
  if (!response.ok) {
    $("sign-in-message").textContent = body.error;
    return;
  }
  state.csrf = body.csrf;
  sessionStorage.setItem("bitvision-csrf", body.csrf);
  $("token").value = "";
  showSignIn(false);
  connect();
}

// ---- routing and the event stream
function route() {
  const hash = location.hash || "#/";
  let view = "cameras";
  if (hash.startsWith("#/camera/")) {
    view = "camera";
    state.cameraId = decodeURIComponent(hash.substring("#/camera/".length));
  } else if (hash === "#/matches") {
    view = "matches";
  } else if (hash === "#/watchlist") {
    view = "watchlist";
  }
  state.view = view;
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== "view-" + view;
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.dataset.view === view || (view === "camera" && link.dataset.view === "cameras"));
  }
  render(true);
}

function render(force) {
  if (state.view === "cameras") renderGrid([...state.cameras.values()]);
  else if (state.view === "camera") renderCameraPage(force);
  else if (state.view === "matches") renderMatches();
  else if (state.view === "watchlist") renderWatchlist();
}

let events = null;
function connect() {
  if (events) events.close();
  events = new EventSource("/api/events");
  events.addEventListener("update", (e) => {
    const u = JSON.parse(e.data);
    $("connection").textContent = "live · " + u.cameras.length + " cameras · " + u.matches_seen + " matches";
    $("connection").className = "connection live";
    state.cameras = new Map(u.cameras.map((c) => [c.id, c]));
    const matchesMoved = u.matches_seen !== state.matchesSeen;
    const watchlistMoved = u.watchlist !== state.watchlistSize;
    state.matchesSeen = u.matches_seen;
    state.watchlistSize = u.watchlist;
    renderGrid(u.cameras);
    if (state.view === "camera") renderCameraPage(false);
    else if (state.view === "matches" && matchesMoved) renderMatches();
    else if (state.view === "watchlist" && watchlistMoved) renderWatchlist();
  });
  events.onerror = () => {
    $("connection").textContent = "reconnecting…";
    $("connection").className = "connection down";
  };
}

window.addEventListener("hashchange", route);
$("match-filter").addEventListener("input", renderMatches);
$("match-filter").addEventListener("submit", (e) => e.preventDefault());
$("enrol").addEventListener("submit", enrol);
$("sign-in").addEventListener("submit", signIn);
checkSession().then(() => { route(); connect(); });
