# Small algorithms: gcd, primes sieve, binary search, collatz.
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a

def sieve(n):
    is_p = [True] * (n + 1)
    is_p[0] = is_p[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
    return [i for i, p in enumerate(is_p) if p]

def bsearch(a, x):
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo

def collatz(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

print(gcd(1071, 462), gcd(2 ** 40, 6 ** 20))
print(sieve(60))
print(bsearch([1, 3, 5, 7, 9], 6), bsearch([1, 3, 5, 7, 9], 1))
print([collatz(n) for n in range(1, 12)], max(range(1, 1000), key=collatz))
