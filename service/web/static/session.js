// Signing in and out: the key lives in sessionStorage for this tab only, never in a URL.

import { $, KEY, api, hooks, show, state } from "./core.js";
import { clearAssignment } from "./assign.js";
import { closeCase, fillCodes, loadCases } from "./cases.js";
import { clearNotice } from "./notice.js";
import { clearImport } from "./remit.js";
import { clearStats } from "./stats.js";

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
  state.me = null;
  closeCase();
  state.cases = [];
  $("case-rows").replaceChildren();
  clearImport(); clearStats(); clearAssignment();
  $("action-filter").value = ""; $("status-filter").value = ""; $("case-filter").value = "";
  $("case-form").reset(); clearNotice(); $("paste-json").value = "";
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

hooks.unauthorized = signOut;

if (state.key) signIn(state.key).catch(() => signOut("Sign in again."));
else signOut();
