"""The REST API under /api/v1/: thin views over the selectors and services the pages use (docs/api.md)."""
