"""Doing only what changed: every input a key is made from, declared once (keys); the item
cache (itemcache), the PDF cache (pdfcache), the digests of what a page or PDF is made from
(fingerprint), what the last build wrote and from which keys (manifest), the record that
answers a build with nothing to do (uptodate), and how whatever the cache gives back is sealed
and checked, since anyone who can write to the repository can plant it (untrusted).

keys, untrusted and uptodate import only the standard library and storage, so that a build
with nothing to do never loads the renderer. pdfcache reads the installed fonts from
render.fonts, which imports nothing of briefgen's.

May import: storage, errors, model, render.fonts."""
