# An undefined name: NameError, traceback on stderr, exit status 1.
print("before")
print(undefined_name)
print("never")
