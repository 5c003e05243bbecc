/* ParkDash: the behaviour every page shares, as event listeners. The Content-Security-Policy allows no inline
   script and no onchange="…" attribute, so whatever a page does besides drawing charts (charts.js) is here.
   No select submits its form on change: the park, year and language selectors each have a visible button
   (choosing an option with the keyboard or a screen reader must not leave the page). */
(function () {
  "use strict";

  function ready() {
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
