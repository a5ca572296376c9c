// Who works which case: the queue's Mine / Unassigned / All filter, cases selected and assigned
// together, and the reminders badge (overdue or due within 7 days) with its list by bucket.
// "Mine" needs a staff sign-in: an API key acts for no one, so the server refuses `me` for it.

import { $, ApiError, api, daysLeft, el, fmtDate, fmtMoney, show, signedIn, state } from "./core.js";
import { loadCases, openCase, refreshCase } from "./cases.js";

const BUCKETS = { overdue: "Overdue", 1: "Due today or tomorrow", 7: "Due within 7 days", 14: "Due within 14 days" };
const who = { user: null, staff: [], selected: new Set(), reminders: null, asked: 0 };

export function clearAssignment() {
  who.asked += 1;  // an answer still on its way is for the previous sign-in
  Object.assign(who, { user: null, staff: [], selected: new Set(), reminders: null });
  document.querySelector("[name=whose][value='']").checked = true;
  $("bulk-error").textContent = "";
  $("reminders-list").replaceChildren();
  show("reminders-badge", false);
  renderFilter(); renderBulk();
}

/** The queue's query: its order and whose cases. */
export function queueQuery() {
  const query = new URLSearchParams({ sort: "queue" });
  const whose = document.querySelector("[name=whose]:checked").value;
  if (whose) query.set("assignee", whose);
  return query;
}

export function selectBox(c) {
  return el("input", { type: "checkbox", class: "pick", "aria-label": `Select case ${c.claim_number}`, checked: who.selected.has(c.id),
    onchange: (event) => { event.target.checked ? who.selected.add(c.id) : who.selected.delete(c.id); renderBulk(); } });
}

/** Who works the case: the email's name part (the whole email on hover); nothing while unassigned. */
export function assigneeLine(c) {
  return c.assignee_email ? el("div", { class: "sub assignee", title: c.assignee_email }, c.assignee_email.split("@")[0]) : "";
}

/** Keeps only the selected cases still shown. */
export function keepSelection(shown) {
  const ids = new Set(shown.map((c) => c.id));
  for (const id of [...who.selected]) if (!ids.has(id)) who.selected.delete(id);
  $("select-all").checked = shown.length > 0 && shown.every((c) => who.selected.has(c.id));
  renderBulk();
}

function renderFilter() {
  const mine = document.querySelector("[name=whose][value=me]");
  mine.disabled = who.user !== true;
  show("mine-hint", who.user === false);
}

function renderBulk() {
  const n = who.selected.size;
  show("bulk", n > 0);
  $("bulk-count").textContent = `${n} selected`;
  const options = [el("option", { value: "" }, "Assign to…")];
  if (who.user) options.push(el("option", { value: "me" }, "Me"));
  options.push(...who.staff.map((s) => el("option", { value: s.id }, s.email)), el("option", { value: "none" }, "Nobody (unassign)"));
  const chosen = $("bulk-assignee").value;
  $("bulk-assignee").replaceChildren(...options);
  $("bulk-assignee").value = [...$("bulk-assignee").options].some((o) => o.value === chosen) ? chosen : "";
  $("bulk-assign").disabled = !$("bulk-assignee").value;
}

/** Whose reminders (mine when signed in as staff, else the practice's), the badge, the staff. */
export async function loadReminders() {
  if (!signedIn()) return;
  const mine = ++who.asked;
  try {
    let user = who.user, found;
    if (user !== false) {
      try { found = await api("/v1/reminders?assignee=me"); user = true; }
      catch (error) { if (!(error instanceof ApiError && error.code === "no_signed_in_user")) throw error; user = false; }
    }
    found = found || await api("/v1/reminders");
    const staff = who.staff.length ? who.staff : await api("/v1/assignees");
    if (mine !== who.asked) return;
    Object.assign(who, { user, staff, reminders: found });
    renderFilter(); renderBulk(); renderBadge();
  } catch { if (mine === who.asked) show("reminders-badge", false); }
}

function renderBadge() {
  const c = who.reminders.counts;
  const due = c.overdue + c["1"] + c["7"];
  $("reminders-badge").textContent = due ? `${due} due` : "Nothing due";
  $("reminders-badge").className = `badge${c.overdue ? " late" : due ? " soon" : ""}`;
  $("reminders-badge").title = `${who.user ? "Your cases" : "Cases"} overdue or due within 7 days: show the list`;
  show("reminders-badge", true);
}

function renderReminders() {
  const r = who.reminders;
  $("reminders-scope").textContent = `${who.user ? "Your cases" : "All the practice's cases"}, as of ${fmtDate(r.today)}.`;
  const claims = new Map(state.cases.map((c) => [c.id, c.claim_number]));
  // overdue first: a JS object puts its integer-like keys ("1", "7", "14") before the others
  const order = ["overdue", ...Object.keys(r.buckets).filter((k) => k !== "overdue")];
  const sections = order.map((name) => [name, r.buckets[name]]).filter(([, items]) => items.length).map(([name, items]) => el("section", { class: `bucket ${name === "overdue" ? "late" : ""}` },
    el("h3", {}, `${BUCKETS[name] || `Due within ${name} days`} (${items.length})`),
    el("ul", {}, items.map((item) => el("li", {},
      el("button", { type: "button", class: "link", onclick: () => { $("reminders").close(); openCase(item.id); } }, claims.get(item.id) || "Open case"),
      ` ${item.denial_code} · ${item.payer || ""} · ${fmtDate(item.deadline)} (${daysLeft(item).text}) · ${fmtMoney(item.amount_denied)} · `,
      el("span", { class: "sub" }, item.assignee_email || "unassigned"))))));
  $("reminders-list").replaceChildren(...(sections.length ? sections : [el("p", { class: "empty" }, "Nothing overdue or due within 14 days.")]));
}

$("reminders-badge").addEventListener("click", () => { renderReminders(); $("reminders").showModal(); });
for (const radio of document.querySelectorAll("[name=whose]")) radio.addEventListener("change", () => { who.selected.clear(); loadCases(); });
$("select-all").addEventListener("change", (event) => {
  for (const box of $("case-rows").querySelectorAll("input.pick")) {
    box.checked = event.target.checked;
    box.dispatchEvent(new Event("change"));
  }
});
$("bulk-assignee").addEventListener("change", () => { $("bulk-assign").disabled = !$("bulk-assignee").value; });
$("bulk-clear").addEventListener("click", () => {
  who.selected.clear();
  for (const box of document.querySelectorAll("#case-table input[type=checkbox]")) box.checked = false;
  renderBulk();
});
$("bulk-assign").addEventListener("click", async (event) => {
  const button = event.currentTarget, choice = $("bulk-assignee").value;
  const ids = [...who.selected];
  $("bulk-error").textContent = "";
  button.disabled = true;
  try {
    await api("/v1/cases/assign", { method: "POST", json: { case_ids: ids, assignee: choice === "none" ? null : choice } });
    who.selected.clear();
    $("bulk-assignee").value = "";
    if (ids.includes(state.caseId)) await refreshCase();
    await loadCases();
  } catch (error) { $("bulk-error").textContent = `Nothing was assigned: ${error.message}`; }
  finally { renderBulk(); }
});
