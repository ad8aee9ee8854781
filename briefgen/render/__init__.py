"""From the bulletin to bytes: the Jinja environment (env), the site's pages (html), the print
document (printdoc), the PDF (pdf, the only module that imports WeasyPrint), fonts and their
coverage (fonts, coverage), which font each role of the print stylesheet gets (fontroles), the
charts (chart), the 通报 (report), the search index (search) and the Word edition of an issue
and of one item (wordissue), with its styles (wordstyles), an item's body HTML in Word
(wordbody, wordtable) and the 报尾 (wordcolophon).

May import: bulletin, word, content, stats, incremental, config, storage, workers, errors, model."""
