// Outcomes: cases by status, money denied and recovered, and win rates by denial code and payer;
// and what went missing most often in the months checked before billing.

import { $, TRACKING, api, el, fmtMoney, show, signedIn } from "./core.js";

let asked = 0;

export function clearStats() {
  asked += 1;  // an answer still on its way is for the previous key
  for (const id of ["stats-totals", "stats-status", "stats-missing"]) $(id).replaceChildren();
  show("stats-missing-wrap", false);
  for (const id of ["stats-codes", "stats-payers"]) $(id).replaceChildren($(id).querySelector("caption"));
  $("stats-loading").textContent = "";
  show("stats", false);
}

export async function loadStats() {
  if (!signedIn()) return;
  const mine = ++asked;
  if ($("stats").hidden) $("stats-loading").textContent = "Loading the figures…";
  try {
    const stats = await api("/v1/stats");
    if (mine !== asked) return;
    renderStats(stats);
    $("stats-loading").textContent = "";
  } catch (error) {
    if (mine === asked) $("stats-loading").textContent = `The figures could not be loaded: ${error.message}`;
  }
}

function renderStats(s) {
  const totals = [["Cases", s.cases], ["Denied", fmtMoney(s.amount_denied)], ["Recovered", fmtMoney(s.amount_recovered)],
    ["Overdue", s.overdue], ["Due in 14 days", s.due_in_14_days]];
  $("stats-totals").replaceChildren(...totals.map(([name, value]) => el("div", {}, el("dt", {}, name), el("dd", {}, String(value)))));
  const statuses = Object.keys(TRACKING).filter((k) => s.by_status[k]);
  $("stats-status").replaceChildren(...(statuses.length
    ? statuses.map((k) => el("li", {}, el("span", { class: `status ${k}` }, TRACKING[k]), ` ${s.by_status[k]}`))
    : [el("li", { class: "empty" }, "No cases yet.")]));
  fillTable("stats-codes", "Code", s.by_code);
  fillTable("stats-payers", "Payer", s.by_payer);
  renderMissing(s.missing_requirements || []);
  show("stats", true);
}

function fillTable(id, first, rows) {
  const table = $(id);
  const head = el("thead", {}, el("tr", {}, [first, "Cases", "Open", "Won", "Lost", "Win rate", "Denied", "Recovered"].map((name, i) =>
    el("th", { scope: "col", class: i ? "num" : "", title: name === "Won" ? "Won or partly won" : name === "Open" ? "New, drafted or sent" : false }, name))));
  const body = el("tbody", {}, rows.length ? rows.map((r) => el("tr", {},
    el("th", { scope: "row" }, r.key),
    el("td", { class: "num" }, String(r.cases)),
    el("td", { class: "num" }, String(r.open)),
    el("td", { class: "num", title: r.partly_won ? `${r.won} won, ${r.partly_won} partly won` : false }, String(r.won + r.partly_won)),
    el("td", { class: "num", title: r.written_off ? `${r.written_off} written off besides` : false }, String(r.lost)),
    el("td", { class: "num" }, r.win_rate === null ? "—" : `${Math.round(r.win_rate * 100)}%`),
    el("td", { class: "num" }, fmtMoney(r.amount_denied)),
    el("td", { class: "num" }, fmtMoney(r.amount_recovered))))
    : [el("tr", {}, el("td", { colspan: 8, class: "empty" }, "Nothing yet."))]);
  table.replaceChildren(table.querySelector("caption"), head, body);
}

/** The prevention report: the requirements most often missing in the months checked before billing. */
function renderMissing(rows) {
  $("stats-missing").replaceChildren(...rows.map((r) => el("li", {}, el("span", {}, r.title), " ", el("span", { class: "count" }, String(r.count)), r.count === 1 ? " month" : " months")));
  show("stats-missing-wrap", rows.length > 0);
}

$("stats-refresh").addEventListener("click", loadStats);
$("tab-stats").addEventListener("click", loadStats);
