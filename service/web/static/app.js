// Overturn staff page. Plain ES module, no framework, no build step.
// Record text is untrusted: it only ever reaches the page as text nodes, never as HTML.

const $ = (id) => document.getElementById(id);
const KEY = "overturn.key";
const state = { key: sessionStorage.getItem(KEY), codes: [], cases: [], caseId: null, case: null, appeal: null, poll: null };

class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function api(path, { method = "GET", json, form, raw = false } = {}) {
  const headers = { Authorization: `Bearer ${state.key}` };
  let body;
  if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  if (form) body = form;
  let response;
  try {
    response = await fetch(path, { method, headers, body });
  } catch {
    throw new ApiError(0, "offline", "The server cannot be reached. Check that overturn serve is running.");
  }
  if (response.status === 401 && path !== "/v1/codes") { signOut("Your key is no longer valid; sign in again."); }
  if (!response.ok) {
    let error = { code: "error", message: `The server answered ${response.status}.` };
    try { error = (await response.json()).error || error; } catch { /* not JSON */ }
    throw new ApiError(response.status, error.code, error.message);
  }
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function show(id, visible) { $(id).hidden = !visible; }
function fmtDate(iso) { return iso ? new Date(iso.length === 10 ? `${iso}T00:00:00` : iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }) : "—"; }
function fmtTime(iso) { return iso ? new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }) : "—"; }
const STATUS = { awaiting_documents: "Needs records", processing: "Reading records", ready: "Ready to draft", drafted: "Drafted", failed: "Records failed" };

// ---- sign in ------------------------------------------------------------------------------

async function signIn(key) {
  state.key = key;
  try {
    state.codes = await api("/v1/codes");
  } catch (error) {
    state.key = null;
    throw error;
  }
  sessionStorage.setItem(KEY, key);
  show("signin", false); show("app", true); show("sign-out", true);
  const me = await api("/v1/me");
  $("tenant").hidden = false; $("tenant").textContent = `Practice: ${me.tenant}`;
  fillCodes();
  await loadCases();
}

function signOut(message = "") {
  sessionStorage.removeItem(KEY);
  closeCase();
  state.cases = [];
  $("case-rows").replaceChildren();
  $("case-form").reset(); $("paste-json").value = "";
  Object.assign(state, { key: null });
  show("app", false); show("sign-out", false); show("signin", true); $("tenant").hidden = true;
  $("signin-error").textContent = message;
  $("api-key").value = "";
  $("api-key").focus();
}

$("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("signin-error").textContent = "";
  const button = event.submitter; button.disabled = true;
  try { await signIn($("api-key").value.trim()); }
  catch (error) { $("signin-error").textContent = error.status === 401 ? "That key is not valid or has been revoked." : error.message; }
  finally { button.disabled = false; }
});
$("sign-out").addEventListener("click", () => signOut());

// ---- codes ----------------------------------------------------------------------------------

function fillCodes() {
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

// ---- case list ------------------------------------------------------------------------------

async function loadCases() {
  $("cases-loading").textContent = "Loading cases…";
  show("cases-loading", true);
  try { state.cases = await api("/v1/cases"); }
  catch (error) { $("cases-loading").textContent = `The cases could not be loaded: ${error.message}`; return; }
  show("cases-loading", false);
  renderCases();
}

function renderCases() {
  const filter = $("case-filter").value.trim().toLowerCase();
  const rows = state.cases.filter((c) => !filter || `${c.claim_number} ${c.patient_name} ${c.denial_code}`.toLowerCase().includes(filter));
  show("cases-empty", state.cases.length === 0);
  show("cases-nomatch", state.cases.length > 0 && rows.length === 0);
  show("case-table", rows.length > 0);
  $("case-rows").replaceChildren(...rows.map((c) => {
    const open = el("button", { type: "button", class: "link", onclick: () => openCase(c.id) }, c.claim_number);
    const del = el("button", { type: "button", class: "quiet small", "aria-label": `Delete case ${c.claim_number}`, onclick: () => confirmDelete(c) }, "Delete");
    const overdue = c.deadline && new Date(`${c.deadline}T23:59:59`) < new Date();
    return el("tr", { class: c.id === state.caseId ? "current" : "", "aria-current": c.id === state.caseId ? "true" : false },
      el("td", {}, open, el("div", { class: "sub" }, c.patient_name)),
      el("td", {}, el("div", {}, c.denial_code), el("span", { class: `status ${c.status}` }, STATUS[c.status] || c.status)),
      el("td", {}, el("div", { class: overdue ? "overdue" : "" }, c.deadline ? fmtDate(c.deadline) + (overdue ? " (passed)" : "") : "Plan decides"),
        el("div", { class: "sub" }, `updated ${fmtTime(c.updated_at)}`)),
      el("td", {}, del));
  }));
}
$("case-filter").addEventListener("input", renderCases);

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
  $("case-form").reset(); $("case-error").textContent = ""; $("code-title").textContent = "";
  $("case-form").querySelector("input").focus();
});
$("cancel-case").addEventListener("click", () => { show("case-form", false); show("work-empty", true); });
$("fill-json").addEventListener("click", () => {
  try {
    const data = JSON.parse($("paste-json").value);
    for (const [name, value] of Object.entries(data)) {
      const field = $("case-form").elements.namedItem(name);
      if (field) field.value = Array.isArray(value) ? value.join(", ") : value ?? "";
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
    await loadCases();
    await openCase(created.id);
  } catch (error) {
    $("case-error").textContent = error.code === "unknown_code" ? "Pick a denial code from the list." : error.message;
  } finally { button.disabled = false; }
});

// ---- one case -------------------------------------------------------------------------------

function clearSidePanels() {
  $("chat-log").replaceChildren();
  show("evidence", false); show("evidence-empty", true);
  for (const id of ["evidence-text", "evidence-title", "evidence-meta"]) $(id).replaceChildren();
}

function closeCase() {
  clearInterval(state.poll);
  Object.assign(state, { caseId: null, case: null, appeal: null });
  clearSidePanels();
  for (const id of ["case-title", "case-sub", "case-deadline", "doc-list", "letter", "alerts", "findings", "confirm-text"]) $(id).replaceChildren();
  $("letter-edit").value = "";
  show("case-view", false); show("work-empty", true); show("appeal", false);
  $("chat-scope").textContent = "Questions are answered from the knowledge base.";
  renderCases();
}

async function openCase(id) {
  if (state.appeal && !$("letter-edit").hidden && $("letter-edit").value !== state.appeal.letter &&
      !confirm("Discard the unsaved edits to this letter?")) return;
  clearInterval(state.poll);
  state.caseId = id; state.appeal = null; state.case = null;
  clearSidePanels();
  show("work-empty", false); show("case-form", false); show("case-view", true); show("appeal", false);
  for (const box of ["upload-error", "upload-status", "draft-status"]) $(box).textContent = "";
  $("case-title").textContent = "Loading the case…"; $("case-sub").textContent = ""; $("doc-list").replaceChildren();
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

async function refreshCase() {
  const id = state.caseId;
  const c = await api(`/v1/cases/${id}`);
  if (state.caseId !== id) return null;  // another case was opened meanwhile
  const wasBusy = state.case?.documents.some((d) => d.status === "queued" || d.status === "processing");
  state.case = c;
  const f = c.fields;
  $("case-title").textContent = `Claim ${f.claim_number}: ${f.patient_name}`;
  $("case-sub").textContent = `${f.denial_code} (${c.denial_title}) · ${f.payer} · date of service ${fmtDate(f.date_of_service)}`;
  const passed = c.deadline && new Date(`${c.deadline}T23:59:59`) < new Date();
  $("case-deadline").textContent = c.deadline ? `Appeal by ${fmtDate(c.deadline)}${passed ? " (passed)" : ""}` : f.denial_date ? "Deadline set by the plan" : "Add the denial date for a deadline";
  $("case-deadline").className = "deadline" + (passed ? " overdue" : "");
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

// ---- drafting and the letter ----------------------------------------------------------------

$("draft").addEventListener("click", async () => {
  if (state.appeal && !$("letter-edit").hidden && $("letter-edit").value !== state.appeal.letter &&
      !confirm("Drafting again discards the unsaved edits. Continue?")) return;
  const caseId = state.caseId;
  $("draft").disabled = true; $("draft-status").textContent = "Drafting…";
  try {
    const appeal = await api(`/v1/cases/${caseId}/appeals`, { method: "POST" });
    if (state.caseId !== caseId) return;
    showAppeal(appeal);
    $("draft-status").textContent = "";
    await refreshCase(); await loadCases();
    $("letter").focus();
  } catch (error) {
    if (state.caseId === caseId) { $("draft-status").textContent = error.message; $("draft").disabled = false; }
  }
});

function showAppeal(appeal) {
  state.appeal = appeal;
  show("appeal", true);
  setEditing(false);
  renderAlerts(appeal);
  renderLetter(appeal.letter, appeal.citations);
  renderFindings(appeal.findings, appeal.edited);
  $("letter-error").textContent = "";
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

function withMarkers(text, resolve) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d+)\]/g)) {
    nodes.push(text.slice(last, match.index));
    const target = resolve(match[0]);
    nodes.push(target
      ? el("button", { type: "button", class: "marker", "aria-label": `Source ${match[0]}: ${target.label}`,
          onclick: (event) => { markActive(event.currentTarget); target.open(); } }, match[0])
      : el("span", { class: "marker dangling", title: "This marker matches no source" }, match[0]));
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
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
    const response = await api(path, { raw: true });
    const blob = await response.blob();
    const name = (response.headers.get("content-disposition") || "").match(/filename="([^"]+)"/)?.[1] || `appeal.${kind}`;
    const link = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(link); link.click(); link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (error) { $("letter-error").textContent = `The download failed: ${error.message}`; }
  finally { button.disabled = false; }
}));

// ---- the evidence panel ---------------------------------------------------------------------

function selectTab(name) {
  for (const tab of ["evidence", "chat"]) {
    const on = tab === name;
    $(`tab-${tab}`).setAttribute("aria-selected", on); $(`tab-${tab}`).tabIndex = on ? 0 : -1;
    show(`panel-${tab}`, on);
  }
}
$("tab-evidence").addEventListener("click", () => selectTab("evidence"));
$("tab-chat").addEventListener("click", () => selectTab("chat"));
document.querySelector(".tabs").addEventListener("keydown", (e) => {
  const keys = { ArrowLeft: null, ArrowRight: null, Home: "evidence", End: "chat" };
  if (!(e.key in keys)) return;
  e.preventDefault();
  const next = keys[e.key] || ($("tab-evidence").getAttribute("aria-selected") === "true" ? "chat" : "evidence");
  selectTab(next); $(`tab-${next}`).focus();
});

function highlight(text, quote) {
  const at = quote ? text.indexOf(quote) : -1;
  if (at < 0) return [text];
  return [text.slice(0, at), el("mark", { id: "quote" }, text.slice(at, at + quote.length)), text.slice(at + quote.length)];
}

function markActive(button) {
  document.querySelectorAll(".marker.active").forEach((b) => b.classList.remove("active"));
  button?.classList.add("active");
}

async function openCitation(c) {
  selectTab("evidence");
  show("evidence-empty", false); show("evidence", true);
  $("evidence-title").textContent = `${c.marker} ${c.document}, page ${c.page}`;
  $("evidence-meta").textContent = "Loading the page…";
  $("evidence-text").replaceChildren();
  const caseId = state.caseId;
  const doc = state.case?.documents.find((d) => d.name === c.document);
  if (!doc) { $("evidence-meta").textContent = "This document is no longer in the case."; return; }
  try {
    const page = await api(`/v1/cases/${caseId}/documents/${doc.id}/pages/${c.page}`);
    if (state.caseId !== caseId) return;
    const found = page.text.includes(c.quote);
    $("evidence-meta").textContent = (page.ocr ? "Text read by OCR from a scanned page. " : "") +
      (found ? "The quoted sentence is highlighted." : "The quote is not on this page: check it before sending.");
    $("evidence-text").replaceChildren(...highlight(page.text, c.quote));
    $("quote")?.scrollIntoView({ block: "nearest" });
  } catch (error) { $("evidence-meta").textContent = error.message; }
}

function openKnowledge(source) {
  selectTab("evidence");
  show("evidence-empty", false); show("evidence", true);
  $("evidence-title").textContent = `${source.marker} ${source.label}`;
  $("evidence-meta").textContent = "From the knowledge base.";
  $("evidence-text").replaceChildren(source.text);
}

// ---- chat -----------------------------------------------------------------------------------

$("chat-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const question = $("chat-question").value.trim();
  if (!question) return;
  $("chat-question").value = "";
  const code = state.case?.fields.denial_code;
  const asked = code && !question.toUpperCase().includes(code.toUpperCase()) ? `${question} (${code})` : question;
  const answerBox = el("div", { class: "answer", "aria-busy": "true" }, el("span", { class: "sub" }, "Thinking…"));
  $("chat-log").append(el("div", { class: "question" }, question), answerBox);
  let citations = [], text = "";
  const render = () => answerBox.replaceChildren(...withMarkers(text, (marker) => {
    const s = citations.find((x) => x.marker === marker);
    return s && { label: s.label, open: () => (s.kind === "record" ? openCitation({ ...s, quote: s.text }) : openKnowledge(s)) };
  }));
  try {
    const response = await api("/v1/chat/stream", { method: "POST", json: { question: asked, case_id: state.caseId || undefined }, raw: true });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const event = JSON.parse(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        if (event.type === "citations") citations = event.citations;
        if (event.type === "text") { text += event.text; render(); }
        if (event.type === "done") for (const w of event.warnings) answerBox.append(el("p", { class: "sub" }, w));
      }
    }
  } catch (error) { answerBox.replaceChildren(el("span", { class: "error" }, error.message)); }
  if (answerBox.getAttribute("aria-busy") && !text && !answerBox.querySelector(".error")) {
    answerBox.replaceChildren(el("span", { class: "sub" }, "No answer came back; try rephrasing the question."));
  }
  answerBox.removeAttribute("aria-busy");
  $("chat-log").scrollTop = $("chat-log").scrollHeight;
});

// ---- start ----------------------------------------------------------------------------------

if (state.key) signIn(state.key).catch(() => signOut("Sign in again."));
else signOut();
