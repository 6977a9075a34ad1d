"""Thin views, one module per feature: parse the request, ask a selector or a service, render."""
