# sys.exit(n) ends the program with status n.
import sys
print("exiting with 3")
sys.exit(3)
print("never")
