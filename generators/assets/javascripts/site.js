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

// Accessibility: name the search dialog after its own input, and let keyboard users
// scroll wide tables (each scrolling wrapper becomes focusable).
document$.subscribe(function () {
  var dialog = document.querySelector(".md-search[role=dialog]");
  var input = document.querySelector(".md-search__input");
  if (dialog && input && !dialog.getAttribute("aria-label")) {
    dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder || "Search");
  }
  document.querySelectorAll(".md-typeset__scrollwrap, .dsp-table-wrap").forEach(function (wrap) {
    if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
  });
});
