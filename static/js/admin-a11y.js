/* ParkDash's accessibility additions to the admin (linked from templates/admin/base_site.html; a file, as the
   Content-Security-Policy allows no inline script). The admin's autocomplete fields (select2) name their combobox
   by the chosen value only: an empty field (a figure's zone left blank) has no name for a screen reader. Each
   combobox and its value box are labelled by the field's own <label> too. */
(function () {
  "use strict";

  function labelAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      if (!label || !container) { return; }
      if (!label.id) { label.id = select.id + "-label"; }
      container.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (box) {
        var named = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
        if (named.indexOf(label.id) === -1) {
          box.setAttribute("aria-labelledby", [label.id].concat(box.getAttribute("role") === "combobox" ? named : []).join(" "));
        }
      });
    });
  }

  // The admin builds its select2 widgets in a jQuery ready handler, which may run after the page's load event,
  // and inline formsets add more later: label them whenever elements are added (attributes set here do not
  // count as additions, so this does not feed itself).
  function start() {
    labelAutocompletes(document);
    new MutationObserver(function () { labelAutocompletes(document); })
      .observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
