// briefing's default theme: filters for the list of case studies, a
// sortable company table, a figure's embed code copied with one click, and
// every <details> opened to print. Everything works without this script: the
// list and the table are complete, term pages do what the filters do, the
// embed code can be selected by hand, and the print edition shows every note.
(function () {
  "use strict";

  // Print: what is folded away (a figure's notes) is printed, and folded
  // again afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  // Copy buttons: the code in the field a button names goes to the
  // clipboard; where the clipboard cannot be written, the code is selected
  // for the reader to copy, and the status line says so.
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!field) return;
    var say = function (which) { if (status) status.textContent = status.getAttribute(which) || ""; };
    var byHand = function () {
      field.focus();
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      say(copied ? "data-copied" : "data-failed");
    };
    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(function () { say("data-copied"); }, byHand);
      } else {
        byHand();
      }
    });
  });

  // Filters: each <select> narrows the list; the address keeps the choice
  // (?area=...&year=...) so that a filtered view can be linked to.
  var form = document.getElementById("filters");
  if (form) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".case-item"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = form.querySelector(".filter-status");
    var has = function (item, name, value) {
      var list = (item.getAttribute("data-" + name) || "").split(" ");
      return list.indexOf(value) !== -1;
    };
    var apply = function () {
      var params = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
      var shown = 0;
      items.forEach(function (item) {
        var match = selects.every(function (s) { return !s.value || has(item, s.name, s.value); });
        item.hidden = !match;
        if (match) shown++;
      });
      status.textContent = status.getAttribute("data-template")
        .replace("{shown}", shown).replace("{total}", items.length);
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    };
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var wanted = params.get(s.name);
      if (wanted && s.querySelector('option[value="' + CSS.escape(wanted) + '"]')) s.value = wanted;
      s.addEventListener("change", apply);
    });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  }

  // Sortable tables: each column header becomes a button; aria-sort says
  // which column orders the rows and which way.
  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), function (table) {
    var body = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var lang = document.documentElement.lang || undefined;
    var key = function (row, i) {
      var cell = row.cells[i];
      var sort = cell.getAttribute("data-sort");
      if (sort !== null) return parseFloat(sort);
      var text = cell.textContent.trim();
      return cell.classList.contains("num") ? parseFloat(text) || 0 : text;
    };
    heads.forEach(function (th, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a, i), y = key(b, i);
          var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y), lang);
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    heads[0].setAttribute("aria-sort", "ascending");
    table.classList.add("sortable-ready");
  });
})();
