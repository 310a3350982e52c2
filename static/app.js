// Progressive enhancement only: every page works without this file.
document.addEventListener("click", function (e) {
  var t = e.target;
  if (t && t.matches && t.matches("[data-print]")) { e.preventDefault(); window.print(); }
});
// A name filter over a list: `<input data-filter-list="ID">` hides the items of #ID whose
// data-name does not contain what is typed (the server filters too, for browsers without it).
document.addEventListener("input", function (e) {
  var t = e.target;
  if (!t || !t.matches || !t.matches("[data-filter-list]")) return;
  var q = t.value.trim().toLowerCase();
  var items = document.querySelectorAll("#" + t.getAttribute("data-filter-list") + " [data-name]");
  for (var i = 0; i < items.length; i++) {
    items[i].hidden = q !== "" && items[i].getAttribute("data-name").indexOf(q) < 0;
  }
});
// Phones show tables as stacked rows (app.css): each cell is named by its column's header.
// Done only when the screen is narrow (and when it becomes so): a desk's page stays as sent.
(function () {
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 600px)") : null;
  var done = false;
  function label() {
    if (done || !narrow || !narrow.matches) return;
    done = true;
    var tables = document.querySelectorAll("table");
    for (var t = 0; t < tables.length; t++) {
      var heads = tables[t].querySelectorAll("thead th");
      if (!heads.length) continue;
      var rows = tables[t].querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r++) {
        var cells = rows[r].children;
        if (cells.length !== heads.length) continue;
        for (var c = 0; c < cells.length; c++) {
          var text = heads[c].textContent.trim();
          if (text && cells[c].tagName === "TD" && !cells[c].hasAttribute("data-label")) cells[c].setAttribute("data-label", text);
        }
      }
    }
  }
  label();
  if (narrow && narrow.addEventListener) narrow.addEventListener("change", label);
})();
