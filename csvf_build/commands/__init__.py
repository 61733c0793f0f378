"""`csvf` commands for pull requests, publishing and writing records, one module each.

Each module is a thin click edge over a pure module (diff, history, scaffold,
importer); `cli.py` registers them with `main.add_command`.
"""
