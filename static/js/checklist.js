// checklist.js: makes the "what you need" task lists of a guide tickable.
// The Markdown renders them as disabled checkboxes; this script enables them,
// wraps each item in a label (so the whole row is the tap target and the
// checkbox has an accessible name) and keeps the ticks in localStorage, on
// this device only. Without JavaScript the list stays a plain, readable list.
(function () {
  "use strict";
  var prefix = "portal.checklist:";
  var key = prefix + location.pathname;

  // itemKey identifies an item by its text, so ticks survive reordering
  // and a changed item starts unticked.
  function itemKey(text) {
    var h = 5381;
    text = text.replace(/\s+/g, " ").trim();
    for (var i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
    return (h >>> 0).toString(36);
  }

  function load() {
    try {
      var v = JSON.parse(localStorage.getItem(key) || "{}");
      return v && typeof v === "object" ? v : {};
    } catch (e) {
      return {};
    }
  }

  function save(state) {
    try {
      if (Object.keys(state).length === 0) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(state));
    } catch (e) {
      // Storage full or disabled: the ticks last until the page is left.
    }
  }

  function init() {
    var boxes = document.querySelectorAll(".body li > input[type=checkbox]");
    if (!boxes.length) return;
    var state = load();
    Array.prototype.forEach.call(boxes, function (box) {
      var li = box.parentNode;
      var label = document.createElement("label");
      while (li.firstChild) label.appendChild(li.firstChild);
      li.appendChild(label);
      var k = itemKey(label.textContent);
      box.disabled = false;
      box.removeAttribute("disabled");
      box.setAttribute("data-key", k);
      if (Object.prototype.hasOwnProperty.call(state, k)) box.checked = state[k];
      box.addEventListener("change", function () {
        var s = load();
        if (box.checked === box.defaultChecked) delete s[k];
        else s[k] = box.checked;
        save(s);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
