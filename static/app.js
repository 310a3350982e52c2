// Progressive enhancement only: every page works without this file.
document.addEventListener("click", function (e) {
  var t = e.target;
  if (t && t.matches && t.matches("[data-print]")) { e.preventDefault(); window.print(); }
});
