"""The statistics of information work: the tally of items submitted, adopted and scored by unit,
officer or topic (tally, pure: data in, data out) and its text formats (formats: table, CSV, JSON).
The 通报's HTML and PDF are made in render.report.

May import: config, errors, model."""
