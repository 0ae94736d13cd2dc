# KeyError with a non-string key, uncaught.
counts = {1: "one", 2: "two"}
print(counts[1])
print(counts[3])
