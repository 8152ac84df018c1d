"""Charts drawn by matplotlib from the validated data.

`kinds/` holds one module per chart kind (its payload, builder, data table and drawing);
`plan` (no matplotlib import) decides which charts exist and computes each one's data
table; `render` draws them, in worker processes, only where the cache has no copy.
"""
