"""Word files in and out: LibreOffice for the formats python-docx cannot open (office), a
.docx read into paragraphs and tables with the numbering Word displays (numbering, reader),
those blocks as Markdown (markdown), the front matter an office's manuscript carries in its
first and last lines (meta), and the pieces of a Word file briefgen writes: page geometry,
East Asian fonts, page-number fields, bytes that do not change between runs (docx), the
document's defaults and styles (styles), where paragraphs and tables go, and footnotes (blocks).

May import: config, content, storage, errors, model."""
