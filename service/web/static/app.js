// Overturn staff page: plain ES modules, no framework, no build step.
// core.js (state, API client, DOM helpers) · session.js (sign in/out) · cases.js (work queue,
// form, records) · notice.js (a denial letter read into the new-case form) · remit.js (835
// import, CSV) · track.js (action, adjustments, outcome) · letter.js (draft, letter, edits,
// exports) · send.js (review, payer packet, sending with proof) · side.js (evidence panel, chat) ·
// stats.js (outcomes, what goes missing before billing) · assign.js (whose cases, bulk
// assignment, reminders) · checks.js (before you bill: a month's cases checked against a code).

import "./side.js";
import "./stats.js";
import "./letter.js";
import "./send.js";
import "./notice.js";
import "./cases.js";
import "./assign.js";
import "./checks.js";
import "./track.js";
import "./remit.js";
import "./session.js";
