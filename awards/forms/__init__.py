"""Forms, one module per feature: they parse and clean what people type; the rules stay in the services."""
