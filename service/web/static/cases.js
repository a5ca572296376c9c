// The work queue, the new-case form, one open case with its records and their uploads.

import { $, ACTIONS, RECORDS, TRACKING, api, daysLeft, el, fmtDate, fmtMoney, fmtTime, show, state } from "./core.js";
import { assigneeLine, keepSelection, loadReminders, queueQuery, selectBox } from "./assign.js";
import { hideChecks } from "./checks.js";
import { showAppeal } from "./letter.js";
import { clearSidePanels } from "./side.js";
import { clearNotice } from "./notice.js";
import { loadStats } from "./stats.js";
import { clearTracking, renderTracking } from "./track.js";

// ---- codes ----------------------------------------------------------------------------------

export function fillCodes() {
  $("code-list").replaceChildren(...state.codes.map((c) => el("option", { value: c.code, label: `${c.code}: ${c.title}` })));
}
function codeTitle(code) {
  const found = state.codes.find((c) => c.code.toLowerCase() === (code || "").trim().toLowerCase());
  return found ? found.title : "";
}
document.querySelector("[name=denial_code]").addEventListener("input", (event) => {
  const title = codeTitle(event.target.value);
  $("code-title").textContent = title || (event.target.value ? "Not a code we know yet" : "");
});

// ---- the work queue ------------------------------------------------------------------------

/** Open work nearest its deadline first, then the larger amount; sent and decided cases after. */
export async function loadCases() {
  $("cases-loading").textContent = "Loading cases…";
  show("cases-loading", true);
  loadStats(); loadReminders();
  try { state.cases = await api(`/v1/cases?${queueQuery()}`); }
  catch (error) { $("cases-loading").textContent = `The cases could not be loaded: ${error.message}`; return; }
  show("cases-loading", false);
  renderCases();
}

function matches(c) {
  const text = $("case-filter").value.trim().toLowerCase();
  const action = $("action-filter").value, status = $("status-filter").value;
  if (text && !`${c.claim_number} ${c.patient_name} ${c.denial_code}`.toLowerCase().includes(text)) return false;
  return (!action || c.action === action) && (!status || c.status === status);
}

function renderCases() {
  const rows = state.cases.filter(matches);
  keepSelection(rows);
  const whose = queueQuery().has("assignee");  // "no case yet" only when the whole queue is empty
  show("cases-empty", state.cases.length === 0 && !whose);
  show("cases-nomatch", (state.cases.length > 0 || whose) && rows.length === 0);
  show("case-table", rows.length > 0);
  $("case-rows").replaceChildren(...rows.map((c) => {
    const open = el("button", { type: "button", class: "link", onclick: () => openCase(c.id) }, c.claim_number);
    const del = el("button", { type: "button", class: "quiet small", "aria-label": `Delete case ${c.claim_number}`, onclick: () => confirmDelete(c) }, "Delete");
    const action = c.action
      ? el("div", { class: "sub action", title: c.action_rule || "" }, ACTIONS[c.action] || c.action, c.action_rule ? el("span", { class: "sr-only" }, `: ${c.action_rule}`) : "")
      : el("div", { class: "sub" }, "Entered by hand");
    const days = daysLeft(c);
    const deadline = c.deadline
      ? [el("div", { class: days.overdue ? "date overdue" : "date", title: c.deadline_basis || "" }, fmtDate(c.deadline)), el("div", { class: days.overdue ? "sub overdue" : "sub" }, days.text),
         el("div", { class: "sub level" }, c.appeal_level)]
      : [el("div", { class: "sub" }, c.action && c.action !== "appeal" ? "No appeal" : "Plan decides")];
    const records = c.status === "new" ? el("div", { class: "sub" }, RECORDS[c.records] || c.records) : "";
    return el("tr", { class: [c.id === state.caseId ? "current" : "", days.overdue ? "late" : ""].join(" ").trim(), "aria-current": c.id === state.caseId ? "true" : false },
      el("td", { title: `updated ${fmtTime(c.updated_at)}` }, selectBox(c), " ", open, el("div", { class: "sub" }, c.patient_name)),
      el("td", {}, el("div", {}, c.denial_code), action),
      el("td", {}, el("span", { class: `status ${c.status}` }, TRACKING[c.status] || c.status), records, assigneeLine(c)),
      el("td", {}, deadline),
      el("td", { class: "num" }, fmtMoney(c.amount_denied), el("div", { class: "row-tools" }, del)));
  }));
}
for (const id of ["case-filter", "action-filter", "status-filter"]) $(id).addEventListener("input", renderCases);

function confirmDelete(c) {
  const dialog = $("confirm-delete");
  $("confirm-text").textContent = `Case ${c.claim_number} (${c.patient_name}) with its records, letters and evidence is removed for good.`;
  dialog.returnValue = "";
  dialog.showModal();
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "delete") return;
    try {
      await api(`/v1/cases/${c.id}`, { method: "DELETE" });
      if (state.caseId === c.id) closeCase();
      await loadCases();
      $("case-filter").focus();
    } catch (error) { alert(error.message); }
  }, { once: true });
}

// ---- new case -------------------------------------------------------------------------------

$("new-case").addEventListener("click", () => {
  closeCase();
  show("work-empty", false); show("case-form", true);
  $("case-form").reset(); clearNotice(); $("case-error").textContent = ""; $("code-title").textContent = "";
  $("case-form").querySelector(".grid input").focus();
});
$("cancel-case").addEventListener("click", () => { clearNotice(); show("case-form", false); show("work-empty", true); });
$("fill-json").addEventListener("click", () => {
  try {
    const data = JSON.parse($("paste-json").value);
    for (const [name, value] of Object.entries(data)) {
      const field = $("case-form").elements.namedItem(name);
      if (field) {
        field.value = Array.isArray(value) ? value.join(", ") : value ?? "";
        field.dispatchEvent(new Event("input", { bubbles: true }));  // a value from the JSON replaces the letter's
      }
    }
    $("code-title").textContent = codeTitle($("case-form").elements.namedItem("denial_code").value);
    $("case-error").textContent = "";
  } catch { $("case-error").textContent = "That is not valid JSON."; }
});

$("case-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target).entries());
  for (const [k, v] of Object.entries(data)) if (v === "") delete data[k];
  const button = event.submitter; button.disabled = true;
  try {
    const created = await api("/v1/cases", { method: "POST", json: data });
    show("case-form", false);
    clearNotice();
    await loadCases();
    await openCase(created.id);
  } catch (error) {
    $("case-error").textContent = error.code === "unknown_code" ? "Pick a denial code from the list." : error.message;
  } finally { button.disabled = false; }
});

// ---- one case -------------------------------------------------------------------------------

export function closeCase() {
  clearInterval(state.poll);
  Object.assign(state, { caseId: null, case: null, appeal: null });
  clearSidePanels();
  for (const id of ["case-title", "case-sub", "case-deadline", "doc-list", "letter", "alerts", "findings", "confirm-text"]) $(id).replaceChildren();
  clearTracking();
  $("letter-edit").value = "";
  hideChecks();
  show("case-view", false); show("work-empty", true); show("appeal", false);
  $("chat-scope").textContent = "Questions are answered from the knowledge base.";
  renderCases();
}

export async function openCase(id) {
  if (state.appeal && !$("letter-edit").hidden && $("letter-edit").value !== state.appeal.letter &&
      !confirm("Discard the unsaved edits to this letter?")) return;
  clearInterval(state.poll);
  state.caseId = id; state.appeal = null; state.case = null;
  clearSidePanels(); hideChecks();
  show("work-empty", false); show("case-form", false); show("case-view", true); show("appeal", false);
  for (const box of ["upload-error", "upload-status", "draft-status"]) $(box).textContent = "";
  $("case-title").textContent = "Loading the case…"; $("case-sub").textContent = ""; $("doc-list").replaceChildren();
  clearTracking();
  try {
    await refreshCase();
    const last = state.case.appeals.at(-1);
    if (last) {
      const appeal = await api(`/v1/appeals/${last.id}`);
      if (state.caseId === id) showAppeal(appeal);
    }
  } catch (error) {
    if (state.caseId !== id) return;
    closeCase();
    $("cases-loading").hidden = false;
    $("cases-loading").textContent = `That case could not be opened: ${error.message}`;
    await loadCases();
    return;
  }
  renderCases();
  $("case-title").focus();
}

export async function refreshCase() {
  const id = state.caseId;
  const c = await api(`/v1/cases/${id}`);
  if (state.caseId !== id) return null;  // another case was opened meanwhile
  const wasBusy = state.case?.documents.some((d) => d.status === "queued" || d.status === "processing");
  state.case = c;
  const f = c.fields;
  $("case-title").textContent = `Claim ${f.claim_number}: ${f.patient_name}`;
  $("case-sub").textContent = `${f.denial_code} (${c.denial_title}) · ${f.payer} · date of service ${fmtDate(f.date_of_service)}`;
  const days = daysLeft(c);
  $("case-deadline").title = c.deadline ? c.deadline_basis || "" : "";
  $("case-deadline").replaceChildren(...(c.deadline ? [`${c.appeal_level[0].toUpperCase()}${c.appeal_level.slice(1)} by ${fmtDate(c.deadline)}`, days.text ? el("span", { class: "days" }, days.text) : ""]
    : [c.action && c.action !== "appeal" ? `No appeal: ${ACTIONS[c.action] || c.action}`
      : f.denial_date ? "Deadline set by the plan" : "Add the denial date for a deadline"]));
  $("case-deadline").className = "deadline" + (days.overdue ? " overdue" : "");
  renderTracking(c);
  $("chat-scope").textContent = `Answers cite the knowledge base for ${f.denial_code}` + (c.appeals.length ? " and this case's evidence." : ".");
  renderDocuments(c.documents);
  const busy = c.documents.some((d) => d.status === "queued" || d.status === "processing");
  const ready = c.documents.some((d) => d.status === "ready");
  $("draft").disabled = busy || !ready;
  $("draft-status").textContent = busy ? "Reading records…" : ready ? "" : c.documents.length ? "No record could be read." : "Add the records first.";
  clearInterval(state.poll);
  if (busy) {
    state.poll = setInterval(() => refreshCase().catch((error) => {
      clearInterval(state.poll);
      $("draft-status").textContent = `Progress could not be checked (${error.message}); reopen the case to try again.`;
    }), 1000);
  } else if (wasBusy) loadCases();
  return c;
}

function renderDocuments(docs) {
  $("doc-list").replaceChildren(...docs.map((d) => {
    const ocr = d.pages.filter((p) => p.ocr).length;
    let detail;
    if (d.status === "failed") detail = el("span", { class: "error" }, `Could not be used: ${d.error?.message || "unknown reason"}`);
    else if (d.status === "ready") detail = `${d.pages_total} page${d.pages_total === 1 ? "" : "s"} read` + (ocr ? `, ${ocr} by OCR` : "");
    else if (d.status === "queued") detail = "Waiting to be read…";
    else detail = `${d.pages_done} of ${d.pages_total} pages read` + (d.pages_ocr ? ` (${d.pages_ocr} scanned, read by OCR)` : "") + "…";
    const bar = el("progress", { max: d.pages_total || 1, value: d.status === "ready" ? d.pages_total : d.pages_done, "aria-label": `${d.name} progress` });
    return el("li", { class: `doc ${d.status}` }, el("strong", {}, d.name), bar, el("span", { class: "sub" }, detail));
  }));
}

// ---- uploads --------------------------------------------------------------------------------

async function uploadFiles(files) {
  const caseId = state.caseId;  // the case the files were dropped on, even if another is opened
  $("upload-error").textContent = "";
  const problems = [], repeats = [];
  for (const [i, file] of files.entries()) {
    if (state.caseId === caseId) $("upload-status").textContent = `Uploading ${file.name} (${i + 1} of ${files.length})…`;
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const doc = await api(`/v1/cases/${caseId}/documents`, { method: "POST", form });
      if (doc.duplicate) repeats.push(`${file.name} is the same file as ${doc.name}, already in the case`);
    } catch (error) { problems.push(`${file.name}: ${error.message}`); }
  }
  if (state.caseId === caseId) {
    $("upload-status").textContent = repeats.join(" · ");
    $("upload-error").textContent = problems.join(" · ");
    await refreshCase();
  }
  await loadCases();
}
const drop = $("dropzone");
drop.addEventListener("click", () => $("file-input").click());
drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file-input").click(); } });
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); uploadFiles([...e.dataTransfer.files]); });
$("file-input").addEventListener("change", (e) => { uploadFiles([...e.target.files]); e.target.value = ""; });
