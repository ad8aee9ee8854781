"""From files to items: find the item files (loader), decode them (encoding), split the front
matter (frontmatter), validate it into an Item (items), convert the body to sanitised HTML
(markdown) and rewrite what it refers to (assets), with the item cache so an unchanged file is
not parsed again; and the date git first saw each item file (history).

Markdown and assets live here, not in render/, because a body is converted once, when its
item is loaded, and kept with the item in the cache.

May import: config, incremental (the item cache and keys), storage, workers, errors, model."""
