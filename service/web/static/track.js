// The open case's work and outcome: what to do and why, the remittance's adjustments, and
// where the case stands (sent, won, partly won, lost, written off) with the money recovered.

import { $, ACTIONS, TRACKING, api, el, fmtDate, fmtMoney, show, state } from "./core.js";
import { loadCases, refreshCase } from "./cases.js";

export function clearTracking() {
  for (const id of ["case-action", "adjustment-rows", "case-status"]) $(id).replaceChildren();
  $("track-error").textContent = "";
  $("amount-recovered").value = "";
  show("adjustments", false);
}

export function renderTracking(c) {
  $("case-action").replaceChildren(...(c.action
    ? [el("strong", {}, ACTIONS[c.action] || c.action), c.action_rule ? el("span", { class: "sub rule" }, ` · ${c.action_rule}`) : ""]
    : [el("span", { class: "sub" }, "Entered by hand: appeal the denial with a cited letter.")]));
  $("adjustment-rows").replaceChildren(...c.adjustments.map((a) => el("tr", {},
    el("td", {}, `${a.group}-${a.carc}`),
    el("td", {}, a.rarcs.length ? a.rarcs.join(", ") : "—"),
    el("td", { class: "num" }, fmtMoney(a.amount)),
    el("td", {}, a.cpt || "claim"))));
  show("adjustments", c.adjustments.length > 0);
  const parts = [`Status: ${TRACKING[c.status] || c.status}`];
  if (c.sent_at) parts.push(`sent ${fmtDate(c.sent_at)}`);
  if (c.decided_at) parts.push(`decided ${fmtDate(c.decided_at)}`);
  parts.push(`denied ${fmtMoney(c.amount_denied)}`);
  if (c.amount_recovered !== null && c.amount_recovered !== undefined) parts.push(`recovered ${fmtMoney(c.amount_recovered)}`);
  parts.push(c.assignee_email ? `assigned to ${c.assignee_email}` : "unassigned");
  $("case-status").textContent = parts.join(" · ");
  $("case-status").className = `case-status ${c.status}`;
  if (document.activeElement !== $("amount-recovered")) $("amount-recovered").value = c.amount_recovered ?? "";
  for (const button of $("outcome-buttons").querySelectorAll("[data-status]")) {
    button.setAttribute("aria-pressed", String(button.dataset.status === c.status));
  }
}

let saving = false;

async function record(status) {
  if (saving || !state.caseId) return;
  const caseId = state.caseId;
  $("track-error").textContent = "";
  const body = { status };
  const typed = $("amount-recovered").value.trim();
  if (typed !== "") {
    const amount = Number(typed);
    if (!Number.isFinite(amount) || amount < 0) { $("track-error").textContent = "The amount recovered must be a number of dollars, 0 or more."; return; }
    body.amount_recovered = amount;
  }
  saving = true;
  $("outcome-buttons").setAttribute("aria-busy", "true");
  try {
    await api(`/v1/cases/${caseId}`, { method: "PATCH", json: body });
    if (state.caseId === caseId) await refreshCase();
    await loadCases();
  } catch (error) {
    if (state.caseId === caseId) $("track-error").textContent = `The status was not saved: ${error.message}`;
  } finally {
    saving = false;
    $("outcome-buttons").removeAttribute("aria-busy");
  }
}

$("outcome-buttons").addEventListener("click", (event) => {
  const button = event.target.closest("[data-status]");
  if (button) record(button.dataset.status);
});
