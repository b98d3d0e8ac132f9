/* Exhibit — small progressive enhancements. The site works fully without this file.
   - Photo links (.gallery__link) open in an in-page viewer instead of a bare image. */
(function () {
  "use strict";
  if (!("HTMLDialogElement" in window)) return;

  var links = document.querySelectorAll("a.gallery__link");
  if (!links.length) return;

  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  var close = document.createElement("button");
  close.type = "button";
  close.className = "lightbox__close";
  close.setAttribute("aria-label", document.body.getAttribute("data-label-close") || "\u00d7");
  close.textContent = "\u00d7";
  var img = document.createElement("img");
  img.alt = "";
  dialog.appendChild(close);
  dialog.appendChild(img);
  document.body.appendChild(dialog);

  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (e) { if (e.target === dialog || e.target === img) dialog.close(); });
  dialog.addEventListener("close", function () { img.removeAttribute("src"); });

  Array.prototype.forEach.call(links, function (a) {
    a.addEventListener("click", function (e) {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      var thumb = a.querySelector("img");
      img.src = a.href;
      img.alt = thumb ? thumb.alt : "";
      dialog.showModal();
    });
  });
})();
