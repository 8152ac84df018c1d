// Typeset math and make tables sortable on every page load (Material's document$
// also fires after in-page navigation).
document$.subscribe(function () {
  if (window.katex) {
    document.querySelectorAll(".arithmatex").forEach(function (el) {
      var tex = el.textContent || el.innerText;
      if (tex.startsWith("\\(") && tex.endsWith("\\)")) {
        katex.render(tex.slice(2, -2), el, { displayMode: false, throwOnError: false });
      } else if (tex.startsWith("\\[") && tex.endsWith("\\]")) {
        katex.render(tex.slice(2, -2), el, { displayMode: true, throwOnError: false });
      }
    });
  }
  if (window.Tablesort) {
    document.querySelectorAll("table.dsp-sortable").forEach(function (table) {
      if (!table.dataset.sortReady) {
        new Tablesort(table);
        table.dataset.sortReady = "1";
      }
    });
  }
});
