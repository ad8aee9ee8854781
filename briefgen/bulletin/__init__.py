"""From items to the bulletin: periods, grouping by period and topic (group), numbering,
the editor's per-issue settings (issuesettings), special issues (specials), corrections and
the order of items (errata), checks across items (checks: duplicates, dates ahead), the
publication ledger (ledger), and assemble, which runs the
whole load -> validate -> group -> number pipeline and returns the Bulletin with every problem.

May import: content, config, incremental, storage, errors, model."""
