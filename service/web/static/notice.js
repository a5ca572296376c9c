// The payer's denial letter read into the new-case form (POST /v1/notices; nothing is stored).
// Each filled field says where it was read; a field read under the confidence bar is marked
// "Check this" until it is edited or ticked, and the line above Create case lists those left.

import { $, api, el, fmtMoney, show } from "./core.js";

/** The form's fields a letter can fill, with the names the page shows for them. */
const FIELDS = {
  claim_number: "Claim number", patient_name: "Patient name", patient_id: "Patient ID", date_of_service: "Date of service",
  payer: "Payer", denial_code: "Denial code", denial_date: "Denial date", billed_cpt: "Billed CPT codes",
};
const QUOTE_MAX = 80;

let asked = 0;         // a reading still on its way when the form is cleared is dropped
let filling = false;   // our own input events are not the user's edits
const marks = {};      // name -> { value, review, edited, checked } for the fields the last letter filled
let readings = {};     // name -> the letter's reading behind each filled field

const form = () => $("case-form");
const input = (name) => form().elements.namedItem(name);
const field = (name) => input(name).closest(".field");

function shorten(quote) {
  const text = quote.replace(/\s+/g, " ").trim();
  return text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1).trimEnd()}…` : text;
}

function where(reading) {
  const page = reading.page ? `from page ${reading.page}` : "from the letter";
  return reading.quote ? `${page}: “${shorten(reading.quote)}”` : page;
}

/** Removes every mark and note the letter left (the form's reset clears the values). */
export function clearNotice() {
  asked += 1;
  for (const name of Object.keys(FIELDS)) unmark(name);
  for (const name of Object.keys(marks)) delete marks[name];
  readings = {};
  $("notice-status").replaceChildren();
  $("notice-error").textContent = "";
  $("notice-read").disabled = false;
  renderLeft();
}

function unmark(name) {
  const box = field(name);
  box.classList.remove("from-letter", "review", "not-found");
  box.querySelector(".reading")?.remove();
  input(name).removeAttribute("aria-describedby");
}

function needsReview(name) {
  const m = marks[name];
  return Boolean(m && m.review && !m.edited && !m.checked);
}

/** The note under a field: where its value was read, or that the letter did not give it. */
function note(name, reading) {
  const id = `reading-${name}`;
  const box = field(name);
  box.querySelector(".reading")?.remove();
  let content;
  if (!reading) {
    box.classList.add("not-found");
    content = ["Not found in the letter"];
  } else {
    const m = marks[name];
    box.classList.add("from-letter");
    box.classList.toggle("review", needsReview(name));
    const flag = el("strong", { class: "flag", hidden: !needsReview(name) }, "Check this");
    const said = m.edited ? `Edited; the letter read ${where(reading)}` : where(reading).replace(/^f/, "F");
    const tick = m.review && !m.edited
      ? el("label", { class: "confirm" },
          el("input", { type: "checkbox", onchange: (event) => {
            m.checked = event.target.checked;
            flag.hidden = !needsReview(name);
            box.classList.toggle("review", needsReview(name));
            renderLeft();
          } }),
          el("span", { class: "sr-only" }, `${FIELDS[name]} `), "checked against the letter")
      : "";
    const doubt = reading.note ? el("span", { class: "doubt" }, ` (${reading.note})`) : "";
    content = [flag, " ", el("span", { class: "quote" }, said), doubt, tick];
  }
  box.append(el("div", { class: "reading", id }, ...content));
  input(name).setAttribute("aria-describedby", id);
}

function renderLeft() {
  const left = Object.keys(FIELDS).filter(needsReview).map((name) => FIELDS[name]);
  const text = left.length
    ? `Still marked “Check this”: ${left.join(", ")}. Compare ${left.length === 1 ? "it" : "them"} with the letter, then edit or tick ${left.length === 1 ? "it" : "each"}.`
    : "";
  if ($("review-left").textContent !== text) $("review-left").textContent = text;
  show("review-left", Boolean(text));
}

function fill(reading) {
  readings = {};
  for (const name of Object.keys(FIELDS)) {
    const r = reading.fields[name];
    const value = r && (Array.isArray(r.value) ? r.value.join(", ") : r.value === null ? "" : String(r.value));
    // A field the previous letter filled and the user left alone is not this letter's.
    if (marks[name] && !marks[name].edited && input(name).value === marks[name].value) input(name).value = "";
    delete marks[name];
    unmark(name);
    if (!value) { note(name, null); continue; }
    filling = true;
    input(name).value = value;
    input(name).dispatchEvent(new Event("input", { bubbles: true }));  // the code's title, as when typed
    filling = false;
    if (input(name).value !== value) {  // e.g. a date the date field cannot hold
      marks[name] = { value: "", review: true, edited: false, checked: false };
      readings[name] = { ...r, quote: r.quote || value };
    } else {
      marks[name] = { value, review: Boolean(r.review || r.confidence < reading.bar), edited: false, checked: false };
      readings[name] = r;
    }
    note(name, readings[name]);
  }
  renderLeft();
}

function summary(reading, file) {
  const filled = Object.keys(readings);
  const review = filled.filter(needsReview).length;
  const missing = Object.keys(FIELDS).filter((name) => !filled.includes(name)).map((name) => FIELDS[name]);
  const parts = [`Filled ${filled.length} of ${Object.keys(FIELDS).length} fields from ${file.name}`];
  parts.push(review ? `${review} to check` : "none under the bar");
  const lines = [el("span", {}, `${parts.join("; ")}.`)];
  if (missing.length) lines.push(el("span", {}, ` Not found in the letter: ${missing.join(", ")}.`));
  const amount = reading.fields.amount_denied, rarcs = reading.fields.rarcs;
  const also = [];
  if (amount && typeof amount.value === "number") also.push(`amount denied ${fmtMoney(amount.value)}`);
  if (rarcs && Array.isArray(rarcs.value) && rarcs.value.length) also.push(`remark codes ${rarcs.value.join(", ")}`);
  if (also.length) lines.push(el("span", { class: "sub" }, ` The letter also gives ${also.join(" and ")}.`));
  return lines;
}

$("notice-read").addEventListener("click", async () => {
  const file = $("notice-file").files[0];
  $("notice-error").textContent = "";
  if (!file) { $("notice-error").textContent = "Choose the denial letter first."; $("notice-file").focus(); return; }
  const mine = ++asked;
  const button = $("notice-read"); button.disabled = true;
  $("notice-status").replaceChildren(el("span", { class: "loading" }, `Reading ${file.name}… (a scanned letter takes longer)`));
  const body = new FormData();
  body.append("file", file, file.name);
  try {
    const reading = await api("/v1/notices", { method: "POST", form: body });
    if (mine !== asked) return;
    fill(reading);
    $("notice-status").replaceChildren(...summary(reading, file));
    $("case-error").textContent = "";
  } catch (error) {
    if (mine !== asked) return;
    $("notice-status").replaceChildren();
    $("notice-error").textContent = `${file.name} could not be read: ${error.message}`;
  } finally { if (mine === asked) button.disabled = false; }
});

// Editing a filled field takes it off the list: the value is now the user's.
form().addEventListener("input", (event) => {
  const name = event.target.name;
  if (filling || !(name in FIELDS) || !marks[name] || marks[name].edited) return;
  marks[name].edited = true;
  if (readings[name]) note(name, readings[name]);
  renderLeft();
});
