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
    // A "Copy text" button copies the plain text of the element its data-copy-from names (the summary draft).
    // Shown only where the script runs; without the clipboard API the text is selected for Ctrl+C.
    document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy-from"));
      if (!source) { return; }
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = source.value !== undefined ? source.value : source.textContent;
        function done() {
          button.textContent = button.getAttribute("data-copied") || label;
          window.setTimeout(function () { button.textContent = label; }, 2000);
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { source.select(); });
        } else {
          source.select();
          if (document.execCommand && document.execCommand("copy")) { done(); }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
