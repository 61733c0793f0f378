"""Renderers fed by the model: site pages (Markdown), exports (JSON, CSV).

Charts and the customer pack plug in beside these, reading the same model.
"""
