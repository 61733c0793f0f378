/* csvf's own small behaviours, written for this site; the one outside library is
   tablesort (vendored beside this file, MIT). Runs on every page Material mounts;
   works from a server and from file://. */
document$.subscribe(function () {
  /* Material wraps Markdown tables in a scrolling box: make it reachable by keyboard. */
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
    if (box.closest(".csvf-table")) return;
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Table");
  });

  /* The timeline filter: show the records of one type; the buttons say which is on. */
  document.querySelectorAll(".csvf-filter").forEach(function (filter) {
    var buttons = filter.querySelectorAll("button[data-csvf-type]");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var type = button.getAttribute("data-csvf-type");
        buttons.forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
        document.querySelectorAll(".csvf-record[data-type]").forEach(function (record) {
          record.hidden = type !== "" && record.getAttribute("data-type") !== type;
        });
      });
    });
    filter.hidden = false;
  });

  /* Sortable tables (portfolio rankings): tablesort, as Material's docs set it up.
     Numeric cells carry their exact figure in data-sort, so "1,234" and "—" sort right. */
  if (typeof Tablesort !== "undefined") {
    document.querySelectorAll("table.csvf-sortable").forEach(function (table) {
      if (!table.hasAttribute("data-csvf-sorted")) {
        new Tablesort(table);
        table.setAttribute("data-csvf-sorted", "");
      }
    });
  }
});

/* Print every collapsed table open, and put them back afterwards. */
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
