"""The demo: Đồng Nai's 2024 organisation, its accounts and their stories (campaigns, reports,
nominations, decisions). Only `seed_demo`, the tests and `bench/` import it; the layers contract in
pyproject.toml refuses it anywhere else."""
