// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // Move keyboard focus to the first error summary so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
  });
  // Ask before anything destructive: <form data-confirm="Question?">, or on the one
  // button of a form that does it: <button type="submit" data-confirm="Question?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // Filter forms apply a choice at once: <form data-autosubmit> (its button still works).
  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field.form;
    if (form && form.hasAttribute("data-autosubmit") && field.tagName === "SELECT") {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });
  // A box that scrolls (a wide table or the heat map on a phone) is reached by keyboard
  // (tabindex) and says so: "is-scrollable" shows the hint that <body data-scroll-hint>
  // words, above the box, while it is wider than the screen.
  function markScrollables() {
    var hint = document.body.getAttribute("data-scroll-hint");
    document.querySelectorAll(".table-responsive, .heatmap-scroll").forEach(function (box) {
      var sideways = box.scrollWidth > box.clientWidth + 1;
      var scrolls = sideways || box.scrollHeight > box.clientHeight + 1;
      box.classList.toggle("is-scrollable", sideways);
      if (scrolls) { box.setAttribute("tabindex", "0"); } else { box.removeAttribute("tabindex"); }
      var note = box.previousElementSibling;
      var hasNote = note && note.classList.contains("scroll-hint");
      if (sideways && hint && !hasNote) {
        note = document.createElement("p");
        note.className = "scroll-hint";
        note.textContent = hint;
        box.parentNode.insertBefore(note, box);
      } else if (!sideways && hasNote) {
        note.remove();
      }
    });
  }
  var resizeTimer = null;
  document.addEventListener("DOMContentLoaded", markScrollables);
  document.addEventListener("htmx:afterSettle", markScrollables);
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollables, 100);
  });
})();
