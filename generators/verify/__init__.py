"""Checking the data's numbers against their source documents (`dspapers verify`).

A side road of the build that ends in data: `reading` turns a document into pages of
lines (cached by its SHA-256), `targets` lists a paper file's numbers with their sources,
`locate` finds the table or section a source names, `judge` decides each number's
outcome, `run` drives them and `command` is the console command; the record it writes is
read by `generators/checks.py`. A build never imports this package's readers.
"""
