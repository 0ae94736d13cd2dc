# A closure-based bank account: state shared by several inner functions.
def account(balance):
    def deposit(n):
        nonlocal balance
        balance += n
        return balance
    def withdraw(n):
        nonlocal balance
        if n > balance:
            raise ValueError("insufficient funds")
        balance -= n
        return balance
    return deposit, withdraw

dep, wd = account(10)
print(dep(5), wd(3), dep(100))
try:
    wd(1000)
except ValueError as e:
    print(e)
print(dep.__closure__ is not None, len(dep.__closure__))
