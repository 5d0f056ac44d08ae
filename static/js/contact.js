// contact.js: sends the contact form in place. It records when the form was
// shown (the "t" field the function uses as a time trap), posts the form with
// fetch asking for JSON, and reports the outcome in the form's status region
// (role="status"), marking the fields the function names as wrong. Without
// JavaScript the form posts normally and the function answers with a page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-contact]");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var status = form.querySelector(".status");
  var button = form.querySelector("button[type=submit]");
  var shown = Date.now();
  if (form.elements.t) form.elements.t.value = String(shown);

  // A link from a guide's "was this page useful?" may name the topic.
  var topic = new URLSearchParams(location.search).get("topic");
  if (topic && form.elements.topic) {
    Array.prototype.forEach.call(form.elements.topic.options, function (o) {
      if (o.value === topic) form.elements.topic.value = topic;
    });
  }

  function say(kind, text, items) {
    status.className = "status " + kind;
    status.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    status.appendChild(p);
    if (items && items.length) {
      var ul = document.createElement("ul");
      items.forEach(function (t) {
        var li = document.createElement("li");
        li.textContent = t;
        ul.appendChild(li);
      });
      status.appendChild(ul);
    }
  }

  function clearInvalid() {
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearInvalid();
    var body = new URLSearchParams(new FormData(form));
    if (!body.get("ui")) body.set("ui", document.documentElement.lang.split("-")[0]);
    button.disabled = true;
    say("", form.getAttribute("data-sending") || "…");
    fetch(form.action, {
      method: "POST",
      headers: { Accept: "application/json" },
      body: body,
      credentials: "same-origin"
    })
      .then(function (res) {
        return res.json().catch(function () {
          throw new Error("HTTP " + res.status);
        });
      })
      .then(function (ans) {
        if (ans.ok) {
          say("ok", ans.message || "OK");
          form.reset();
          shown = Date.now();
          if (form.elements.t) form.elements.t.value = String(shown);
          return;
        }
        var items = [];
        var first = null;
        (ans.errors || []).forEach(function (e) {
          items.push(e.message);
          var el = e.field && form.elements[e.field];
          if (el && el.setAttribute) {
            el.setAttribute("aria-invalid", "true");
            if (!first) first = el;
          }
        });
        say("err", ans.message || "", items.concat(ans.alternatives || []));
        if (first) first.focus();
      })
      .catch(function () {
        // The function could not be reached (offline?): fall back to a
        // normal post, which shows the browser's own error or the answer page.
        form.submit();
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
