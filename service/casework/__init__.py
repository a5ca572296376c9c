"""The service layer the CLI and the API share, one module per job: cases, documents (upload,
reading as a job), appeals (draft and exports) and chat, all scoped to one tenant."""
