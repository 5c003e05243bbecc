/* ParkDash: the behaviour every page shares, as event listeners. The Content-Security-Policy allows no inline
   script and no onchange="…" attribute, so whatever a page does besides drawing charts (charts.js) is here. */
(function () {
  "use strict";

  function ready() {
    // <select data-submit-on-change>: choosing an option submits its form (the park, year and language
    // selectors). Their forms keep a submit button in <noscript> for browsers without JavaScript.
    document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // django-import-export's export page: its "select all" checkbox (the template's onchange, moved here).
    document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
      toggle.addEventListener("change", function (event) {
        if (typeof window.onSelectToggleChange === "function") { window.onSelectToggleChange(event); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
