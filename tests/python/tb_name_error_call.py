# A NameError on the called name: the caret under the name only.
def f():
    return g()
f()
