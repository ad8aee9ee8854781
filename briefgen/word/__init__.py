"""Word files in and out.

In: what kind of file a manuscript really is, and LibreOffice for the kinds python-docx cannot
open (office); a .docx read into paragraphs and tables (reader, with stylechain, numbering and
counting: the markers Word displays, 一、（一）1.（1）; the result's shape is model, its XML
names xml); those blocks as Markdown (markdown); the front matter a manuscript carries in its
first and last lines (meta); the item file made of it all, checked against the source (toitem).

Out: the pieces of a Word file briefgen writes: page geometry, East Asian fonts, page-number
fields, bytes that do not change between runs (docx), the document's defaults and styles
(styles), where paragraphs and tables go, and footnotes (blocks).

May import: config, content, storage, errors, model."""
