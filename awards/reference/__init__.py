"""Reference data a real installation needs, apart from the demo: the bodies Plan 181 names, the legal
bases, the base salaries, Plan 181's outline and the standard award tiers with their steps and prize
coefficients. Loaded by `manage.py seed_reference` (which `seed_demo` runs first); each row says where
it comes from."""
