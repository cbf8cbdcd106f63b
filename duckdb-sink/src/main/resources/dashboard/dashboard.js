// The dashboard: polls /api/dashboard every 2 s and renders it. No framework, no build step.
"use strict";

const POLL_MS = 2000;
const money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

const $ = (id) => document.getElementById(id);

function setValue(id, raw, text) {
  const el = $(id);
  el.dataset.value = raw === null || raw === undefined ? "" : String(raw);
  el.textContent = raw === null || raw === undefined ? "—" : text;
  el.classList.toggle("nonzero", Number(raw) > 0);
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 60) return oneDecimal.format(seconds) + " s";
  if (seconds < 3600) return oneDecimal.format(seconds / 60) + " min";
  if (seconds < 172800) return oneDecimal.format(seconds / 3600) + " h";
  return oneDecimal.format(seconds / 86400) + " d";
}

function percent(ratio) {
  return ratio === null || ratio === undefined ? "—" : oneDecimal.format(ratio * 100) + " %";
}

function shortTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().replace("T", " ").substring(0, 19);
}

// Rows of a table body from a list, one cell spec per column: [text, className, rawValue].
function fillTable(id, rows, cells, emptyText) {
  const body = $(id);
  body.replaceChildren();
  if (!rows || rows.length === 0) {
    const tr = body.insertRow();
    const td = tr.insertCell();
    td.colSpan = body.closest("table").tHead.rows[0].cells.length;
    td.className = "empty";
    td.textContent = emptyText;
    return;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    for (const [text, cls, raw] of cells(row)) {
      const td = tr.insertCell();
      if (cls) td.className = cls;
      if (raw !== undefined) td.dataset.value = String(raw);
      td.textContent = text;
    }
  }
}

function barTable(id, rows, labelOf, valueOf, extra, emptyText) {
  const max = Math.max(0, ...rows.map(valueOf));
  fillTable(id, rows, (r) => [[labelOf(r)], ...extra(r)], emptyText);
  // a bar behind the first column, proportional to the value
  const body = $(id);
  rows.forEach((r, i) => {
    const td = body.rows[i].cells[0];
    td.classList.add("bar");
    const text = td.textContent;
    td.replaceChildren();
    const fill = document.createElement("span");
    fill.className = "fill";
    fill.style.width = (max > 0 ? (100 * valueOf(r)) / max : 0) + "%";
    const label = document.createElement("span");
    label.className = "text";
    label.textContent = text;
    td.append(fill, label);
  });
}

function salesChart(days) {
  const svg = $("sales-chart");
  const ns = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  const W = 900, H = 220, left = 56, bottom = 24, top = 8;
  if (!days || days.length === 0) {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", W / 2); t.setAttribute("y", H / 2); t.setAttribute("class", "axis");
    t.setAttribute("text-anchor", "middle"); t.textContent = "no revenue orders yet";
    svg.append(t);
    return;
  }
  const max = Math.max(...days.map((d) => Number(d.revenue))) || 1;
  const step = (W - left) / days.length;
  for (let g = 0; g <= 4; g++) {
    const y = top + ((H - bottom - top) * g) / 4;
    const line = document.createElementNS(ns, "line");
    line.setAttribute("x1", left); line.setAttribute("x2", W); line.setAttribute("y1", y); line.setAttribute("y2", y);
    line.setAttribute("class", "grid");
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", left - 6); label.setAttribute("y", y + 3); label.setAttribute("text-anchor", "end");
    label.setAttribute("class", "axis");
    label.textContent = count.format((max * (4 - g)) / 4);
    svg.append(line, label);
  }
  days.forEach((d, i) => {
    const h = ((H - bottom - top) * Number(d.revenue)) / max;
    const rect = document.createElementNS(ns, "rect");
    const width = Math.min(step * 0.7, 36); // a few days must not look like a wall
    rect.setAttribute("x", left + i * step + (step - width) / 2);
    rect.setAttribute("width", width);
    rect.setAttribute("y", H - bottom - h);
    rect.setAttribute("height", Math.max(h, 0));
    rect.setAttribute("class", "bar");
    rect.dataset.day = d.day;
    rect.dataset.revenue = d.revenue;
    const title = document.createElementNS(ns, "title");
    title.textContent = `${d.day}: ${money.format(d.revenue)} revenue, ${d.orders} orders, ${d.units} units`;
    rect.append(title);
    svg.append(rect);
    if (i % Math.ceil(days.length / 10) === 0) {
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", left + i * step + step / 2); label.setAttribute("y", H - 8);
      label.setAttribute("text-anchor", "middle"); label.setAttribute("class", "axis");
      label.textContent = String(d.day).substring(5);
      svg.append(label);
    }
  });
}

function render(d) {
  const status = $("status");
  status.textContent = d.running ? "running" : "stopped";
  status.className = "pill " + (d.running ? "pill-ok" : "pill-bad");
  const error = $("error");
  error.hidden = !d.lastError;
  error.textContent = d.lastError ? `Last error (${shortTime(d.lastErrorAt)}): ${d.lastError}` : "";

  setValue("freshness", d.freshnessSeconds, duration(d.freshnessSeconds));
  setValue("throughput", d.rowsPerSecondTotal, oneDecimal.format(d.rowsPerSecondTotal) + " rows/s");
  setValue("lag", d.totalLag, count.format(d.totalLag));
  setValue("batches", d.batches, count.format(d.batches));
  $("last-batch").textContent = d.lastBatch.at
    ? `last: ${count.format(d.lastBatch.records)} msgs in ${d.lastBatch.durationMs} ms` : "no batch yet";
  setValue("open-failures", d.openFailures, count.format(d.openFailures));
  setValue("dead-letters", d.deadLetters, count.format(d.deadLetters));

  const k = d.kpis || {};
  setValue("kpi-revenue", k.revenue, money.format(k.revenue));
  setValue("kpi-orders", k.orders, count.format(k.orders));
  setValue("kpi-aov", k.avg_order_value, money.format(k.avg_order_value));
  setValue("kpi-units-per-order", k.units_per_order, oneDecimal.format(k.units_per_order));
  setValue("kpi-customers", k.customers_with_orders, count.format(k.customers_with_orders));
  setValue("kpi-repeat-rate", k.repeat_purchase_rate, percent(k.repeat_purchase_rate));

  salesChart(d.salesDaily);
  barTable("categories", d.revenueByCategory, (r) => r.category, (r) => Number(r.revenue),
    (r) => [[money.format(r.revenue), "num", r.revenue], [money.format(r.gross_profit), "num", r.gross_profit],
      [count.format(r.units), "num", r.units]], "no revenue yet");
  fillTable("top-skus", d.topSkus, (r) => [[r.rank], [r.variant_sku], [r.product_name],
    [count.format(r.units), "num", r.units], [money.format(r.revenue), "num", r.revenue]], "no sales yet");
  barTable("countries", d.customersByCountry, (r) => r.country, (r) => Number(r.customers),
    (r) => [[count.format(r.customers), "num", r.customers]], "no customers yet");
  fillTable("layers", ["raw", "stg", "mart", "quality"], (l) => [[l],
    [count.format(d.rowCounts[l]), "num", d.rowCounts[l]],
    [oneDecimal.format(d.rowsPerSecond[l] || 0), "num", d.rowsPerSecond[l] || 0]], "");
  fillTable("dlq-by-check", d.deadLettersByCheck, (r) => [[r.table], [r.check],
    [count.format(r.dead_letters), "num", r.dead_letters]], "no dead letters");
  fillTable("open-failures-list", d.latestOpenFailures, (r) => [[shortTime(r.since)], [r.table], [r.key], [r.checks]],
    "no open failures");
  fillTable("latest-dead-letters", d.latestDeadLetters, (r) => [[shortTime(r.detected_at)], [r.table], [r.key], [r.checks]],
    "no dead letters");
  $("updated").textContent = new Date().toISOString().substring(11, 19) + " UTC";
}

async function poll() {
  try {
    const response = await fetch("/api/dashboard", { cache: "no-store" });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    render(body);
  } catch (e) {
    const status = $("status");
    status.textContent = "unreachable";
    status.className = "pill pill-bad";
    const error = $("error");
    error.hidden = false;
    error.textContent = "The sink does not answer: " + e.message;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

poll();
