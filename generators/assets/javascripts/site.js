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

// Chart download menus (<details class="dsp-chart-menu">): the browser opens and closes
// them (click, Enter, Space), with or without this script. Here: Escape closes one and
// puts the focus back on its button; a click or the focus elsewhere, or opening another,
// closes it; and the copy buttons appear (without JavaScript the link and the citation are
// plain selectable fields). Copying uses the Clipboard API where the page may, else the
// selection and execCommand, else leaves the text selected and says how to copy it.
(function () {
  var MENU = "details.dsp-chart-menu";

  function openMenus() {
    return document.querySelectorAll(MENU + "[open]");
  }

  function close(menu, refocus) {
    menu.open = false;
    if (refocus) menu.querySelector("summary").focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !openMenus().length) return;
    var menu = event.target.closest ? event.target.closest(MENU) : null;
    openMenus().forEach(function (open) { close(open, open === menu); });
  });

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) close(menu, false);
    });
  });

  document.addEventListener("focusout", function (event) {
    var menu = event.target.closest ? event.target.closest(MENU + "[open]") : null;
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) close(menu, false);
  });

  // "toggle" does not bubble: listen while it goes down.
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.matches || !menu.matches(MENU) || !menu.open) return;
    openMenus().forEach(function (other) { if (other !== menu) close(other, false); });
    var status = menu.querySelector(".dsp-chart-menu__status");
    if (status) status.textContent = "";
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.dsp-copy") : null;
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    var panel = button.closest(".dsp-chart-menu__panel");
    var status = panel.querySelector(".dsp-chart-menu__status");
    function say(key) { status.textContent = panel.getAttribute(key); }
    function bySelection() {
      field.focus();
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      say(copied ? "data-copied" : "data-copy-by-hand");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { say("data-copied"); }, bySelection);
    } else {
      bySelection();
    }
  });

  document$.subscribe(function () {
    document.querySelectorAll("button.dsp-copy[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  });
})();
