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

  // A table wider than the screen scrolls inside its frame. The frame then takes the keyboard focus,
  // so the arrow keys scroll it (WCAG 2.1.1), and is named after its table; when it fits, it is no
  // tab stop at all.
  function markScrollingTables() {
    document.querySelectorAll(".table-scroll").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth + 1) {
        var caption = frame.querySelector("caption");
        var heading = frame.closest("section") && frame.closest("section").querySelector("h1, h2");
        var name = (caption || heading || document.querySelector("h1") || {}).textContent || "";
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", name.replace(/\s+/g, " ").trim());
      } else if (frame.getAttribute("role") === "region") {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
      }
    });
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);
})();
