"""The HTTP API (`overturn serve`): thin routers over the casework services."""
