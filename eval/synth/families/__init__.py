"""The per-code chart families (one sub-package per code) and the helpers the styled builders share (`kit`)."""
