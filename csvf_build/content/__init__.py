"""Reading `content/`: the tree, YAML with locations, schemas, and the checks."""
