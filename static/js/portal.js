// Behaviour shared by every page. The pages work without it; it only helps.
(function () {
  "use strict";

  // An error summary takes the focus, so a screen reader announces it and the keyboard starts there
  // (WCAG 2.2: the person learns at once that the form was not accepted, and why).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      // Bring the question (legend or label) into view with its field, then focus the field.
      var field = input.closest(".field") || input;
      field.scrollIntoView({ block: "start" });
      input.focus({ preventScroll: true });
    });
  }
})();
