# Trailing blanks stay in the printed line and count in its length.
def f():
    return 1/0   

f()   
