// Search-as-you-type enterprise picker for <select data-picker="URL"> (enterprises/picker.py).
// The <select> stays the form's field, hidden: the chosen enterprises are its selected options,
// so the server validates exactly what it would without this script. Typing asks URL?q=… for
// at most a screenful of matches (name and credit code); arrows, Enter and Escape work as in
// any combobox, and each chosen enterprise has a remove button.
(function () {
  "use strict";

  var DELAY_MS = 200;

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) {
      el.className = className;
    }
    if (text) {
      el.textContent = text;
    }
    return el;
  }

  function enhance(select, number) {
    var url = select.getAttribute("data-picker");
    var multiple = select.multiple;
    var baseId = select.id || "picker" + number;
    var wrap = element("div", "picker");
    var chips = element("ul", "picker-chips");
    var input = element("input", "picker-input");
    var list = element("ul", "picker-list");
    var status = element("p", "picker-status muted small");
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    input.type = "text";
    input.id = baseId + "_search";
    input.autocomplete = "off";
    input.placeholder = select.getAttribute("data-picker-placeholder") || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", baseId + "_listbox");
    list.id = baseId + "_listbox";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.setAttribute("aria-live", "polite");
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) {
      label.htmlFor = input.id;
      list.setAttribute("aria-labelledby", label.id || "");
    }
    // A hidden required <select> would block the submit with no message the user can see:
    // the server's own "this field is required" error (in Chinese, by the field) answers instead.
    if (select.required) {
      select.required = false;
      input.setAttribute("aria-required", "true");
    }
    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(chips);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    wrap.appendChild(select);

    function chosen() {
      return Array.prototype.filter.call(select.options, function (o) {
        return o.selected && o.value !== "";
      });
    }

    function renderChips() {
      chips.textContent = "";
      chosen().forEach(function (option) {
        var chip = element("li", "picker-chip", option.textContent);
        var remove = element("button", "picker-remove", "×");
        remove.type = "button";
        remove.setAttribute(
          "aria-label",
          (select.getAttribute("data-picker-remove") || "") + " " + option.textContent
        );
        remove.addEventListener("click", function () {
          option.selected = false;
          if (!multiple) {
            select.value = "";
          }
          renderChips();
          input.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      results = [];
      active = -1;
    }

    function highlight(index) {
      var items = list.children;
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(result) {
      var option = Array.prototype.find.call(select.options, function (o) {
        return o.value === String(result.id);
      });
      if (!option) {
        option = new Option(result.text, result.id);
        select.appendChild(option);
      }
      if (!multiple) {
        select.value = String(result.id);
      }
      option.selected = true;
      input.value = "";
      status.textContent = "";
      close();
      renderChips();
      input.focus();
    }

    function show(found) {
      results = found;
      list.textContent = "";
      active = -1;
      found.forEach(function (result, i) {
        var li = element("li", "picker-option");
        li.id = baseId + "_option" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.appendChild(element("span", "picker-name", result.name));
        li.appendChild(element("span", "picker-code mono", result.credit_code));
        // mousedown, not click: the input keeps its focus.
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(result);
        });
        list.appendChild(li);
      });
      list.hidden = !found.length;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      status.textContent = found.length ? "" : select.getAttribute("data-picker-empty") || "";
    }

    function search() {
      var term = input.value.trim();
      if (!term) {
        close();
        status.textContent = "";
        return;
      }
      var mine = ++asked;
      var sep = url.indexOf("?") < 0 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === asked) {
            show(data.results || []);
          }
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        // Enter picks the highlighted enterprise and never submits the form half-filled.
        event.preventDefault();
        if (active >= 0 && results[active]) {
          choose(results[active]);
        }
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
    renderChips();
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]"), enhance);
})();
