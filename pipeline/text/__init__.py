"""Vietnamese text: normalisation, legacy encodings, wording of dates and numbers, safe cell text."""
