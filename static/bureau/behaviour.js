// Page behaviour without inline script (the Content-Security-Policy allows none):
// <select data-autosubmit> submits its form on change; [data-confirm] asks before it acts;
// [data-menu-toggle] opens the main navigation on narrow screens.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  // A submit button asks once the form is valid and about to go (the "submit" event comes
  // after the browser's own field checks); any other element asks on click.
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (!el || (el.form && el.type === "submit")) {
      return;
    }
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-confirm")) {
      if (!window.confirm(submitter.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    }
  });

  // <input type=checkbox data-check-all="name"> ticks or clears every box of that name in its form.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("input[data-check-all]") || !el.form) {
      return;
    }
    var name = el.getAttribute("data-check-all");
    el.form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.name === name && !box.disabled) {
        box.checked = el.checked;
      }
    });
  });

  // The menu button of narrow screens: opens and closes the main navigation it controls;
  // Escape closes it and gives the focus back to the button.
  function setMenu(button, open) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) {
      return;
    }
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-menu-toggle]") : null;
    if (button) {
      setMenu(button, button.getAttribute("aria-expanded") !== "true");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var button = document.querySelector("[data-menu-toggle][aria-expanded=true]");
    if (button) {
      setMenu(button, false);
      button.focus();
    }
  });
})();
