# f_back of a running frame that Rust code entered (an operator's dunder method): walking it
# from inside reaches the frame whose operator called it, and sys._getframe(1) names it.
import sys


class A:
    def __eq__(self, other):
        f = sys._getframe()
        names = []
        while f is not None:
            names.append(f.f_code.co_name)
            f = f.f_back
        print(names)
        print(sys._getframe(1).f_code.co_name)
        return True


def caller():
    return A() == A()


print(caller())
