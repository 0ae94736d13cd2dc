# Calling something that is not callable.
count = 3
print(count)
count()
