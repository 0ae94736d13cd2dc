# sys.exit() and sys.exit(0) are success.
import sys
print("bye")
sys.exit()
