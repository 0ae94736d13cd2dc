# An unexpected indent is an IndentationError (a SyntaxError subclass), exit 1.
print("never")
  y = 2
