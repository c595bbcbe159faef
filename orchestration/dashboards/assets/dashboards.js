// Draws a Tallyhouse dashboard page with Plotly from the rows embedded in the page.
// Filters keep the rows whose field equals the selected value; charts are redrawn with
// Plotly.react. Bars and lines sum (or average) y per x, per colour group or one series per
// y field.
/* global Plotly */
(function () {
  "use strict";
  const state = {};
  let page = null;

  function unique(values) {
    return Array.from(new Set(values));
  }

  function keep(row, ignore) {
    return Object.keys(state).every(function (field) {
      const value = state[field];
      if (value === "" || ignore.indexOf(field) >= 0 || !(field in row)) return true;
      return String(row[field]) === value;
    });
  }

  function label(name) {
    return String(name).replace(/_/g, " ");
  }

  function text(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") {
      return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
    }
    return String(value);
  }

  function series(chart, rows) {
    const groups = [];
    if (chart.color) {
      unique(rows.map(function (r) { return r[chart.color]; })).sort().forEach(function (g) {
        groups.push({
          name: String(g), y: chart.y[0],
          rows: rows.filter(function (r) { return r[chart.color] === g; }),
        });
      });
    } else {
      chart.y.forEach(function (y) { groups.push({ name: label(y), y: y, rows: rows }); });
    }
    return groups.map(function (group) {
      const sums = new Map();
      const counts = new Map();
      group.rows.forEach(function (r) {
        const x = r[chart.x];
        const v = r[group.y];
        if (x === null || x === undefined || v === null || v === undefined) return;
        sums.set(x, (sums.get(x) || 0) + Number(v));
        counts.set(x, (counts.get(x) || 0) + 1);
      });
      const xs = Array.from(sums.keys()).sort();
      const ys = xs.map(function (x) {
        const value = chart.mean ? sums.get(x) / counts.get(x) : sums.get(x);
        return Math.round(value * 100) / 100;
      });
      if (chart.kind === "line") {
        return { type: "scatter", mode: "lines+markers", name: group.name, x: xs, y: ys };
      }
      return { type: "bar", name: group.name, x: xs, y: ys };
    });
  }

  function table(chart, rows, columns) {
    const names = chart.columns.length ? chart.columns : columns;
    const shown = rows.slice(0, 200);
    return [{
      type: "table",
      header: { values: names.map(label), align: "left", fill: { color: "#e8edf3" } },
      cells: {
        values: names.map(function (c) { return shown.map(function (r) { return text(r[c]); }); }),
        align: "left",
      },
    }];
  }

  function draw() {
    page.sections.forEach(function (section) {
      if (section.rows === null || section.rows.length === 0) return;
      section.charts.forEach(function (chart) {
        const element = document.getElementById(chart.id);
        const rows = section.rows.filter(function (r) { return keep(r, chart.ignore); });
        const isTable = chart.kind === "table";
        const data = isTable ? table(chart, rows, section.columns) : series(chart, rows);
        const layout = {
          title: { text: chart.title },
          barmode: chart.stack ? "stack" : "group",
          height: isTable ? Math.min(240 + 28 * Math.min(rows.length, 200), 560) : 400,
          margin: { t: 56, r: 24, b: 80, l: 72 },
          legend: { orientation: "h", y: -0.25 },
          annotations: rows.length ? [] : [{
            text: "No rows for these filters", showarrow: false,
            xref: "paper", yref: "paper", x: 0.5, y: 0.5,
          }],
        };
        Plotly.react(element, data, layout, { displaylogo: false, responsive: true });
        element.dataset.rows = String(rows.length);
      });
    });
    document.body.dataset.drawn = String(Number(document.body.dataset.drawn || 0) + 1);
  }

  function filters() {
    const bar = document.getElementById("filters");
    page.filters.forEach(function (filter) {
      const values = unique([].concat.apply([], page.sections.map(function (s) {
        return (s.rows || []).filter(function (r) {
          return filter.field in r && r[filter.field] !== null;
        }).map(function (r) { return String(r[filter.field]); });
      }))).sort();
      if (values.length < 2) return;
      const select = document.createElement("select");
      select.name = filter.field;
      select.setAttribute("aria-label", filter.label);
      if (!filter.default) select.add(new Option("All", ""));
      values.forEach(function (v) { select.add(new Option(v, v)); });
      state[filter.field] = filter.default
        ? (values.indexOf(filter.default) >= 0 ? filter.default : values[0])
        : "";
      select.value = state[filter.field];
      select.addEventListener("change", function () {
        state[filter.field] = select.value;
        draw();
      });
      const wrapper = document.createElement("label");
      wrapper.textContent = filter.label + " ";
      wrapper.appendChild(select);
      bar.appendChild(wrapper);
    });
  }

  window.drawPage = function (data) {
    page = data;
    filters();
    draw();
  };
})();
