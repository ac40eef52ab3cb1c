"""Recognise and read each standard table."""
