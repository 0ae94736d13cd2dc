# lambda with map, filter, sorted keys.
nums = [5, -3, 8, -1, 0]
print(list(map(lambda x: x * 2, nums)))
print(list(filter(lambda x: x > 0, nums)))
print(list(filter(None, nums)))
print(sorted(nums, key=abs))
print(sorted(["bb", "a", "ccc"], key=len, reverse=True))
print(list(map(lambda a, b: a + b, [1, 2], [10, 20, 30])))
words = ["pear", "Apple", "fig"]
print(sorted(words), sorted(words, key=str.lower))
print(max(words, key=len), min(nums, key=lambda v: (v * v, v)))
