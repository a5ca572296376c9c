// Review before sending and sending with proof: ask for review, approve (reviewers), the
// payer-ready packet, and recording how and when the appeal went out with its tracking number.

import { $, api, el, fmtDate, fmtTime, saveResponse, state } from "./core.js";
import { loadCases, refreshCase } from "./cases.js";

const CHANNELS = { mail: "mail", fax: "fax", portal: "the payer's portal" };

/** Called whenever a letter is shown: its review and any sending of the case. */
export async function showSending(appeal) {
  $("send-error").textContent = "";
  $("send-date").value = new Date().toISOString().slice(0, 10);
  try {
    const [review, sent] = await Promise.all([
      api(`/v1/appeals/${appeal.id}/review`),
      api(`/v1/cases/${appeal.case_id}/sendings`),
    ]);
    if (state.appeal?.id !== appeal.id) return;
    renderReview(review);
    renderSent(sent.at(-1));
  } catch (error) { $("send-error").textContent = error.message; }
}

function renderReview(review) {
  const parts = [];
  const by = (email) => (email ? ` by ${email}` : "");
  if (review.approved_at) parts.push(`Approved${by(review.approved_by_email)} ${fmtTime(review.approved_at)}.`);
  else if (review.requested_at) parts.push(`Review requested${by(review.requested_by_email)} ${fmtTime(review.requested_at)}; not approved yet.`);
  else parts.push(review.review_required ? "This practice needs a reviewer's approval before sending." : "No review asked.");
  $("review-state").textContent = parts.join(" ");
  $("send").disabled = review.review_required && !review.approved_at;
  $("send").title = $("send").disabled ? "Needs a reviewer's approval first" : "";
  $("approve").hidden = state.user?.role === "biller" || Boolean(review.approved_at);
  $("request-review").hidden = Boolean(review.approved_at || review.requested_at);
}

function renderSent(sent) {
  if (!sent) { $("send-result").replaceChildren(); return; }
  const filed = { on_time: ["filed on time", "filed-on-time"], late: ["filed late", "filed-late"], no_deadline: ["no deadline known", ""] }[sent.filed];
  $("send-result").replaceChildren(
    `Sent by ${CHANNELS[sent.channel]} on ${fmtDate(sent.sent_on)}, ${sent.confirmation}: `,
    el("span", { class: filed[1] }, filed[0]),
    sent.deadline ? ` (deadline ${fmtDate(sent.deadline)}).` : ".",
    el("br"),
    el("small", {}, `Packet of ${sent.packet_pages} pages, SHA-256 ${sent.packet_sha256.slice(0, 16)}…`),
  );
}

async function act(path, done) {
  $("send-error").textContent = "";
  try { await done(await api(path, { method: "POST" })); }
  catch (error) { $("send-error").textContent = error.message; }
}

$("request-review").addEventListener("click", () => act(`/v1/appeals/${state.appeal.id}/review-request`, renderReview));
$("approve").addEventListener("click", () => act(`/v1/appeals/${state.appeal.id}/approve`, renderReview));

$("payer-packet").addEventListener("click", async () => {
  try { await saveResponse(await api(`/v1/appeals/${state.appeal.id}/payer-packet.pdf`, { raw: true }), "appeal.pdf"); }
  catch (error) { $("send-error").textContent = `The download failed: ${error.message}`; }
});

$("send-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("send-error").textContent = "";
  $("send").disabled = true;
  try {
    const sent = await api(`/v1/appeals/${state.appeal.id}/send`, {
      method: "POST",
      json: { channel: $("send-channel").value, sent_on: $("send-date").value, confirmation: $("send-confirmation").value.trim() },
    });
    renderSent(sent);
    $("send-confirmation").value = "";
    await refreshCase(); await loadCases();
  } catch (error) { $("send-error").textContent = error.message; }
  finally { $("send").disabled = false; }
});
