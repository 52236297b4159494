"""Agencies' Excel progress sheets -> the official BÁO CÁO (DOCX + PDF/A)."""
