"""briefgen.yaml as a typed, frozen Config (settings), its scoring rules (rules), the strict
YAML reader every settings and item file goes through (yamlsafe), and the one validation
helper those files share (fields: FieldError, did_you_mean).

May import: storage, errors, model."""
