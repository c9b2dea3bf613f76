def read_layout(text): return []
