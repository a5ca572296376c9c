// Drafting, the letter with clickable markers, warnings before export, editing and exports.

import { $, api, el, saveResponse, show, state, withMarkers } from "./core.js";
import { loadCases, refreshCase } from "./cases.js";
import { showSending } from "./send.js";
import { openCitation } from "./side.js";

// ---- drafting and the letter ----------------------------------------------------------------

$("draft").addEventListener("click", async () => {
  if (state.appeal && !$("letter-edit").hidden && $("letter-edit").value !== state.appeal.letter &&
      !confirm("Drafting again discards the unsaved edits. Continue?")) return;
  const caseId = state.caseId;
  $("draft").disabled = true; $("draft-status").textContent = "Drafting…";
  try {
    const appeal = await draftAppeal(caseId);
    if (state.caseId !== caseId) return;
    showAppeal(appeal);
    $("draft-status").textContent = "";
    await refreshCase(); await loadCases();
    $("letter").focus();
  } catch (error) {
    if (state.caseId === caseId) { $("draft-status").textContent = error.message; $("draft").disabled = false; }
  }
});

// With job workers drafting, a long draft answers 202 with the job: poll it until it is done.
async function draftAppeal(caseId) {
  let answer = await api(`/v1/cases/${caseId}/appeals`, { method: "POST" });
  while (answer.letter === undefined) {
    if (answer.status === "done") return api(`/v1/appeals/${answer.appeal_id}`);
    if (answer.status === "failed") throw new Error(answer.error ? answer.error.message : "Drafting failed; draft again.");
    $("draft-status").textContent = answer.status === "queued" ? "Waiting for a drafting worker…" : "Drafting…";
    await new Promise((resolve) => setTimeout(resolve, 2000));
    answer = await api(`/v1/draft-jobs/${answer.id}`);
  }
  return answer;
}

export function showAppeal(appeal) {
  state.appeal = appeal;
  show("appeal", true);
  setEditing(false);
  renderAlerts(appeal);
  renderLetter(appeal.letter, appeal.citations);
  renderFindings(appeal.findings, appeal.edited);
  $("letter-error").textContent = "";
  showSending(appeal);
}

function renderAlerts(appeal) {
  const box = $("alerts");
  const parts = [];
  if (appeal.excluded_pages.length) {
    parts.push(el("div", { class: "alert warn", role: "alert" },
      el("h4", {}, `${appeal.excluded_pages.length} page${appeal.excluded_pages.length === 1 ? " was" : "s were"} left out of the evidence`),
      el("ul", {}, appeal.excluded_pages.map((e) => el("li", {}, `${e.document}, page ${e.page}: ${e.reason}`)))));
  }
  const missing = appeal.warnings.filter((w) => w.startsWith("No evidence found"));
  const other = appeal.warnings.filter((w) => !missing.includes(w) && !/ page \d+ was not used \(/.test(w));
  if (missing.length) parts.push(el("div", { class: "alert danger", role: "alert" }, el("h4", {}, "Evidence the record did not show"), el("ul", {}, missing.map((w) => el("li", {}, w)))));
  if (other.length) parts.push(el("div", { class: "alert info" }, el("h4", {}, "Also check"), el("ul", {}, other.map((w) => el("li", {}, w)))));
  box.replaceChildren(...parts);
}

function renderLetter(letter, citations) {
  const byMarker = Object.fromEntries(citations.map((c) => [c.marker, c]));
  $("letter").replaceChildren(...withMarkers(letter, (marker) => {
    const c = byMarker[marker];
    return c && { label: `${c.document}, page ${c.page}`, open: () => openCitation(c) };
  }));
}

function renderFindings(findings, edited) {
  const box = $("findings");
  if (!findings || !findings.length) {
    box.replaceChildren(...(edited ? [el("p", { class: "ok" }, "Edited; every specific still resolves to the case, a cited page or the code.")] : []));
    return;
  }
  box.replaceChildren(el("div", { class: "alert danger" },
    el("h4", {}, "These specifics no longer resolve"),
    el("ul", {}, findings.map((f) => el("li", {}, `${f.detail} (${f.name.replaceAll("_", " ")})`)))));
}

function setEditing(on) {
  show("letter", !on); show("letter-edit", on);
  show("edit", !on); show("check", on); show("save", on); show("cancel-edit", on);
  document.querySelectorAll("[data-export]").forEach((b) => { b.disabled = on; b.title = on ? "Save or discard the edits first" : ""; });
  if (on) { $("letter-edit").value = state.appeal.letter; $("letter-edit").focus(); }
}
$("edit").addEventListener("click", () => setEditing(true));
$("cancel-edit").addEventListener("click", () => {
  setEditing(false); renderFindings(state.appeal.findings, state.appeal.edited); $("edit").focus();
});
$("letter-edit").addEventListener("input", () => { $("findings").replaceChildren(); });
$("check").addEventListener("click", async () => {
  $("letter-error").textContent = "";
  try {
    const { findings } = await api(`/v1/appeals/${state.appeal.id}/check`, { method: "POST", json: { letter: $("letter-edit").value } });
    renderFindings(findings, true);
  } catch (error) { $("letter-error").textContent = `The edits could not be checked: ${error.message}`; }
});
$("save").addEventListener("click", async () => {
  $("letter-error").textContent = "";
  try {
    showAppeal(await api(`/v1/appeals/${state.appeal.id}/letter`, { method: "PUT", json: { letter: $("letter-edit").value } }));
    $("edit").focus();
  } catch (error) { $("letter-error").textContent = `The edits were not saved: ${error.message}`; }
});

document.querySelectorAll("[data-export]").forEach((button) => button.addEventListener("click", async () => {
  const kind = button.dataset.export;
  const path = kind === "packet" ? `/v1/appeals/${state.appeal.id}/packet.pdf` : `/v1/appeals/${state.appeal.id}.${kind}`;
  button.disabled = true;
  try {
    await saveResponse(await api(path, { raw: true }), `appeal.${kind}`);
  } catch (error) { $("letter-error").textContent = `The download failed: ${error.message}`; }
  finally { button.disabled = false; }
}));
