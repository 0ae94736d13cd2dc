# if / elif / else, while / for with else, break and continue.
for n in range(1, 16):
    if n % 15 == 0:
        out = "FizzBuzz"
    elif n % 3 == 0:
        out = "Fizz"
    elif n % 5 == 0:
        out = "Buzz"
    else:
        out = str(n)
    print(out, end=" ")
print()
for n in range(2, 20):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        print(n, end=" ")
print()
i = 0
while i < 10:
    i += 1
    if i % 2:
        continue
    if i > 7:
        break
    print(i, end=" ")
else:
    print("no break")
print()
while False:
    pass
else:
    print("while-else runs when the loop ends normally")
