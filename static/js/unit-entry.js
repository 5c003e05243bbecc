/* ParkDash: the unit of a figure's value, kept in sight while the figure is entered (indicators/forms.py).

   The unit select (select[data-unit-select]) offers the units that fit the indicator; its empty choice names the
   indicator's unit, and the unit is written next to the value (span[data-unit-suffix-for]). On the add form the
   indicator is chosen on the page: when it changes, this script narrows the select to the units of the same
   dimension, renames the empty choice ("亿元 (the indicator's unit)"), and records the unit it showed in the hidden
   input[data-unit-shown], which the server checks. In the indicator's own page (inlines) the indicator's unit is
   its "unit" field. A file, not an inline script: the Content-Security-Policy allows scripts from ParkDash only. */
(function () {
  "use strict";

  // The dimension (money, area, count:家 …) of ``unit``, from the options of every group.
  function dimensionOf(groups, unit) {
    for (var g = 0; g < groups.length; g++) {
      var options = groups[g].querySelectorAll("option[data-dimension]");
      for (var i = 0; i < options.length; i++) {
        if (options[i].value === unit) { return options[i].getAttribute("data-dimension"); }
      }
    }
    return null;
  }

  // The indicator's unit for this select: from the chosen indicator, or the page's own unit field (inlines).
  function indicatorUnit(select) {
    var fieldId = select.getAttribute("data-indicator-field");
    var map = select.getAttribute("data-indicator-units");
    if (fieldId && map) {
      var field = document.getElementById(fieldId);
      var units = JSON.parse(map);
      return field && field.value ? (units[field.value] || null) : null;
    }
    if (!fieldId && select.getAttribute("data-inline-unit") !== null) {
      var own = document.getElementById("id_unit");
      return own && own.value ? own.value.trim() : null;
    }
    return undefined; // the server knew the unit: nothing to follow
  }

  function suffixFor(select) {
    return document.querySelector('[data-unit-suffix-for="' + select.id + '"]');
  }

  function showSuffix(select, unit) {
    var suffix = suffixFor(select);
    if (suffix) { suffix.textContent = select.value || unit || ""; }
  }

  function update(select) {
    var unit = indicatorUnit(select);
    if (unit === undefined) { showSuffix(select, select.getAttribute("data-unit") || ""); return; }
    if (!select._allGroups) {
      // Keep every group once, to put back the ones that fit another indicator later.
      select._allGroups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
    }
    var dimension = unit ? dimensionOf(select._allGroups, unit) : null;
    var chosen = select.value;
    select._allGroups.forEach(function (group) {
      var fits = !dimension || group.getAttribute("data-dimension") === dimension;
      if (fits && group.parentNode !== select) { select.appendChild(group); }
      if (!fits && group.parentNode === select) { select.removeChild(group); }
    });
    if (chosen && !Array.prototype.some.call(select.options, function (o) { return o.value === chosen; })) {
      select.value = ""; // the unit chosen before does not fit the new indicator
    }
    var blank = select.querySelector('option[value=""]');
    if (blank) {
      blank.textContent = unit
        ? select.getAttribute("data-blank-known").replace("%(unit)s", unit)
        : select.getAttribute("data-blank-unknown");
    }
    var shown = select.parentNode.querySelector("input[data-unit-shown]");
    if (shown) { shown.value = unit || ""; }
    select.setAttribute("data-unit", unit || "");
    showSuffix(select, unit);
  }

  function wire(select) {
    if (select._unitEntry) { return; }
    select._unitEntry = true;
    var fieldId = select.getAttribute("data-indicator-field");
    var source = fieldId ? document.getElementById(fieldId) : null;
    if (!fieldId && select.getAttribute("data-inline-unit") !== null) { source = document.getElementById("id_unit"); }
    if (source) {
      source.addEventListener("change", function () { update(select); });
      source.addEventListener("input", function () { update(select); });
      // The admin's autocomplete (select2) announces a choice through jQuery only.
      if (window.django && window.django.jQuery) {
        window.django.jQuery(source).on("change select2:select", function () { update(select); });
      }
    }
    select.addEventListener("change", function () { showSuffix(select, select.getAttribute("data-unit")); });
    update(select);
  }

  function ready() {
    document.querySelectorAll("select[data-unit-select]").forEach(function (select) {
      if (select.name.indexOf("__prefix__") === -1) { wire(select); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  // A row added to an inline (Django's formset:added event): wire its select.
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("select[data-unit-select]").forEach(wire);
  });
})();
