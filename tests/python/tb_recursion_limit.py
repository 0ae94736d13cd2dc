# RecursionError: three entries per repeated line, then the repeat count; only the last 1000 entries.
def rec(n):
    return rec(n + 1)
rec(0)
