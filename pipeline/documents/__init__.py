"""Documents: the renderers (DOCX, PDF/A, the consolidated workbook) and their shared layout."""
