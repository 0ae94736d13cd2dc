# A closing bracket of the wrong kind: the tokenizer's error, nothing runs.
print("never")
x = (1,
     2]
