"""Charts: specs from the model (`customer`), SVG drawing (`draw`), reuse between builds (`cache`)."""
