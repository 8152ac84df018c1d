// The Compare page's explorer: filters over the table of models, two to four models pinned
// side by side, and the view kept in the page's address. Loaded only by the Compare page
// (its front matter's `scripts:`). What the filters need comes with the page
// (#dsp-explorer-data); a pinned model's configuration and scores come from its own script
// file (explorer/<model id>.js, beside this one), loaded when it is pinned: a <script>
// element, since the offline export opens from file://, where fetch() is refused. Every
// value is formatted and sourced by the generator. Without this script the page is the
// full sortable table: everything here is added to it.
(function () {
  "use strict";
  var FILES = document.currentScript.src.replace(/compare\.js([?#].*)?$/, "explorer/");
  var root = document.getElementById("dsp-explorer");
  var dataEl = document.getElementById("dsp-explorer-data");
  var table = document.getElementById("all-models");
  if (!root || !dataEl || !table) return;
  var D = JSON.parse(dataEl.textContent);
  var T = D.text;
  // A metric or setting in the page's language (the data writes them in English).
  function W(term) { return (D.words && D.words[term]) || term; }
  var MAX_PINS = 4;
  var BILLION = 1e9;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var total = rows.length;
  var controls = {}; // address key -> form control
  var pins = [];
  var uid = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? values[key] : whole;
    });
  }

  // --- Filters --------------------------------------------------------------------------

  function labelled(key, text, control) {
    control.id = "dsp-explorer-" + ++uid;
    control.name = key;
    controls[key] = control;
    return el("div", { class: "dsp-explorer__field" }, [el("label", { for: control.id }, [text]), control]);
  }

  function choice(key, text, options) {
    var select = el("select", {}, [el("option", { value: "" }, [T.any])]);
    options.forEach(function (option) {
      select.append(el("option", { value: option[0] }, [option[1]]));
    });
    return labelled(key, text, select);
  }

  function range(legend, bounds, attrs) {
    var group = el("fieldset", { class: "dsp-explorer__range" }, [el("legend", {}, [legend])]);
    bounds.forEach(function (bound) {
      group.append(labelled(bound[0], bound[1], el("input", attrs)));
    });
    return group;
  }

  var number = { type: "number", min: "0", step: "any", inputmode: "decimal" };
  var count = el("p", { class: "dsp-explorer__count", role: "status" });
  var reset = el("button", { type: "button", class: "md-button dsp-explorer__reset" }, [T.reset]);
  var filters = el("fieldset", { class: "dsp-explorer__filters" }, [
    el("legend", {}, [T.filters]),
    labelled("q", T.name, el("input", { type: "search", placeholder: T.namePlaceholder, autocomplete: "off" })),
    choice("line", T.line, D.lines),
    choice("paper", T.paper, D.papers),
    choice("kind", T.kind, D.kinds),
    choice("arch", T.architecture, D.architectures),
    choice("attn", T.attention, D.attentions),
    range(T.total, [["tmin", T.min], ["tmax", T.max]], number),
    range(T.activated, [["amin", T.min], ["amax", T.max]], number),
    range(T.date, [["from", T.from], ["to", T.to]], { type: "date" }),
    el("div", { class: "dsp-explorer__actions" }, [reset]),
  ]);

  function within(value, low, high, unit) {
    if (low === "" && high === "") return true;
    if (value === null) return false; // not reported: cannot be shown to lie in the range
    if (low !== "" && value < Math.round(parseFloat(low) * unit)) return false;
    if (high !== "" && value > Math.round(parseFloat(high) * unit)) return false;
    return true;
  }

  function value(key) {
    return controls[key].value.trim();
  }

  function shows(m) {
    var query = value("q").toLowerCase();
    return (
      (!query || m.name.toLowerCase().indexOf(query) >= 0) &&
      (!value("line") || m.line === value("line")) &&
      (!value("paper") || m.paper === value("paper")) &&
      (!value("kind") || m.kind === value("kind")) &&
      (!value("arch") || m.architecture === value("arch")) &&
      (!value("attn") || m.attention === value("attn")) &&
      within(m.total, value("tmin"), value("tmax"), BILLION) &&
      within(m.activated, value("amin"), value("amax"), BILLION) &&
      (!value("from") || m.date >= value("from")) &&
      (!value("to") || m.date <= value("to"))
    );
  }

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = shows(D.models[row.getAttribute("data-model")]);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    count.textContent = fill(T.shown, { shown: shown, total: total });
  }

  // --- Pinned models, side by side ---------------------------------------------------------

  var pinStatus = el("p", { class: "dsp-explorer__pin-status", role: "status" });
  var unpin = el("button", { type: "button", class: "md-button dsp-explorer__unpin" }, [T.unpinAll]);
  var heading = el("h2", { id: "dsp-explorer-pinned" }, [T.pinned]);
  var comparison = el("div", { class: "dsp-explorer__comparison" });
  var pinned = el("section", { class: "dsp-explorer__pinned", "aria-labelledby": heading.id }, [
    heading,
    pinStatus,
    unpin,
    comparison,
  ]);
  var boxes = {};
  var details = {}; // model id -> its configuration and scores, once loaded
  var requested = {};

  window.dspExplorerModel = function (id, data) {
    details[id] = data;
    showPins();
  };

  function load(id) {
    if (requested[id]) return;
    requested[id] = true;
    document.head.append(el("script", { src: FILES + encodeURIComponent(id) + ".js" }));
  }

  rows.forEach(function (row) {
    var id = row.getAttribute("data-model");
    var box = el("input", { type: "checkbox", class: "dsp-pin", "aria-label": fill(T.pin, { name: D.models[id].name }) });
    box.addEventListener("change", function () {
      pins = pins.filter(function (p) { return p !== id; });
      if (box.checked) pins.push(id);
      showPins();
      save();
    });
    boxes[id] = box;
    row.cells[0].prepend(box);
  });

  function paperLink(id) {
    var row = table.querySelector('tr[data-model="' + id + '"] a');
    return el("a", { href: row ? row.getAttribute("href") : null }, [D.models[id].name]);
  }

  // Sources are numbered in the order this view cites them, as footnotes are on a paper page.
  function citer(list) {
    var numbers = {};
    return function (source) {
      var key = source[0] + "\n" + source[1];
      if (!(key in numbers)) {
        numbers[key] = list.children.length + 1;
        list.append(el("li", { id: "dsp-explorer-source-" + numbers[key] }, [el("a", { href: source[1] }, [source[0]])]));
      }
      var n = numbers[key];
      return el("sup", {}, [el("a", { href: "#dsp-explorer-source-" + n, "aria-label": fill(T.sourceN, { n: n }) }, [String(n)])]);
    };
  }

  // The evidence marker: a sign whose name is its text alternative (page data, in the
  // page's language), as on the paper pages; with ✓ for a value checked against its
  // document.
  function mark(kind, checked) {
    var e = (checked ? D.checked : D.evidence)[kind];
    return el("span", { class: "dsp-ev dsp-ev--" + kind, role: "img", title: e[1], "aria-label": e[1] }, [e[0]]);
  }

  function head(cells) {
    return el("thead", {}, [el("tr", {}, cells.map(function (cell) { return el("th", { scope: "col" }, [cell]); }))]);
  }

  function modelHead(first) {
    return head(first.concat(pins.map(paperLink)));
  }

  function distinct(values) {
    return values.filter(function (v, i) { return values.indexOf(v) === i; }).length;
  }

  function fieldsTable(cite) {
    var body = el("tbody");
    function addRow(key, label, cells, values) {
      var differs = distinct(values) > 1; // a value one model lacks differs too
      var th = el("th", { scope: "row" }, [label]);
      if (differs) th.append(" ", el("span", { "aria-hidden": "true" }, ["≠"]), el("span", { class: "dsp-sr" }, [" (" + T.differs + ")"]));
      body.append(el("tr", { "data-field": key, class: differs ? "dsp-differs" : null }, [th].concat(cells)));
    }
    [T.variant, T.architecture, T.weights].forEach(function (label, i) {
      var values = pins.map(function (id) { return D.models[id].facts[i]; });
      addRow("fact-" + i, label, values.map(function (v) { return el("td", {}, [v]); }), values);
    });
    D.fields.forEach(function (field) {
      var cells = [];
      var values = pins.map(function (id) {
        var model = details[id];
        var c = model.config.filter(function (entry) { return entry[0] === field[0]; })[0];
        var td = el("td", c ? { "data-value": c[1] } : {}, c ? [] : ["–"]);
        // Each distinct value with the sources that give it; several where sources disagree.
        (c ? c[2] : []).forEach(function (group, i) {
          if (i) td.append(" / ");
          td.append(group[0]);
          group[1].forEach(function (n, k) {
            var source = model.sources[n];
            td.append(cite(source), mark(source[2], group[2][k]));
          });
        });
        cells.push(td);
        return c ? c[1] : null;
      });
      if (values.some(function (v) { return v !== null; })) addRow(field[0], field[1], cells, values);
    });
    return el("table", {}, [el("caption", {}, [T.fields]), modelHead([T.field]), body]);
  }

  // Scores are comparable on the same benchmark (and sub-task), metric and setting.
  function scoresTable(cite) {
    var byModel = pins.map(function (id) {
      var model = details[id];
      var scores = {};
      model.scores.forEach(function (s) {
        var b = model.benchmarks[s[0]]; // [id, name, sub-task, metric, setting]
        var key = [b[0], b[2], b[3], b[4]].join("\n");
        (scores[key] = scores[key] || { benchmark: b, values: [] }).values.push([s[1], model.sources[s[2]], s[3], s[4]]);
      });
      return scores;
    });
    var shared = Object.keys(byModel[0]).filter(function (key) {
      return byModel.every(function (scores) { return scores[key]; });
    });
    if (!shared.length) return el("p", { class: "dsp-explorer__none" }, [T.noShared]);
    var body = el("tbody");
    shared.forEach(function (key) {
      var b = byModel[0][key].benchmark;
      var cells = byModel.map(function (scores) {
        var td = el("td");
        scores[key].values.forEach(function (v, i) {
          if (i) td.append("; ");
          td.append(el("span", { "data-score": v[0] }, [v[0], cite(v[1]), mark(v[2], v[3])]));
        });
        return td;
      });
      // A sub-task (the row's label in a table that splits the benchmark) follows the name.
      var name = b[2] && b[2] !== b[1] ? b[1] + " · " + b[2] : b[1];
      body.append(el("tr", { "data-benchmark": b[0], "data-subtask": b[2], "data-metric": b[3], "data-setting": b[4] },
        [el("th", { scope: "row" }, [name]), el("td", {}, [b[4] ? W(b[4]) : "–"]), el("td", {}, [W(b[3])])].concat(cells)));
    });
    return el("table", {}, [el("caption", {}, [T.shared]), modelHead([T.benchmark, T.setting, T.metric]), body]);
  }

  // Classless tables, so the theme styles them as the paper pages' tables.
  function wrap(name, content) {
    return el("div", { class: "dsp-table-wrap " + name, tabindex: "0" }, [content]);
  }

  function showPins() {
    Object.keys(boxes).forEach(function (id) {
      boxes[id].checked = pins.indexOf(id) >= 0;
      boxes[id].disabled = pins.length >= MAX_PINS && !boxes[id].checked;
    });
    pinStatus.textContent = pins.length >= MAX_PINS ? T.pinLimit : pins.length === 1 ? T.pinMore : pins.length ? "" : T.pinHelp;
    unpin.hidden = !pins.length;
    var missing = pins.filter(function (id) { return !details[id]; });
    missing.forEach(load); // each file calls dspExplorerModel, which shows the pins again
    if (missing.length && pins.length >= 2) return; // the previous view stays until then
    comparison.replaceChildren();
    comparison.setAttribute("data-pins", pins.length >= 2 ? pins.join(" ") : "");
    if (pins.length < 2) return;
    var list = el("ol", { class: "dsp-explorer__sources" });
    var cite = citer(list);
    var fields = fieldsTable(cite);
    var scores = scoresTable(cite);
    comparison.append(
      wrap("dsp-explorer__fields", fields),
      el("p", {}, [T.diffNote]),
      scores.tagName === "TABLE" ? wrap("dsp-explorer__scores", scores) : scores,
      el("h3", {}, [T.sources]),
      list
    );
  }

  unpin.addEventListener("click", function () {
    pins = [];
    showPins();
    save();
  });

  // --- The view in the address ---------------------------------------------------------------

  function sortedBy() {
    var header = table.querySelector("thead th[aria-sort]");
    if (!header) return "";
    return header.cellIndex + (header.getAttribute("aria-sort") === "descending" ? "d" : "a");
  }

  function save() {
    var params = new URLSearchParams();
    Object.keys(controls).forEach(function (key) {
      if (value(key)) params.set(key, value(key));
    });
    var sort = sortedBy();
    if (sort) params.set("sort", sort);
    pins.forEach(function (id) { params.append("pin", id); });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    Object.keys(controls).forEach(function (key) {
      var wanted = params.get(key);
      if (wanted !== null) controls[key].value = wanted;
    });
    pins = params.getAll("pin").filter(function (id, i, all) {
      return D.models[id] && all.indexOf(id) === i;
    }).slice(0, MAX_PINS);
    return /^(\d+)([ad])$/.exec(params.get("sort") || "");
  }

  // Tablesort (loaded by site.js) marks the table ready; a header's click sorts by it,
  // ascending first, descending on a second click.
  function whenSortable(run) {
    if (table.dataset.sortReady) return run();
    var observer = new MutationObserver(function () {
      if (!table.dataset.sortReady) return;
      observer.disconnect();
      run();
    });
    observer.observe(table, { attributes: true, attributeFilter: ["data-sort-ready"] });
  }

  function sortAs(wanted) {
    var header = table.tHead.rows[table.tHead.rows.length - 1].cells[+wanted[1]];
    var direction = wanted[2] === "d" ? "descending" : "ascending";
    for (var i = 0; header && i < 2 && header.getAttribute("aria-sort") !== direction; i++) header.click();
  }

  var sort = restore();
  root.append(filters, count, el("p", { class: "dsp-explorer__note" }, [T.linkNote]), pinned);
  filters.addEventListener("input", function () { applyFilters(); save(); });
  filters.addEventListener("change", function () { applyFilters(); save(); });
  reset.addEventListener("click", function () {
    Object.keys(controls).forEach(function (key) { controls[key].value = ""; });
    applyFilters();
    save();
  });
  table.addEventListener("afterSort", save);
  applyFilters();
  showPins();
  whenSortable(function () {
    if (sort) sortAs(sort);
    root.setAttribute("data-ready", "");
  });
})();
