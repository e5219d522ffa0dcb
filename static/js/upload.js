// Uploads with a progress bar. Without this script the form posts as usual; with it, the same
// form is sent by XMLHttpRequest so the person sees how far a large file has gone, and a file
// over the limit is refused before a byte is sent.
(function () {
  "use strict";

  function showError(form, message) {
    var input = form.querySelector("input[type=file]");
    var field = input.closest(".field");
    var error = field.querySelector(".error-message");
    if (!error) {
      error = document.createElement("p");
      error.className = "error-message";
      error.id = input.id + "_error";
      input.parentNode.insertBefore(error, input);
      input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "") + " " + error.id);
    }
    error.textContent = message;
    field.classList.add("field-invalid");
    input.focus();
  }

  function tooBig(form) {
    var limit = parseInt(form.dataset.maxBytes, 10);
    var input = form.querySelector("input[type=file]");
    return Array.prototype.some.call(input.files || [], function (file) { return limit && file.size > limit; });
  }

  function bind(form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
      event.preventDefault();
      if (tooBig(form)) {
        showError(form, form.dataset.tooBig);
        return;
      }
      var target = form.action || window.location.href;
      var box = form.querySelector(".upload-progress");
      var bar = box.querySelector("progress");
      var text = box.querySelector(".upload-progress-text");
      form.querySelector("button[type=submit]").disabled = true;
      box.hidden = false;
      text.textContent = form.dataset.uploading;
      var request = new XMLHttpRequest();
      request.open("POST", target);
      request.upload.addEventListener("progress", function (progress) {
        if (!progress.lengthComputable) return;
        var percent = Math.round((progress.loaded / progress.total) * 100);
        bar.value = percent;
        text.textContent = form.dataset.uploading + " " + percent + " %";
      });
      request.addEventListener("load", function () {
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        var main = page.getElementById("main");
        if (!main) {
          form.submit();
          return;
        }
        // Success answered with a redirect, which the request followed; a refusal with the page and
        // its errors. Either way show what came back, as a plain post would have.
        var redirected = request.responseURL && request.responseURL.split("#")[0] !== target.split("#")[0];
        document.getElementById("main").replaceWith(main);
        document.title = page.title;
        if (redirected) window.history.replaceState(null, "", request.responseURL);
        main.querySelectorAll("form[data-upload]").forEach(bind);
        var summary = main.querySelector("[data-error-summary]");
        if (summary) summary.focus();
        else main.focus();
        window.scrollTo(0, 0);
      });
      request.addEventListener("error", function () { form.submit(); });
      request.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-upload]").forEach(bind);
})();
