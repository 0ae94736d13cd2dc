# A traceback through a method and a property.
class Account:
    def __init__(self, balance):
        self.balance = balance

    @property
    def ratio(self):
        return 100 // self.balance

    def report(self):
        return "ratio %d" % self.ratio

print(Account(4).report())
Account(0).report()
