# Raising SystemExit directly, and catching it.
try:
    raise SystemExit(5)
except SystemExit as e:
    print("caught", e.code)
raise SystemExit(4)
