# A binary operation spanning lines in a one-line def.
def h(): return (1 +
   2) * None
h()
