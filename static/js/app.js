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
})();
