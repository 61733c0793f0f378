"""The value model: every figure the site, the export and later the customer pack show."""
