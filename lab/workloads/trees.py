"""trees: binary trees with parent pointers. A long-lived tree of depth 12 is built, then for each
depth d in 4, 6, .., 12, 2**(16 - d) trees of depth d are built and dropped. A node is the list
[left, right, parent], so every tree is one big cycle.

Usage: trees.py [SCALE]  (SCALE multiplies the number of trees per depth; default 1.0)
"""
import sys


def tree(depth, parent):
    node = [None, None, parent]
    if depth > 0:
        node[0] = tree(depth - 1, node)
        node[1] = tree(depth - 1, node)
    return node


scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
long_lived = tree(12, None)
built = 0
for d in range(4, 13, 2):
    for _ in range(max(1, int(2 ** (16 - d) * scale))):
        tree(d, None)
        built += 1
print("trees", built, len(long_lived))
