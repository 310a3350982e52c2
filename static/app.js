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
