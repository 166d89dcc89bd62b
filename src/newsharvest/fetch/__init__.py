"""The fetch stage: HTTP client, politeness, decoding and discovery of article URLs."""
