// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so that screen readers and keyboard users land on it.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Skip logic in the browser: ask the server (which stays authoritative) which questions
  // the current answers make relevant, and show or hide them at once.
  var form = document.querySelector("form[data-relevance]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var asked = form.querySelector("input[name=asked]");
  var pending = null;
  function refresh() {
    var body = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute("data-relevance"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) { return; }
      var shown = [];
      form.querySelectorAll("[data-question]").forEach(function (el) {
        var id = el.getAttribute("data-question");
        var on = data.relevant[id] !== false;
        el.hidden = !on;
        el.querySelectorAll("input, textarea, select").forEach(function (i) { i.disabled = !on; });
        if (on) { shown.push(id); }
      });
      if (asked) { asked.value = shown.join(" "); }
    }).catch(function () {});
  }
  form.addEventListener("change", function () {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(refresh, 80);
  });
})();
