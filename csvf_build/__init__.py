"""csvf: customer service value files as code.

The build is a short pipeline of plain functions: load the content tree, check
it, compute the value model, render pages and exports, then hand the docs tree
to the site engine (MkDocs with Material, or Zensical).
"""

__version__ = "0.1.0"
