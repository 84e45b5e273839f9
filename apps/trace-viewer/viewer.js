// Draws an asyncio-ts trace (Chrome Trace Event JSON from `Tracer.toChromeTrace()`): one row per
// task, its steps and awaits as bars on a shared time axis, how it ended as a mark. Plain
// JavaScript with no dependencies, so the page works from any static server or file.

export const COLORS = {
  step: "#1f6feb",
  await: "#e3b341",
  done: "#2da44e",
  failed: "#cf222e",
  cancelled: "#8c959f",
  timer: "#6e7781",
};
const LABEL = 180;
const ROW = 26;
const AXIS = 24;
const BAR = 14;

/** Rows (one per task, and one for the loop's timers) from a trace's events. */
export function rowsOf(trace) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  if (!Array.isArray(events)) throw new TypeError("not a Chrome trace: no traceEvents array");
  const rows = new Map();
  const row = (e) => {
    const key = `${e.pid}:${e.tid}`;
    let r = rows.get(key);
    if (r === undefined) {
      r = { key, name: `${e.pid}:${e.tid}`, spans: [], marks: [], order: rows.size };
      rows.set(key, r);
    }
    return r;
  };
  for (const e of events) {
    if (e.ph === "M") {
      if (e.name === "thread_name") row(e).name = String(e.args?.name ?? row(e).name);
    } else if (e.ph === "X") {
      row(e).spans.push({
        kind: e.cat === "await" ? "await" : "step",
        ts: e.ts,
        dur: e.dur ?? 0,
        name: e.name,
      });
    } else if (e.ph === "i") {
      row(e).marks.push({ kind: e.name, ts: e.ts });
    }
  }
  return [...rows.values()].filter((r) => r.spans.length > 0 || r.marks.length > 0);
}

/** Draws `rows` on `canvas`; returns what it drew, for tests and the status line. */
export function draw(canvas, rows) {
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const r of rows) {
    for (const s of r.spans) {
      t0 = Math.min(t0, s.ts);
      t1 = Math.max(t1, s.ts + s.dur);
    }
    for (const m of r.marks) {
      t0 = Math.min(t0, m.ts);
      t1 = Math.max(t1, m.ts);
    }
  }
  if (!Number.isFinite(t0)) {
    t0 = 0;
    t1 = 1;
  }
  if (t1 <= t0) t1 = t0 + 1;
  canvas.height = AXIS + rows.length * ROW + 8;
  const ctx = canvas.getContext("2d");
  const width = canvas.width - LABEL - 16;
  const x = (ts) => LABEL + Math.round(((ts - t0) / (t1 - t0)) * width);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // The time axis, in seconds from the first event.
  ctx.fillStyle = "#57606a";
  ctx.font = "11px system-ui, sans-serif";
  const seconds = (t1 - t0) / 1e6;
  const step = niceStep(seconds / 8);
  for (let s = 0; s <= seconds + 1e-9; s += step) {
    const px = x(t0 + s * 1e6);
    ctx.fillRect(px, AXIS - 6, 1, 6);
    ctx.fillText(`${+s.toFixed(6)}s`, px + 2, AXIS - 9);
  }
  let bars = 0;
  rows.forEach((r, i) => {
    const y = AXIS + i * ROW;
    ctx.fillStyle = i % 2 === 0 ? "#f6f8fa" : "#ffffff";
    ctx.fillRect(0, y, canvas.width, ROW);
    ctx.fillStyle = "#1f2328";
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillText(r.name.length > 24 ? `${r.name.slice(0, 23)}…` : r.name, 6, y + ROW / 2 + 4);
    const top = y + (ROW - BAR) / 2;
    // Awaits under steps: a step is drawn over the wait it ends.
    for (const kind of ["await", "step"]) {
      for (const s of r.spans) {
        if (s.kind !== kind) continue;
        ctx.fillStyle = COLORS[kind];
        const left = x(s.ts);
        ctx.fillRect(left, top, Math.max(2, x(s.ts + s.dur) - left), BAR);
        bars++;
      }
    }
    for (const m of r.marks) {
      // "timer" is a timer firing; its scheduling ("timer scheduled") is not drawn.
      const color = COLORS[m.kind];
      if (color === undefined) continue;
      ctx.fillStyle = color;
      ctx.fillRect(x(m.ts) - 2, top - 3, 5, BAR + 6);
    }
  });
  return { rows: rows.length, bars, seconds };
}

function niceStep(raw) {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function show(trace, source) {
  const canvas = document.getElementById("timeline");
  const status = document.getElementById("status");
  const rows = rowsOf(trace);
  const summary = draw(canvas, rows);
  window.traceRows = rows.map((r) => r.name);
  status.textContent = `${source}: ${summary.rows} rows, ${summary.bars} bars, ${summary.seconds.toFixed(3)} s`;
  window.traceSummary = summary;
  document.body.dataset.rendered = "true";
}

function fail(e) {
  document.getElementById("status").textContent = `Could not draw the trace: ${e.message}`;
  document.body.dataset.rendered = "error";
}

if (typeof document !== "undefined") {
  document.getElementById("file").addEventListener("change", async (ev) => {
    const file = ev.target.files?.[0];
    if (file) {
      try {
        show(JSON.parse(await file.text()), file.name);
      } catch (e) {
        fail(e);
      }
    }
  });
  const url = new URLSearchParams(location.search).get("trace");
  if (url) {
    fetch(url)
      .then((r) => r.json())
      .then((t) => show(t, url), fail);
  }
}
