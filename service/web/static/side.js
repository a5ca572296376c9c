// The side panel: the cited page with its quote highlighted, questions about the code, and
// the outcome figures (stats.js fills that tab).

import { $, api, el, show, state, withMarkers } from "./core.js";

export function clearSidePanels() {
  $("chat-log").replaceChildren();
  show("evidence", false); show("evidence-empty", true);
  for (const id of ["evidence-text", "evidence-title", "evidence-meta"]) $(id).replaceChildren();
}

// ---- the evidence panel ---------------------------------------------------------------------

const TABS = ["evidence", "chat", "stats"];

function selectTab(name) {
  for (const tab of TABS) {
    const on = tab === name;
    $(`tab-${tab}`).setAttribute("aria-selected", on); $(`tab-${tab}`).tabIndex = on ? 0 : -1;
    show(`panel-${tab}`, on);
  }
}
for (const tab of TABS) $(`tab-${tab}`).addEventListener("click", () => selectTab(tab));
document.querySelector(".tabs").addEventListener("keydown", (e) => {
  const steps = { ArrowLeft: -1, ArrowRight: 1 };
  if (!(e.key in steps) && e.key !== "Home" && e.key !== "End") return;
  e.preventDefault();
  const now = TABS.findIndex((tab) => $(`tab-${tab}`).getAttribute("aria-selected") === "true");
  const next = e.key === "Home" ? TABS[0] : e.key === "End" ? TABS.at(-1) : TABS[(now + steps[e.key] + TABS.length) % TABS.length];
  selectTab(next); $(`tab-${next}`).focus();
});

function highlight(text, quote) {
  const at = quote ? text.indexOf(quote) : -1;
  if (at < 0) return [text];
  return [text.slice(0, at), el("mark", { id: "quote" }, text.slice(at, at + quote.length)), text.slice(at + quote.length)];
}

export async function openCitation(c) {
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
