"""The disk and git, knowing nothing of bulletins: one atomic file write, the swap of a whole
output folder, a fast walk that reports unreadable folders, where briefgen's own files are,
and what git says of the repository.

May import: errors (and the standard library)."""
