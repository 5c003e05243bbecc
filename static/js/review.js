/* The work-summary review (templates/admin/intake/worksummary/review.html): the counts of checked figures, in the
   sticky bar and in each section's heading, follow the boxes as they change, and each section gets "select all"
   and "select none". Without this script the page works the same (the counts are the server's, as rendered);
   what is applied is what the form posts, whatever the counts said. */
(function () {
  "use strict";

  function boxes(root) {
    return Array.prototype.slice.call(root.querySelectorAll('.review-apply input[type="checkbox"]'));
  }

  function countChecked(root) {
    return boxes(root).filter(function (box) { return box.checked; }).length;
  }

  function refresh(form) {
    var total = form.querySelector("[data-checked-total]");
    if (total) total.textContent = String(countChecked(form));
    Array.prototype.forEach.call(form.querySelectorAll("[data-section]"), function (section) {
      var count = section.querySelector("[data-checked]");
      if (count) count.textContent = String(countChecked(section));
    });
  }

  function init() {
    var form = document.getElementById("review-form");
    if (!form) return;
    form.addEventListener("change", function (event) {
      if (event.target.closest && event.target.closest(".review-apply")) refresh(form);
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-section]"), function (section) {
      var toggles = section.querySelector(".review-toggles");
      if (!toggles) return;
      toggles.hidden = false;
      toggles.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-check]");
        if (!button) return;
        var on = button.getAttribute("data-check") === "all";
        boxes(section).forEach(function (box) { box.checked = on; });
        refresh(form);
      });
    });
    refresh(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
