"""Text knowledge shared by every stage: scripts, tokens, widths (no project imports).

Kept apart from the stages so that fetch, extract, normalize, store and evaluate can all
count the same way without importing one another.
"""
