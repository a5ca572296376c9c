// Before you bill: every case's records for one month checked against a billable code before the
// claim goes out. The batch runs on the server; the page polls its progress, then lists the months
// not ready first (what is missing, what is at risk, the lines that show it) and the ready ones
// folded below. Record text (quotes, names, reasons) only ever reaches the page as text nodes.

import { $, api, el, saveResponse, show, signedIn, state } from "./core.js";
import { closeCase, openCase } from "./cases.js";
import { loadStats } from "./stats.js";

const STATUS = { met: "Met", missing: "Missing", at_risk: "At risk" };
const run = { poll: null, asked: 0 };

/** The calendar month before today's, as YYYY-MM: the month usually billed next. */
function previousMonth(today = new Date()) {
  const d = new Date(today.getFullYear(), today.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
}

function chosen() {
  return new URLSearchParams({ month: $("checks-month").value, code: $("checks-code").value });
}

export function clearChecks() {
  run.asked += 1;  // an answer or a poll still on its way is for the previous sign-in or choice
  clearTimeout(run.poll);
  run.poll = null;
  for (const id of ["checks-not-ready", "checks-ready-list", "checks-failed", "checks-summary"]) $(id).replaceChildren();
  $("checks-error").textContent = "";
  show("checks-results", false); show("checks-running", false); show("checks-failed", false);
  $("checks-run").disabled = false;
}

/** Hides the view; the work area shows a case or the form instead. */
export function hideChecks() {
  show("checks-view", false);
  $("open-checks").removeAttribute("aria-current");
}

function openChecks() {
  closeCase();
  show("work-empty", false);
  show("checks-view", true);
  $("open-checks").setAttribute("aria-current", "page");
  if (!$("checks-month").value) $("checks-month").value = previousMonth();
  $("checks-title").focus();
  if (!run.poll) loadResults();
}

// ---- the batch ------------------------------------------------------------------------------

async function startBatch(event) {
  event.preventDefault();
  if (!$("checks-month").value) return;
  clearChecks();
  const mine = run.asked;
  const { code, month } = Object.fromEntries(chosen());
  $("checks-run").disabled = true;
  try {
    const batch = await api("/v1/checks/batch", { method: "POST", json: { code, month, case_ids: null } });
    if (mine !== run.asked) return;
    showProgress(batch);
    if (batch.status === "running") follow(batch.id, mine, Date.now());
    else await finish(batch, mine);
  } catch (error) {
    if (mine !== run.asked) return;
    $("checks-error").textContent = `The check could not start: ${error.message}`;
    $("checks-run").disabled = false;
  }
}

const FOLLOW_MS = 60 * 60 * 1000;  // an hour: past it the batch is left to run and the page says so

/** The next poll once this one has answered (never two at once), slower as the batch goes on. */
function follow(id, mine, started) {
  const waited = Date.now() - started;
  if (waited > FOLLOW_MS) {
    run.poll = null;
    $("checks-error").textContent = "The check is still running; open Before you bill again later for its results.";
    $("checks-run").disabled = false;
    return;
  }
  run.poll = setTimeout(() => pollBatch(id, mine, started), Math.min(1000 + waited / 60, 5000));
}

async function pollBatch(id, mine, started) {
  try {
    const batch = await api(`/v1/checks/batch/${encodeURIComponent(id)}`);
    if (mine !== run.asked) return;
    showProgress(batch);
    if (batch.status !== "running") { run.poll = null; await finish(batch, mine); }
    else follow(id, mine, started);
  } catch (error) {
    if (mine !== run.asked) return;
    run.poll = null;
    $("checks-error").textContent = `The progress could not be followed (${error.message}); the results below may be incomplete.`;
    $("checks-run").disabled = false;
    await loadResults();
  }
}

function showProgress(b) {
  show("checks-running", true);
  $("checks-progress").max = Math.max(b.total, 1);
  $("checks-progress").value = b.total ? b.done : 1;
  const failed = b.failed ? `, ${b.failed} could not be checked` : "";
  $("checks-progress-text").textContent = b.total === 0 ? "No case to check."
    : b.status === "running" ? `Checking: ${b.done} of ${b.total} cases${failed}…`
      : `Checked ${b.done} of ${b.total} cases${failed}.`;
}

async function finish(batch, mine) {
  $("checks-run").disabled = false;
  const claims = new Map(state.cases.map((c) => [c.id, c.claim_number]));
  const errors = batch.errors || [];
  $("checks-failed").replaceChildren(...errors.map((e) => el("li", {}, `${claims.get(e.case_id) || e.case_id} could not be checked (${e.code})`)));
  show("checks-failed", errors.length > 0);
  await loadResults(mine);
  loadStats();
}

// ---- the results ----------------------------------------------------------------------------

async function loadResults(mine = run.asked) {
  if (!signedIn()) return;
  const query = chosen();
  if (!query.get("month")) return;
  try {
    const rows = await api(`/v1/checks?${query}`);
    if (mine !== run.asked) return;
    renderResults(rows, query);
  } catch (error) {
    if (mine === run.asked) $("checks-error").textContent = `The results could not be loaded: ${error.message}`;
  }
}

function monthName(month) {
  const [y, m] = month.split("-").map(Number);
  return new Date(y, m - 1, 1).toLocaleDateString(undefined, { year: "numeric", month: "long" });
}

function renderResults(rows, query) {
  const ready = rows.filter((r) => r.result.ready), waiting = rows.filter((r) => !r.result.ready);
  $("checks-summary").textContent = `${query.get("code")}, ${monthName(query.get("month"))}: ${ready.length} ready, ${waiting.length} not ready`;
  $("checks-csv").href = `/v1/checks.csv?${query}`;
  show("checks-none", rows.length === 0);
  $("checks-not-ready").replaceChildren(...waiting.map(card));
  $("checks-ready-title").textContent = `Ready to bill (${ready.length})`;
  $("checks-ready-list").replaceChildren(...ready.map(card));
  show("checks-ready", ready.length > 0);
  show("checks-results", true);
}

function minutesLine(r) {
  const m = r.minutes;
  if (m.needed === null || m.needed === undefined) return r.data_days !== null && r.data_days !== undefined ? `${r.data_days} days of readings` : `${m.total} min`;
  return `${m.total} of ${m.needed} min`;
}

function problems(r, status, heading) {
  const items = r.requirements.filter((q) => q.status === status);
  if (!items.length) return "";
  return el("div", { class: `check-problems ${status}` }, el("h4", {}, heading),
    el("ul", {}, items.map((q) => el("li", {}, el("strong", {}, q.title), `: ${q.reason}`))));
}

function citation(c) {
  return el("li", { class: c.against ? "against" : "" },
    c.against ? el("span", { class: "flag" }, "Against") : "",
    c.against ? " " : "",
    el("span", { class: "cite-where" }, `${c.document} p.${c.page}`), " ", el("span", { class: "quote" }, `"${c.quote}"`));
}

function evidence(r) {
  const parts = r.requirements.map((q) => el("section", { class: "check-req" },
    el("h5", {}, q.title, " ", el("span", { class: `req-status ${q.status}` }, STATUS[q.status] || q.status)),
    q.citations.length ? el("ul", { class: "citations" }, q.citations.map(citation))
      : el("p", { class: "sub" }, q.status === "missing" ? "No line in the records shows it." : q.reason)));
  if (r.warnings.length) parts.push(el("section", { class: "check-req" }, el("h5", {}, "Notes"), el("ul", {}, r.warnings.map((w) => el("li", {}, w)))));
  return el("details", { class: "check-evidence" }, el("summary", {}, "Evidence"), parts);
}

function card(row) {
  const r = row.result;
  const claim = row.claim_number || row.case_id;
  const open = el("button", { type: "button", class: "link", "aria-label": `Open case ${claim}`, onclick: () => openCase(row.case_id) }, claim);
  const codes = r.supported_codes.length ? `Supports ${r.supported_codes.join(" + ")}` : "Supports no code yet";
  return el("article", { class: `check ${r.ready ? "ready" : "not-ready"}`, "data-case": row.case_id },
    el("div", { class: "check-head" },
      el("div", {}, open, el("div", { class: "sub" }, row.patient_name || "")),
      el("span", { class: `check-verdict ${r.ready ? "ready" : "not-ready"}` }, r.ready ? "Ready" : "Not ready")),
    el("p", { class: "check-facts" }, el("span", { title: "Countable minutes of those the code needs" }, minutesLine(r)), " · ", codes),
    problems(r, "missing", "Missing"), problems(r, "at_risk", "At risk"), evidence(r));
}

// ---- wiring ---------------------------------------------------------------------------------

$("open-checks").addEventListener("click", openChecks);
$("checks-form").addEventListener("submit", startBatch);
for (const id of ["checks-code", "checks-month"]) $(id).addEventListener("change", () => { if (!run.poll) { clearChecks(); loadResults(); } });
$("checks-csv").addEventListener("click", async (event) => {
  event.preventDefault();  // signed in with a key, a plain link would carry no credentials
  $("checks-error").textContent = "";
  try { await saveResponse(await api(event.currentTarget.getAttribute("href"), { raw: true }), "checks.csv"); }
  catch (error) { $("checks-error").textContent = `The CSV could not be downloaded: ${error.message}`; }
});
