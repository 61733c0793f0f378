"""The customer pack: the yearly presentation of a value file, made for the customer.

A pipeline of its own, fed by the same model: `view` (what the customer may
see, computed without internal records), `document` (that view as formatted
text), then an engine edge per output (`pdf` through Typst, `html` through
Jinja), and `command` (the `csvf present` command).
"""
