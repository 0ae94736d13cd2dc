# The name bound by "except ... as e" is deleted at the end of the handler.
import sys
try:
    raise ValueError("x")
except ValueError as e:
    print(type(e).__name__)
print("e" in globals())
