// Overturn staff page: plain ES modules, no framework, no build step.
// core.js (state, API client, DOM helpers) · session.js (sign in/out) · cases.js (list, form,
// records) · letter.js (draft, letter, edits, exports) · side.js (evidence panel, chat).

import "./side.js";
import "./letter.js";
import "./cases.js";
import "./session.js";
