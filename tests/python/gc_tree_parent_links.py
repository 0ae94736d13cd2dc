# A tree with parent back-links: every node is in a cycle with its parent.
import gc
gc.disable()
gc.collect()

class Node:
    def __init__(self, parent):
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)

root = Node(None)
for i in range(3):
    child = Node(root)
    for j in range(2):
        Node(child)
print(len(root.children), sum(len(c.children) for c in root.children))
del root, child
print(gc.collect())
