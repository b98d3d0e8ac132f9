/* Exhibit dev server client: injected into pages the dev server sends, never into built files.
   Reloads the page after a rebuild (keeping the scroll position), swaps stylesheets when only CSS
   changed, and shows the site's errors over the page until they are fixed. */
(function () {
  "use strict";
  var config = JSON.parse(document.currentScript.getAttribute("data-exhibit"));
  var build = config.build;
  var scrollKey = "exhibit:scroll:" + location.pathname;

  function restoreScroll() {
    var saved = null;
    try { saved = sessionStorage.getItem(scrollKey); sessionStorage.removeItem(scrollKey); } catch (e) { return; }
    if (!saved) return;
    var xy = JSON.parse(saved);
    var apply = function () { window.scrollTo(xy[0], xy[1]); };
    apply();
    if (document.readyState !== "complete") window.addEventListener("load", apply);
  }

  function reload() {
    try { sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) { /* private mode */ }
    window.__exhibitReloading = true;
    location.reload();
  }

  function swapStylesheets(stamp, renamed) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      var linkPath = decodeURIComponent(url.pathname).replace(/^\//, "");
      if (renamed && renamed[linkPath]) url = new URL("/" + renamed[linkPath], location.href);  // new hashed name
      url.searchParams.set("exhibit-build", stamp);
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
    window.__exhibitCssSwaps = (window.__exhibitCssSwaps || 0) + 1;
  }

  var host = null;
  function hideErrors() {
    if (host) { host.remove(); host = null; }
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = content;
    return node;
  }

  function showErrors(state) {
    hideErrors();
    host = document.createElement("exhibit-error-overlay");
    host.id = "exhibit-error-overlay";
    host.setAttribute("role", "alertdialog");
    host.setAttribute("aria-label", state.labels.title);
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial;position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.72);" +
      "display:flex;align-items:flex-start;justify-content:center;overflow:auto;" +
      "font:16px/1.6 'Noto Sans CJK SC','Microsoft YaHei',system-ui,sans-serif}" +
      ".box{background:#fff;color:#1a1a1a;max-width:56rem;width:calc(100% - 2rem);margin:2rem 1rem;" +
      "border-top:6px solid #b71c1c;border-radius:6px;padding:1.25rem 1.5rem;box-shadow:0 8px 32px rgba(0,0,0,.4)}" +
      "h1{font-size:1.3rem;margin:0 0 .25rem;color:#b71c1c}.note{margin:0 0 1rem;color:#555}" +
      "ol{margin:0;padding:0;list-style:none}li{border-top:1px solid #eee;padding:.75rem 0}" +
      ".where{font-family:ui-monospace,Consolas,monospace;font-size:.9rem;color:#555}" +
      ".message{font-weight:bold;margin:.15rem 0}.hint{color:#2e5e2e}" +
      "button{float:right;font:inherit;border:1px solid #ccc;background:#f7f7f7;border-radius:4px;cursor:pointer}";
    root.appendChild(style);
    var box = document.createElement("div");
    box.className = "box";
    var close = text("button", "close", "×");
    close.setAttribute("aria-label", state.labels.close);
    close.addEventListener("click", hideErrors);
    box.appendChild(close);
    box.appendChild(text("h1", "title", state.labels.title));
    box.appendChild(text("p", "note", state.labels.note));
    var list = document.createElement("ol");
    state.errors.forEach(function (error) {
      var item = document.createElement("li");
      item.appendChild(text("div", "where", error.where));
      item.appendChild(text("div", "message", error.message));
      if (error.hint) item.appendChild(text("div", "hint", state.labels.hint + error.hint));
      list.appendChild(item);
    });
    box.appendChild(list);
    root.appendChild(box);
    document.documentElement.appendChild(host);
  }

  // The site path of this page and of every file it loaded (stylesheets, scripts, pictures, a screen's data).
  // The browser keeps 250 resource entries; when they fill up (a screen fetches its data again and again) they
  // are moved into `loaded`, which keeps each path once.
  var loaded = {};
  function sitePath(pathname) {
    try { pathname = decodeURIComponent(pathname); } catch (e) { /* kept as sent */ }
    pathname = pathname.replace(/^\//, "");
    return pathname === "" || /\/$/.test(pathname) ? pathname + "index.html" : pathname;
  }
  function remember() {
    performance.getEntriesByType("resource").forEach(function (entry) {
      var url = new URL(entry.name, location.href);
      if (url.origin === location.origin) loaded[sitePath(url.pathname)] = true;
    });
  }
  performance.addEventListener("resourcetimingbufferfull", function () {
    remember();
    performance.clearResourceTimings();
  });

  function usedPaths() {
    remember();
    loaded[sitePath(location.pathname)] = true;
    return loaded;
  }

  // A build that names the paths it changed, none of them this page or a file it loaded: nothing to reload.
  function concernsThisPage(state) {
    if (!state.paths || state.previous !== build) return true;
    var used = usedPaths();
    return state.paths.some(function (path) { return used[path]; });
  }

  function onState(state) {
    if (state.errors.length) showErrors(state); else hideErrors();
    if (state.build === build) return;
    if (state.kind === "css" && state.previous === build) {
      swapStylesheets(state.build, state.renamed);
      build = state.build;
      return;
    }
    if (!concernsThisPage(state)) {
      build = state.build;
      return;
    }
    reload();
  }

  // A Word document dropped on the page is imported as `build.py import` would (into the collection whose
  // pages are showing, else activities); then its page opens, and shows once the rebuild has written it.
  var notice = null;
  function showNotice(message) {
    if (notice) notice.remove();
    notice = text("div", "exhibit-import-notice", message);
    notice.id = "exhibit-import-notice";
    notice.setAttribute("role", "alert");
    notice.style.cssText = "position:fixed;left:1rem;bottom:1rem;z-index:2147483647;max-width:40rem;" +
      "background:#fff;color:#1a1a1a;border-left:6px solid #b71c1c;padding:.75rem 1rem;white-space:pre-line;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.3);font:16px/1.5 system-ui,sans-serif";
    notice.addEventListener("click", function () { notice.remove(); notice = null; });
    document.body.appendChild(notice);
  }

  function importDocument(file) {
    var section = location.pathname.split("/").filter(Boolean)[0] || "";
    var url = config["import"] + "?name=" + encodeURIComponent(file.name) + "&collection=" + encodeURIComponent(section);
    fetch(url, { method: "POST", headers: { "X-Exhibit-Import": "1" }, body: file })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.url) { location.href = answer.url; return; }
        showNotice(answer.message + (answer.hint ? "\n" + answer.hint : ""));
      })
      .catch(function (error) { showNotice(String(error)); });
  }

  function carriesFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
  }
  document.addEventListener("dragover", function (event) { if (carriesFiles(event)) event.preventDefault(); });
  document.addEventListener("drop", function (event) {
    if (!carriesFiles(event) || !event.dataTransfer.files.length) return;
    event.preventDefault();  // the browser would otherwise open the file
    importDocument(event.dataTransfer.files[0]);
  });

  restoreScroll();
  var events = new EventSource(config.events);
  events.onmessage = function (event) { onState(JSON.parse(event.data)); };
  window.__exhibitDev = { build: function () { return build; } };
})();
