// The assessment wizard's enhancements. Without this file (or without JavaScript) the
// step form still saves everything on "Previous" / "Next".
(function () {
  "use strict";

  // Multiple choice: an exclusive box ("None", "I don't know") clears the others and the
  // others clear it. Runs in the capture phase, before htmx reads the values to save.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-multi] input[type=checkbox]") || !box.checked) {
      return;
    }
    var group = box.closest("[data-multi]");
    var exclusive = box.hasAttribute("data-exclusive");
    group.querySelectorAll("input[type=checkbox]").forEach(function (other) {
      if (other !== box && (exclusive || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }, true);

  // Number with "I don't know": ticking it empties the number, typing a number unticks it.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches) { return; }
    if (input.matches("input[type=checkbox][data-clears]") && input.checked) {
      var number = document.getElementById(input.getAttribute("data-clears"));
      if (number) { number.value = ""; }
    } else if (input.matches("input[data-number]") && input.value !== "") {
      var dontKnow = document.querySelector("[data-clears='" + input.id + "']");
      if (dontKnow) { dontKnow.checked = false; }
    }
  }, true);

  // Questions are numbered among those shown: when an answer shows or hides follow-ups
  // (swapped in by htmx), number them again so that no number is skipped.
  var renumber = function () {
    var number = 0;
    document.querySelectorAll("#step-form .question-block").forEach(function (block) {
      var label = block.querySelector(".question-number");
      if (block.hidden || !label) { return; }
      number += 1;
      label.textContent = number + ".";
    });
  };
  document.addEventListener("htmx:afterSettle", renumber);

  // htmx leaves 4xx responses unswapped by default; ours carry the message to show
  // (refused value, conflict, expired session, locked assessment).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 401 || status === 403 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Tell the dealer when a save could not reach the server, and while saves are
  // pending, warn before the page is left.
  var pending = 0;
  var offline = function (show) {
    var box = document.getElementById("wizard-offline");
    if (box) { box.hidden = !show; }
  };
  document.addEventListener("htmx:beforeRequest", function () { pending += 1; });
  document.addEventListener("htmx:afterRequest", function (event) {
    pending = Math.max(0, pending - 1);
    offline(!event.detail.successful && !event.detail.xhr.status);
  });
  document.addEventListener("htmx:sendError", function () { offline(true); });
  document.addEventListener("submit", function () { pending = 0; });
  window.addEventListener("beforeunload", function (event) {
    if (pending > 0) { event.preventDefault(); }
  });
})();
