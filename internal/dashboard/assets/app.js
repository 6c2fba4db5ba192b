// StoreSyncer dashboard: the few behaviours forms cannot do alone. Every control also works
// without this file (keyboard move buttons, plain forms); the page has no inline script, so
// the Content-Security-Policy can forbid it.
(function () {
  "use strict";

  function csrf() { return document.body.dataset.csrf || ""; }

  // Forms that change a lot ask first.
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    if (f.classList && f.classList.contains("confirm") && !window.confirm(f.dataset.confirm)) {
      ev.preventDefault();
    }
  }, true);

  // Drag a screenshot onto another to move it there; the new order is posted as one request.
  var dragged = null;
  document.addEventListener("dragstart", function (ev) {
    var li = ev.target.closest && ev.target.closest(".thumbs li");
    if (!li) { return; }
    dragged = li;
    li.classList.add("dragging");
    ev.dataTransfer.effectAllowed = "move";
    ev.dataTransfer.setData("text/plain", li.dataset.name);
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    document.querySelectorAll(".thumbs li.over").forEach(function (el) { el.classList.remove("over"); });
    dragged = null;
  });
  document.addEventListener("dragover", function (ev) {
    var li = ev.target.closest && ev.target.closest(".thumbs li");
    if (dragged && li && li.parentNode === dragged.parentNode) {
      ev.preventDefault();
      li.classList.add("over");
    }
    var zone = ev.target.closest && ev.target.closest("form.drop");
    if (zone && ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types, "Files") >= 0) {
      ev.preventDefault();
      zone.classList.add("hover");
    }
  });
  document.addEventListener("dragleave", function (ev) {
    var li = ev.target.closest && ev.target.closest(".thumbs li");
    if (li) { li.classList.remove("over"); }
    var zone = ev.target.closest && ev.target.closest("form.drop");
    if (zone) { zone.classList.remove("hover"); }
  });
  document.addEventListener("drop", function (ev) {
    var zone = ev.target.closest && ev.target.closest("form.drop");
    if (zone && ev.dataTransfer && ev.dataTransfer.files.length > 0) {
      ev.preventDefault();
      var input = zone.querySelector("input[type=file]");
      input.files = ev.dataTransfer.files;
      zone.requestSubmit();
      return;
    }
    var li = ev.target.closest && ev.target.closest(".thumbs li");
    if (!dragged || !li || li === dragged || li.parentNode !== dragged.parentNode) { return; }
    ev.preventDefault();
    var list = li.parentNode;
    var items = Array.prototype.slice.call(list.children);
    if (items.indexOf(dragged) < items.indexOf(li)) { list.insertBefore(dragged, li.nextSibling); }
    else { list.insertBefore(dragged, li); }
    postOrder(list);
  });

  function postOrder(list) {
    var body = new URLSearchParams();
    body.append("csrf", csrf());
    body.append("kind", list.dataset.kind);
    body.append("locale", list.dataset.locale);
    body.append("type", list.dataset.type);
    Array.prototype.forEach.call(list.children, function (li) { body.append("order", li.dataset.name); });
    fetch(list.dataset.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf() }, redirect: "follow"
    }).then(function (res) { window.location.assign(res.url || window.location.href); });
  }
})();
