"""The services behind the HTTP API, one per feature: cases, documents (upload and background
reading), appeals (draft and exports) and chat, all scoped to one tenant."""
