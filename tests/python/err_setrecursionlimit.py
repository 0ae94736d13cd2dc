# setrecursionlimit lowers the depth at which RecursionError is raised.
import sys
sys.setrecursionlimit(100)
print(sys.getrecursionlimit())
depth = 0

def down():
    global depth
    depth += 1
    down()

try:
    down()
except RecursionError:
    print(50 < depth < 100)
