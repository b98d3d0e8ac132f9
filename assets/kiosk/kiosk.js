/* Exhibit screen runtime: plays a screen's playlist full-screen for months without attention.
   Vanilla JS, no framework. Time is the screen's own clock; updates are polled, checked and preloaded
   before they are shown; the current slide stays up until the next one is fully decoded. */
(() => {
"use strict";
var DAY = 864e5, FADE = 900, LOAD_LIMIT = 12e3, VIDEO_STALL = 5e3, IDLE = 6e4, RETRY_BAD = 6e5, SHIFT = 12e4;
/* nodes are found once, before any story HTML is in the page: a story cannot shadow them */
var doc = document, byId = id => doc.getElementById(id), root = byId("k-root"), stage = byId("k-stage");
var layouts = {}, standbyEl = byId("k-standby"), quietEl = byId("k-quiet"), dataEl = byId("k-data");
var fonts = doc.fonts, head = doc.head, make = doc.createElement.bind(doc);
$$(doc, "template[id^='k-']").forEach(t => { layouts["$" + t.id] = t; });
var params = new URLSearchParams(location.search);
var http = /^https?:$/.test(location.protocol);
var preview = params.has("preview"), pinned = params.get("slide");
var boot = performance.now();
var S = window.exhibitKiosk = {
  data: null, pending: null, index: -1, current: null, upcoming: null, mode: "boot", changes: 0, busy: 0,
  errors: [], bad: {}, lastCheck: null, lastCheckOk: null, lastOk: null, lastUpdate: null, suspect: false, due: 0
};
var timers = {}, lastPoll = -Infinity, lastTouch = 0, lastShift = 0, shiftStep = 0, reloadedFor = "";

function $$(node, sel) { return Array.from(node.querySelectorAll(sel)); }
function later(name, ms, fn) { clearTimeout(timers[name]); timers[name] = setTimeout(fn, ms); }
function cancel(name) { clearTimeout(timers[name]); timers[name] = 0; }
function mono() { return performance.now(); }
function err(text) {
  S.errors.push(fmtTime(new Date(now())) + " " + text);
  if (S.errors.length > 12) S.errors.shift();
}
function track(promise) {
  S.busy++;
  return promise.then(v => { S.busy--; return v; }, e => { S.busy--; throw e; });
}

/* time: the screen's clock, never earlier than the build */
function now() {
  var t = Date.now(), built = S.data ? S.data.built : 0;
  S.suspect = t < built;
  return S.suspect ? built + (mono() - boot) : t;
}
function pad(n) { return (n < 10 ? "0" : "") + n; }
function ymd(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
function fmtTime(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
function within(hm, ranges) {
  for (var i = 0; i < ranges.length; i++) {
    var a = ranges[i][0], b = ranges[i][1];
    if (a < b ? hm >= a && hm < b : hm >= a || hm < b) return true;
  }
  return false;
}
function isoDay(d) { return d.getDay() || 7; }
function dayNumber(text) { var p = text.split("-"); return Math.round(new Date(+p[0], p[1] - 1, +p[2]) / DAY); }
function safetyDays(d) {
  var start = S.data.settings.safety_start;
  if (!start) return "";
  var days = Math.round(new Date(d.getFullYear(), d.getMonth(), d.getDate()) / DAY) - dayNumber(start) + 1;
  return String(Math.max(days, 0));
}
function eligible(slide, d) {
  var w = slide.when, day = ymd(d);
  if (!w) return true;
  if (w.from && day < w.from || w.until && day > w.until) return false;
  if (w.days && !w.days.includes(isoDay(d))) return false;
  return !w.hours || within(fmtTime(d), w.hours);
}
function quietNow(d) { return !preview && within(fmtTime(d), S.data.settings.quiet || []); }

/* live fields: clock, date, safety counter */
var dateFmt, dayFmt;
function live(node, d) {
  dateFmt = dateFmt || new Intl.DateTimeFormat(S.data.lang, { year: "numeric", month: "long", day: "numeric" });
  dayFmt = dayFmt || new Intl.DateTimeFormat(S.data.lang, { weekday: "long" });
  var values = { clock: fmtTime(d), date: dateFmt.format(d), weekday: dayFmt.format(d), safety: safetyDays(d) };
  $$(node, "[data-k]").forEach(el => {
    var v = values[el.getAttribute("data-k")];
    if (el.textContent !== v) el.textContent = v;
  });
}

/* binding a slide's data into its layout */
function value(d, key) { return key === "." ? d : d == null ? null : d[key]; }
function empty(v) { return v == null || v === "" || v === false || (Array.isArray(v) && !v.length); }
function bind(node, d) {
  $$(node, "[data-if],[data-t],[data-h],[data-src],[data-svg],[data-cls]").forEach(el => {
    var a = el.dataset, key = a.if || a.t || a.h || a.src || a.svg, v = value(d, key);
    if (key && empty(v)) { el.remove(); return; }
    if (a.t) el.textContent = v;
    else if (a.h || a.svg) el.innerHTML = v;
    else if (a.src) el.setAttribute("src", v);
    if (a.cls && !empty(value(d, a.cls))) {
      var c = value(d, a.cls);
      el.classList.add("is-" + (c === true ? a.cls : c));
    }
  });
  $$(node, "template[data-each]").forEach(t => {
    (value(d, t.dataset.each) || []).forEach(item => {
      var part = t.content.cloneNode(true);
      bind(part, item);
      t.parentNode.insertBefore(part, t);
    });
    t.remove();
  });
  return node;
}

/* fitting text: shrink, then page long stories inside the slide */
function over(el) { return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1; }
function shrink(el, floor) {
  var size = parseFloat(getComputedStyle(el).fontSize), min = size * floor;
  for (var i = 0; i < 40 && over(el) && size > min; i++) { size *= 0.93; el.style.fontSize = size + "px"; }
}
function paginate(box) {
  var flow = box.firstElementChild, gap = Math.round(box.clientWidth * 0.08);
  flow.style.columnWidth = box.clientWidth + "px";
  flow.style.columnGap = gap + "px";
  var size = parseFloat(getComputedStyle(flow).fontSize), min = size * 0.9;
  for (var i = 0; i < 12 && box.scrollWidth > box.clientWidth + 1 && size > min; i++) {
    size *= 0.96; flow.style.fontSize = size + "px";
  }
  box.stride = box.clientWidth + gap;
  box.pages = Math.max(1, Math.ceil((box.scrollWidth - 1) / box.stride));
  box.setAttribute("data-pages", box.pages);
}
function fit(el) {
  $$(el, "[data-fit]").forEach(e => shrink(e, 0.3));
  $$(el, ".k-text").forEach(box => {  // each part fits, yet together they may not: shrink them all
    var parts = $$(box, "[data-fit]");
    for (var i = 0; i < 20 && over(box); i++) {
      parts.forEach(e => { e.style.fontSize = parseFloat(getComputedStyle(e).fontSize) * 0.93 + "px"; });
    }
  });
  $$(el, "[data-page]").forEach(paginate);
}

/* making a slide ready: DOM, fitted text, every image loaded and decoded */
function media(el) {
  return Promise.all($$(el, "img").map(img => (img.loading = "eager", img.decode()).catch(() => {
    throw new Error("image " + img.getAttribute("src"));
  })).concat($$(el, "video").map(v => new Promise((ok, fail) => {
    v.addEventListener("loadeddata", ok, { once: true });
    v.addEventListener("error", () => fail(new Error("video " + v.getAttribute("src"))), { once: true });
    v.load();
  }))));
}
function build(slide) {
  var t = layouts["$k-" + slide.layout];
  if (!t) throw new Error("layout " + slide.layout);
  var el = bind(t.content.firstElementChild.cloneNode(true), slide.d);
  el.slide = slide;
  return el;
}
function prepare(index) {
  var slide = S.data.slides[index], entry = { index: index, slide: slide, state: "loading", at: mono() };
  try { entry.el = build(slide); } catch (e) { entry.state = "failed"; err(e.message); return entry; }
  stage.appendChild(entry.el);
  live(entry.el, new Date(now()));
  track(fonts.ready.then(() => { fit(entry.el); return media(entry.el); })).then(() => {
    if (entry.state !== "loading") return;
    entry.state = "ready";
    if (S.upcoming === entry && S.waiting) advance();
  }, e => {
    if (entry.state !== "loading") return;
    entry.state = "failed";
    S.bad[slide.id] = mono();
    err(slide.id + ": " + e.message);
    if (entry.resolve) entry.resolve("failed");
    if (S.upcoming === entry && S.waiting) advance();
  });
  return entry;
}
function discard(entry) {
  if (!entry) return;
  entry.state = "dropped";
  if (entry.el && entry.el !== S.current && entry.el.parentNode) entry.el.remove();
}

/* choosing and showing slides */
function pick(from, step) {
  var slides = S.data.slides, n = slides.length, d = new Date(now()), t = mono();
  for (var k = 1; k <= n; k++) {
    var i = ((from + step * k) % n + n) % n, s = slides[i];
    if (S.bad[s.id] && t - S.bad[s.id] < RETRY_BAD) continue;
    if (eligible(s, d)) return i;
  }
  return -1;
}
function standby(on) {
  standbyEl.classList.toggle("k-is-on", on);
  if (on) { S.mode = "standby"; hideCurrent(); }
}
function hideCurrent() {
  if (S.current) { S.current.classList.remove("is-in"); S.current = null; later("sweep", FADE + 200, sweep); }
}
function sweep() {
  $$(stage, ".k-slide").forEach(el => {
    if (el !== S.current && !(S.upcoming && S.upcoming.el === el)) el.remove();
  });
}
function queue(step) {
  discard(S.upcoming);
  var i = pick(S.index, step || 1);
  S.upcoming = i < 0 ? null : prepare(i);
}
function show(entry) {
  var old = S.current;
  S.upcoming = null; S.waiting = false;
  S.index = entry.index; S.current = entry.el; S.changes++; S.shownAt = mono();
  entry.el.classList.add("is-in");
  if (entry.resolve) entry.resolve("shown");
  standby(false);
  if (old) old.classList.remove("is-in");
  later("sweep", FADE + 200, sweep);
  if (S.mode !== "touch") S.mode = "play";
  steps(entry);
  var v = entry.el.querySelector("video");
  if (v) playVideo(v, entry.slide);
  else if (!pinned && S.mode === "play") due(entry.slide.duration * 1000);
  if (!pinned) queue(1);
}
function due(ms) { S.due = mono() + ms; later("advance", ms, advance); }
function steps(entry) {
  var boxes = $$(entry.el, "[data-page]"), photos = $$(entry.el, ".k-gallery img");
  var count = Math.max(photos.length, 1);
  boxes.forEach(b => { count = Math.max(count, b.pages || 1); });
  cancel("step");
  if (photos[0]) photos[0].classList.add("is-shown");
  if (count < 2 || pinned) return;
  var n = 0, every = entry.slide.duration * 1000 / count;
  (function next() {
    timers.step = setTimeout(() => {
      n++;
      boxes.forEach(b => { b.firstElementChild.style.transform = "translateX(" + -(n % b.pages) * b.stride + "px)"; });
      photos.forEach((p, i) => p.classList.toggle("is-shown", i === n % photos.length));
      if (n < count - 1) next();
    }, every);
  })();
}
function playVideo(v, slide) {
  var last = -1;
  v.addEventListener("ended", advance, { once: true });
  v.addEventListener("error", () => { err("video " + slide.id); advance(); }, { once: true });
  (function watch() {  // a stalled video is skipped
    timers.video = setTimeout(() => {
      if (v.currentTime === last && !v.paused) { err("video stalled " + slide.id); advance(); return; }
      last = v.currentTime; watch();
    }, VIDEO_STALL);
  })();
  v.play().catch(() => { err("video blocked " + slide.id); advance(); });
  if (slide.duration) due(slide.duration * 1000);
}

/* The one place slides change: on time, or sooner when the awaited next slide becomes ready. */
function advance() {
  cancel("advance"); cancel("video");
  if (S.mode === "quiet" || S.mode === "touch" && !S.manual) return;
  if (S.reloadDue) { reload(); return; }
  if (S.pending) { adopt(S.pending); S.pending = null; S.index = -1; queue(1); }
  var next = S.upcoming;
  if (!next) { queue(1); next = S.upcoming; }
  if (!next) { standby(true); due(5e3); return; }
  if (next.state === "ready" && (S.manual || pinned !== null || eligible(next.slide, new Date(now())))) {
    S.manual = false; show(next); return;
  }
  if (next.state === "loading" && mono() - next.at < LOAD_LIMIT) { S.waiting = true; due(1e3); return; }
  if (next.state === "loading") { S.bad[next.slide.id] = mono(); err(next.slide.id + ": too slow"); }
  S.index = next.index;  // skip a failed, stalled or no longer eligible slide
  queue(1);
  S.waiting = true;
  due(S.upcoming ? 1e3 : 0);
}

/* updates: poll a small version file, take a new playlist only when all of it is there */
function getJSON(url) {
  var ctl = new AbortController(), t = setTimeout(() => ctl.abort(), 15e3);
  return get(url + (url.includes("?") ? "&" : "?") + "t=" + Date.now(), ctl.signal)
    .then(r => { clearTimeout(t); return r.json(); }, e => { clearTimeout(t); throw e; });
}
function get(url, signal) {
  return fetch(url, { cache: "no-store", signal }).then(r => {
    if (r.ok) return r;
    throw new Error(url.replace(/[?&]t=\d+$/, "") + " HTTP " + r.status);
  });
}
function valid(p, version) {
  var ok = p && p.format === 1 && p.version === version && p.screen && p.screen.id === S.data.screen.id &&
    p.settings && Array.isArray(p.slides) && Array.isArray(p.runtime) && typeof p.built === "number";
  (ok ? p.slides : []).forEach(s => {
    if (!s || typeof s.id !== "string" || !layouts["$k-" + s.layout] || !s.d ||
        !Array.isArray(s.images) || s.duration !== null && !(s.duration > 0)) ok = false;
  });
  if (!ok) throw new Error("playlist.json " + version + " is incomplete");
  return p;
}
function preload(p) {
  var urls = [];
  p.slides.forEach(s => { s.images.forEach(u => { if (!urls.includes(u)) urls.push(u); }); });
  return Promise.all(urls.map(u => {
    var img = new Image();
    img.src = u;
    return img.decode().catch(() => { throw new Error("missing " + u); });
  })).then(() => p);
}
function poll() {
  if (!http || S.checking) return;
  S.checking = true;
  lastPoll = mono();
  track(getJSON("version.json").then(v => {
    S.lastCheck = S.lastOk = now(); S.lastCheckOk = true;
    if (v.shell && shellKey(v) !== shellKey(S.data) && shellKey(v) !== reloadedFor) return newShell(v);
    var have = S.pending || S.data;
    if (v.version === have.version) return;
    return getJSON("playlist.json?v=" + v.version).then(p => preload(valid(p, v.version)))
      .then(styles).then(p => { drop(S.pending); S.pending = p; });
  })).catch(e => {
    S.lastCheck = now(); S.lastCheckOk = false;
    err(e.name === "AbortError" ? "update: no answer" : "update: " + e.message);
  }).then(() => { S.checking = false; });
}
function isCss(u) { return /\.css$/.test(u); }
function shellKey(d) { return d.shell + " " + (d.runtime || []).filter(u => !isCss(u)).join(" "); }
/* A stylesheet changed alone (a new font subset) loads switched off; its fonts become FontFaces, loaded before
   the swap: a face still loading hides its family's text. */
function styles(p) {
  p.links = [];  // the sheets S.data names are the ones on
  return Promise.all(p.runtime.filter(u => isCss(u) && !S.data.runtime.includes(u)).map(u => {
    var l = make("link");
    p.links.push(l);
    l.rel = "stylesheet"; l.media = "not all"; l.href = u; l.faces = []; l.fonts = [];
    return new Promise((ok, fail) => {
      l.onload = ok; l.onerror = () => { fail(new Error("missing " + u)); };
      head.appendChild(l);
    }).then(() => {
      var rules = l.sheet.cssRules, i = rules.length;
      if (!i) throw new Error("empty " + u);
      while (i--) if (rules[i] instanceof CSSFontFaceRule) { l.faces.push(face(l, rules[i].style)); l.sheet.deleteRule(i); }
      return Promise.all(l.faces.map(f => f.load()))
        .catch(() => { throw new Error("missing " + l.fonts.join(" ")); });
    });
  })).then(() => p, e => { drop(p); throw e; });
}
function face(l, st) {  // URLs absolute: a FontFace reads them against the page
  var g = k => st.getPropertyValue(k) || undefined;
  return new FontFace(g("font-family").replace(/"/g, ""), g("src").replace(/url\("?([^")]+)"?\)/g, (m, u) => {
    l.fonts.push(u = new URL(u, l.href).href);
    return "url(" + JSON.stringify(u) + ")";
  }), { weight: g("font-weight"), style: g("font-style"), unicodeRange: g("unicode-range") });
}
function drop(p) { if (p) p.links.forEach(l => l.remove()); }
function newShell(v) {  // a new runtime: reload once its page and files are all there
  var urls = v.runtime || [];
  return get("index.html?t=" + Date.now()).then(r => r.text()).then(html => {
    if (!html.includes('"shell":"' + v.shell + '"') || urls.some(u => !html.includes(u))) {
      throw new Error("index.html is not yet the new one");
    }
    return Promise.all(urls.map(u => get(u)));
  }).then(() => { S.reloadDue = shellKey(v); });
}
function reload() {  // a new address: no cache on the way can hand back the old page
  try { sessionStorage.setItem("k-reloaded-for", S.reloadDue || ""); } catch (e) { /* private mode */ }
  params.set("r", S.reloadDue === "daily" ? ymd(new Date(now())) : S.reloadDue);
  location.replace(location.pathname + "?" + params);
}
function adopt(p) {
  var old = S.data.runtime, sw = navigator.serviceWorker && navigator.serviceWorker.controller;
  var hrefs = p.links.map(l => { l.faces.forEach(f => fonts.add(f)); l.media = "all"; return l.href; });
  $$(doc, "link[rel=stylesheet]").forEach(l => {  // the old sheets go (their font faces with them), no twins
    var u = l.getAttribute("href");
    if (p.links.includes(l) || !old.includes(u) || p.runtime.includes(u) && !hrefs.includes(l.href)) return;
    l.remove();
    (l.faces || []).forEach(f => fonts.delete(f));
  });
  S.data = p; S.bad = {}; S.lastUpdate = now();
  if (sw) get(location.pathname).then(r => r.text()).then(html => {
    var files = $$(doc, "link[rel=stylesheet],script[src]"), keep = [];  // all the cached page names
    if (files.some(el => !html.includes(el.getAttribute("href") || el.getAttribute("src")))) return;
    files.forEach(el => { keep = keep.concat(el.href || el.src, el.fonts || []); });
    p.slides.forEach(s => {  // photos, and a video slide's video
      s.images.concat(s.d.src || []).forEach(u => keep.push(new URL(u, location.href).href));
    });
    sw.postMessage({ keep: keep });  // the worker drops the rest
  }).catch(() => { /* offline: next time */ });
}

/* the one-second tick: clock fields, quiet hours, polling, daily reload, burn-in shift */
function tick() {
  var d = new Date(now()), hm = fmtTime(d), t = mono();
  live(root, d);
  if (quietNow(d) && !pinned) { if (S.mode !== "quiet") quiet(true); }
  else if (S.mode === "quiet") quiet(false);
  if (S.mode === "touch" && t - lastTouch > IDLE) resume();
  if (t - lastPoll >= S.data.settings.poll * 1000 && !preview) poll();
  if (hm === S.data.settings.reload_at && t - boot > 36e5 && !preview) {
    S.reloadDue = S.reloadDue || "daily";
  }
  if (S.reloadDue && (S.mode === "quiet" || S.mode === "standby")) reload();
  if (t - lastShift >= SHIFT) { lastShift = t; shiftStep = (shiftStep + 1) % 8; shift(shiftStep); }
  if (!status.hidden) showStatus(d);
}
function quiet(on) {
  root.classList.toggle("k-is-quiet", on);
  if (on) {
    S.mode = "quiet"; cancel("advance"); cancel("step"); discard(S.upcoming); S.upcoming = null; hideCurrent();
    closeStory();
  } else { standby(true); S.index = -1; advance(); }
}
function shift(n) {  // a slow pixel shift against burn-in on static layouts
  var a = n * Math.PI / 4, r = Math.max(2, Math.round(innerHeight / 400));
  root.style.setProperty("--sx", Math.round(Math.cos(a) * r) + "px");
  root.style.setProperty("--sy", Math.round(Math.sin(a) * r) + "px");
  var q = quietEl.firstElementChild;  // the quiet clock wanders further
  q.style.transform = "translate(" + Math.round(Math.cos(a * 3) * 30) + "vw," + Math.round(Math.sin(a * 5) * 30) + "vh)";
}

/* status overlay */
var status = byId("k-status");
function stamp(ms) { return ms ? ymd(new Date(ms)) + " " + fmtTime(new Date(ms)) : "—"; }
function showStatus(d) {
  var fill = (key, text) => { var el = status.querySelector('[data-s="' + key + '"]'); if (el) el.textContent = text; };
  var slide = S.current && S.current.slide;
  status.querySelector('[data-s="suspect"]').hidden = !S.suspect;
  fill("version", S.data.version + " (" + S.data.shell + ")");
  fill("built", stamp(S.data.built));
  fill("checked", http ? stamp(S.lastOk) + (S.lastCheckOk === false ? " (✗ " + stamp(S.lastCheck) + ")" : "") : "file://");
  fill("updated", stamp(S.lastUpdate));
  fill("clock", stamp(Date.now()) + (S.suspect ? " → " + stamp(+d) : ""));
  fill("slide", (slide ? slide.id + " (" + (S.index + 1) + "/" + S.data.slides.length + ")" : S.mode) + " · " + S.changes);
  var list = status.querySelector('[data-s="errors"]');
  list.textContent = "";
  (S.errors.length ? S.errors.slice().reverse() : [list.dataset.none]).forEach(e => {
    var li = make("li"); li.textContent = e; list.appendChild(li);
  });
}
function toggleStatus() { status.hidden = !status.hidden; if (!status.hidden) showStatus(new Date(now())); }

/* touch: tap or swipe to move, open a slide's story; back to autoplay after a minute */
var story = byId("k-story"), down = null;
function touched() { lastTouch = mono(); if (S.mode === "play" || S.mode === "standby") { S.mode = "touch"; cancel("advance"); cancel("step"); } }
function resume() { closeStory(); S.mode = "play"; advance(); }
function go(step) {
  touched(); closeStory();
  discard(S.upcoming);
  var i = pick(S.index, step);
  if (i < 0) return;
  S.upcoming = prepare(i); S.manual = true; S.waiting = true;
  if (S.upcoming.state !== "loading") advance();
}
function openStory() {
  var slide = S.current && S.current.slide;
  if (!story || !slide || !slide.d.story) return;
  var body = story.querySelector("article");
  body.querySelector("h1").textContent = slide.d.heading || "";
  body.querySelector(".k-prose").innerHTML = slide.d.story;
  story.hidden = false; story.scrollTop = 0;
}
function closeStory() { if (story) story.hidden = true; }
function onDown(ev) { down = { x: ev.clientX, y: ev.clientY }; touched(); }
function onUp(ev) {
  if (!down) return;
  var dx = ev.clientX - down.x, dy = ev.clientY - down.y, action = ev.target.closest("[data-action]");
  down = null;
  if (action) { var a = action.dataset.action; if (a === "story") openStory(); else if (a === "close") closeStory(); else go(a === "next" ? 1 : -1); return; }
  if (!story.hidden) return;
  if (Math.abs(dx) > 60 && Math.abs(dx) > Math.abs(dy)) go(dx < 0 ? 1 : -1);
  else if (Math.abs(dx) < 20 && Math.abs(dy) < 20) go(ev.clientX > innerWidth / 2 ? 1 : -1);
}

/* start */
function start() {
  S.data = JSON.parse(dataEl.textContent);
  try { reloadedFor = sessionStorage.getItem("k-reloaded-for") || ""; } catch (e) { /* private mode */ }
  root.classList.toggle("k-has-safety", !!S.data.settings.safety_start);
  fonts.ready.then(() => { fit(root.querySelector(".k-bar")); });
  window.addEventListener("error", e => err(String(e.message)));
  doc.addEventListener("keydown", e => {
    if (e.key === "s" || e.key === "S" || e.key === "F2") toggleStatus();
    else if (e.key === "ArrowRight" || e.key === "ArrowLeft") go(e.key === "ArrowRight" ? 1 : -1);
  });
  if (S.data.screen.touch) { root.addEventListener("pointerdown", onDown); root.addEventListener("pointerup", onUp); }
  if (params.get("status") === "1") status.hidden = false;
  if (http && window.isSecureContext && navigator.serviceWorker && !preview) {
    navigator.serviceWorker.register(root.dataset.sw).catch(e => { err("service worker: " + e.message); });
  }
  lastPoll = mono();
  setInterval(tick, 1e3);
  tick();
  if (pinned !== null) {
    var i = S.data.slides.findIndex((s, n) => s.id === pinned || String(n) === pinned);
    S.upcoming = prepare(Math.max(i, 0)); S.waiting = true; S.mode = "play";
    return;
  }
  if (S.mode !== "quiet") { S.mode = "play"; advance(); }
}
S.goto = i => {  // for maintenance tools: show slide i now, resolve once it is up
  discard(S.upcoming);
  var entry = S.upcoming = prepare(i);
  S.waiting = true; S.manual = true;
  return new Promise(ok => {
    entry.resolve = ok;
    if (entry.state === "failed") ok("failed");
  });
};
if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start); else start();
})();
