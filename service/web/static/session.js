// Signing in and out: as a staff member (email and password: the server keeps the session in an
// HttpOnly cookie, the page keeps only its CSRF token) or with an API key. Either is kept in
// sessionStorage for this tab only, never in a URL.

import { $, CSRF, EXPIRED, KEY, api, hooks, show, state } from "./core.js";
import { clearAssignment } from "./assign.js";
import { clearChecks } from "./checks.js";
import { closeCase, fillCodes, loadCases } from "./cases.js";
import { clearNotice } from "./notice.js";
import { clearImport } from "./remit.js";
import { clearStats } from "./stats.js";

// ---- sign in ------------------------------------------------------------------------------

/** The page once the server has accepted the key or the session. */
async function enter() {
  show("signin", false); show("app", true); show("sign-out", true);
  const tenant = state.user ? state.user.tenant : (await api("/v1/me")).tenant;
  $("tenant").hidden = false;
  $("tenant").textContent = state.user ? `${state.user.email} (${state.user.role}) · Practice: ${tenant}` : `Practice: ${tenant}`;
  fillCodes();
  await loadCases();
}

async function signInWithKey(key) {
  Object.assign(state, { key, csrf: null, user: null });
  try {
    state.codes = await api("/v1/codes");
  } catch (error) {
    state.key = null;
    throw error;
  }
  sessionStorage.setItem(KEY, key);
  await enter();
}

async function signInWithPassword(email, password) {
  Object.assign(state, { key: null, csrf: null, user: null });
  const started = await api("/v1/session", { method: "POST", json: { email, password } });
  Object.assign(state, { csrf: started.csrf_token, user: started.user });
  sessionStorage.setItem(CSRF, started.csrf_token);
  state.codes = await api("/v1/codes");
  await enter();
}

/** After a reload: the cookie is still the browser's, so ask who it signs in. */
async function resume() {
  state.user = (await api("/v1/session")).user;
  state.codes = await api("/v1/codes");
  await enter();
}

/** Back to the sign-in form; `ended`: the server has ended the session already (or never had one). */
function signOut(message = "", ended = false) {
  if (state.csrf && !ended) api("/v1/session", { method: "DELETE" }).catch(() => {});  // the server ends it too
  sessionStorage.removeItem(KEY); sessionStorage.removeItem(CSRF);
  closeCase();
  state.cases = [];
  $("case-rows").replaceChildren();
  clearImport(); clearStats(); clearAssignment(); clearChecks();
  $("checks-month").value = "";
  $("action-filter").value = ""; $("status-filter").value = ""; $("case-filter").value = "";
  $("case-form").reset(); clearNotice(); $("paste-json").value = "";
  Object.assign(state, { key: null, csrf: null, user: null });
  show("app", false); show("sign-out", false); show("signin", true); $("tenant").hidden = true;
  $("signin-error").textContent = message;
  $("password").value = ""; $("api-key").value = "";
  $("email").focus();
}

async function submitting(event, attempt, explain) {
  event.preventDefault();
  $("signin-error").textContent = "";
  const button = event.submitter; button.disabled = true;
  try { await attempt(); }
  catch (error) { $("signin-error").textContent = explain(error); }
  finally { button.disabled = false; }
}

$("signin-form").addEventListener("submit", (event) => submitting(event,
  () => signInWithPassword($("email").value.trim(), $("password").value),
  (error) => {
    $("password").value = "";
    if (error.status === 401) return "That email and password do not match an account.";
    return error.status === 423 ? `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.` : error.message;
  }));
$("key-form").addEventListener("submit", (event) => submitting(event,
  () => signInWithKey($("api-key").value.trim()),
  (error) => error.status === 401 ? "That key is not valid or has been revoked." : error.message));
$("sign-out").addEventListener("click", () => signOut());

hooks.unauthorized = (message) => { if (state.key || state.csrf) signOut(message, true); };

if (state.key) signInWithKey(state.key).catch(() => signOut("Sign in again.", true));
else if (state.csrf) resume().catch((error) => signOut(error.code === "session_expired" ? EXPIRED : "Sign in again.", true));
else signOut("", true);
