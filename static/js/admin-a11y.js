// Django's admin leaves a few controls without an accessible name, which screen readers
// then announce as "edit text" or "combo box" and nothing more (axe-core: label,
// select-name, aria-input-field-name, aria-prohibited-attr). Each gets the name the page
// already shows beside it. The admin builds some widgets itself (select2, the two-list
// filter) once the page has loaded, and again for an inline row added with "Add another":
// this runs after them.
(function () {
  "use strict";

  function words(node) {
    return node ? node.textContent.replace(/\s+/g, " ").replace(/\s*[:?]\s*$/, "").trim() : "";
  }

  function unnamed(field) {
    return !(field.labels && field.labels.length) && !field.hasAttribute("aria-label")
      && !field.hasAttribute("aria-labelledby");
  }

  // Tabular inlines label their columns, not their fields: a field takes its column's name.
  function nameInlineFields(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      var heads = table.tHead ? table.tHead.rows[0].cells : [];
      table.querySelectorAll("tbody tr.form-row").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell) {
          var name = words(heads[cell.cellIndex]);
          if (!name) { return; }
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if (unnamed(field)) { field.setAttribute("aria-label", name); }
          });
        });
      });
    });
  }

  // A date and time field: "Date:" and "Time:" are plain text before each input.
  function nameDateTimeParts(root) {
    root.querySelectorAll("p.datetime").forEach(function (box) {
      var row = box.closest(".form-row, .fieldBox");
      var label = row ? words(row.querySelector("label, legend")) : "";
      box.querySelectorAll("input:not([type=hidden])").forEach(function (field) {
        var before = field.previousSibling;
        while (before && before.nodeType !== Node.TEXT_NODE) { before = before.previousSibling; }
        var part = words(before);
        var name = [label, part].filter(Boolean).join(" – ");
        if (name && unnamed(field)) { field.setAttribute("aria-label", name); }
      });
    });
  }

  // An autocomplete (select2) combo box: the name of the <select> it stands for.
  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var name = select.labels && select.labels.length ? words(select.labels[0]) : "";
      var widget = select.nextElementSibling;
      if (!name || !widget) { return; }
      widget.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (part) {
        if (!part.hasAttribute("aria-label")) { part.setAttribute("aria-label", name); }
      });
    });
  }

  // The two-list filter's search icon carries an aria-label, which a plain span may not.
  function roleFilterIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameAll(root) {
    nameInlineFields(root);
    nameDateTimeParts(root);
    nameAutocompletes(root);
    roleFilterIcons(root);
  }

  window.addEventListener("load", function () {
    window.setTimeout(function () { nameAll(document); }, 0);
  });
  document.addEventListener("formset:added", function () {
    window.setTimeout(function () { nameAll(document); }, 0);
  });
})();
