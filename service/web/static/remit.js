// Remittances in (an 835 becomes triaged cases) and the work queue out as a CSV file.

import { $, api, el, saveResponse } from "./core.js";
import { queueQuery } from "./assign.js";
import { loadCases } from "./cases.js";

export function clearImport() {
  $("import-result").replaceChildren();
  $("import-error").textContent = "";
  $("csv-error").textContent = "";
  $("import-form").reset();
}

function plural(n, one, many = `${one}s`) { return `${n} ${n === 1 ? one : many}`; }

/** "5 claims: 4 cases (4 new), 1 paid as expected, 1 error", then each error where it is. */
function renderImport(result) {
  const created = result.cases.filter((c) => c.created).length;
  const parts = [`${plural(result.cases.length, "case")} (${created} new)`, `${result.paid} paid as expected`];
  if (result.reversals) parts.push(plural(result.reversals, "reversal"));
  parts.push(result.errors.length ? plural(result.errors.length, "error") : "no errors");
  const summary = el("p", { class: "import-summary" }, `${plural(result.claims, "claim")}: ${parts.join(", ")}`);
  const errors = result.errors.length
    ? el("ul", { class: "import-errors", "aria-label": "Claims that could not be read" }, result.errors.map((e) => el("li", {},
        el("strong", {}, e.claim ? `Claim ${e.claim}` : "The file"), e.segment ? ` (segment ${e.segment})` : "", `: ${e.message}`)))
    : "";
  $("import-result").replaceChildren(summary, errors);
}

$("import-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = $("remit-file").files[0];
  if (!file) return;
  const button = event.submitter; button.disabled = true;
  $("import-error").textContent = ""; $("import-result").replaceChildren(el("p", { class: "loading" }, `Importing ${file.name}…`));
  const form = new FormData();
  form.append("file", file, file.name);
  try {
    renderImport(await api("/v1/remittances", { method: "POST", form }));
    $("remit-file").value = "";
    await loadCases();
  } catch (error) {
    $("import-result").replaceChildren();
    $("import-error").textContent = `${file.name} was not imported: ${error.message}`;
  } finally { button.disabled = false; }
});

$("download-csv").addEventListener("click", async (event) => {
  const button = event.currentTarget;
  const query = queueQuery();
  query.set("format", "csv");
  for (const [name, id] of [["action", "action-filter"], ["status", "status-filter"]]) if ($(id).value) query.set(name, $(id).value);
  $("csv-error").textContent = "";
  button.disabled = true;
  try { await saveResponse(await api(`/v1/cases?${query}`, { raw: true }), "overturn-cases.csv"); }
  catch (error) { $("csv-error").textContent = `The CSV could not be downloaded: ${error.message}`; }
  finally { button.disabled = false; }
});
