// Load a script or stylesheet of the site's own (relative to this script's folder).
var DSP_BASE = (document.currentScript && document.currentScript.src) ? document.currentScript.src.replace(/javascripts\/site\.js.*$/, "") : "";

function dspLoad(path, isCss) {
  return new Promise(function (resolve, reject) {
    var el = document.createElement(isCss ? "link" : "script");
    if (isCss) { el.rel = "stylesheet"; el.href = DSP_BASE + path; } else { el.src = DSP_BASE + path; }
    el.onload = resolve;
    el.onerror = reject;
    document.head.appendChild(el);
  });
}

var dspKatex = null;
var dspTablesort = null;

// Typeset math and make tables sortable on every page load (Material's document$
// also fires after in-page navigation). The libraries load only where needed, which
// keeps a page without math or sortable tables light.
document$.subscribe(function () {
  var math = document.querySelectorAll(".arithmatex");
  if (math.length) {
    dspKatex = dspKatex || Promise.all([
      dspLoad("vendor/katex/katex.min.css", true),
      dspLoad("vendor/katex/katex.min.js", false),
    ]);
    dspKatex.then(function () {
      math.forEach(function (el) {
        var tex = el.textContent || el.innerText;
        if (tex.startsWith("\\(") && tex.endsWith("\\)")) {
          katex.render(tex.slice(2, -2), el, { displayMode: false, throwOnError: false });
        } else if (tex.startsWith("\\[") && tex.endsWith("\\]")) {
          katex.render(tex.slice(2, -2), el, { displayMode: true, throwOnError: false });
        }
      });
    });
  }
  var tables = document.querySelectorAll("table.dsp-sortable");
  if (tables.length) {
    dspTablesort = dspTablesort || dspLoad("vendor/tablesort/tablesort.min.js", false).then(function () {
      return dspLoad("vendor/tablesort/tablesort.number.min.js", false);
    });
    dspTablesort.then(function () {
      tables.forEach(function (table) {
        if (!table.dataset.sortReady) {
          new Tablesort(table);
          table.dataset.sortReady = "1";
        }
      });
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
