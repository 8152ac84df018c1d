"""Charts drawn by matplotlib from the validated data.

`plan` (no matplotlib import) decides which charts exist and computes each one's data
table; `render` draws them, in worker processes, only where the cache has no copy.
"""
