// Shared by the page's modules: state, the API client, small DOM helpers.
// Record text is untrusted: it only ever reaches the page as text nodes, never as HTML.

export const $ = (id) => document.getElementById(id);
export const KEY = "overturn.key";
export const CSRF = "overturn.csrf";
// Signed in either with an API key (sent as a bearer header) or as a staff member: then the
// session cookie (HttpOnly: the page never sees it) goes with every call, and the CSRF token
// answered at sign-in goes with every change.
export const state = { key: sessionStorage.getItem(KEY), csrf: sessionStorage.getItem(CSRF), user: null, codes: [], cases: [], caseId: null, case: null, appeal: null, poll: null };
export const signedIn = () => Boolean(state.key || state.csrf);
const UNSAFE = ["POST", "PUT", "PATCH", "DELETE"];
const SIGN_IN = ["/v1/session", "/v1/codes"];  // a 401 there is the sign-in's own answer
export const EXPIRED = "Your session ended after inactivity; sign in again.";

/** Set by session.js: what to do when the server no longer accepts the key or the session. */
export const hooks = { unauthorized: () => {} };

export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export async function api(path, { method = "GET", json, form, raw = false } = {}) {
  const headers = {};
  if (state.key) headers.Authorization = `Bearer ${state.key}`;
  else if (state.csrf && UNSAFE.includes(method)) headers["X-CSRF-Token"] = state.csrf;
  let body;
  if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  if (form) body = form;
  let response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "offline", "The server cannot be reached. Check that overturn serve is running.");
  }
  if (!response.ok) {
    let error = { code: "error", message: `The server answered ${response.status}.` };
    try { error = (await response.json()).error || error; } catch { /* not JSON */ }
    if (response.status === 401 && !SIGN_IN.includes(path)) {
      hooks.unauthorized(error.code === "session_expired" ? EXPIRED
        : state.key ? "Your key is no longer valid; sign in again." : "Your session has ended; sign in again.");
    }
    throw new ApiError(response.status, error.code, error.message);
  }
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

export function show(id, visible) { $(id).hidden = !visible; }
export function fmtDate(iso) { return iso ? new Date(iso.length === 10 ? `${iso}T00:00:00` : iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }) : "—"; }
export function fmtTime(iso) { return iso ? new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }) : "—"; }
export const RECORDS = { awaiting_documents: "Needs records", processing: "Reading records", ready: "Ready to draft", failed: "Records failed" };
export const TRACKING = { new: "New", drafted: "Drafted", sent: "Sent", won: "Won", partly_won: "Partly won", lost: "Lost", written_off: "Written off" };
export const ACTIONS = { appeal: "Appeal", corrected_claim: "Corrected claim", rebill: "Rebill", patient_responsibility: "Patient's share", no_action: "No action" };
export const OPEN = ["new", "drafted"];
export function fmtMoney(value) { return (value ?? 0).toLocaleString("en-US", { style: "currency", currency: "USD" }); }
/** "12 days left", "due today", "3 days overdue": only while the case is open (new or drafted). */
export function daysLeft(c) {
  if (c.days_left === null || c.days_left === undefined || !OPEN.includes(c.status)) return { text: "", overdue: false };
  const n = c.days_left;
  const text = n > 1 ? `${n} days left` : n === 1 ? "1 day left" : n === 0 ? "due today" : n === -1 ? "1 day overdue" : `${-n} days overdue`;
  return { text, overdue: n < 0 };
}

/** Saves a fetched response as a file: the API needs the key or the session, so a plain link cannot. */
export async function saveResponse(response, fallback) {
  const blob = await response.blob();
  const name = (response.headers.get("content-disposition") || "").match(/filename="([^"]+)"/)?.[1] || fallback;
  const link = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export function markActive(button) {
  document.querySelectorAll(".marker.active").forEach((b) => b.classList.remove("active"));
  button?.classList.add("active");
}

export function withMarkers(text, resolve) {
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
