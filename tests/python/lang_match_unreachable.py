# A capture pattern that is not the last case makes the rest unreachable: a SyntaxError.
print("never runs")
match 1:
    case x:
        pass
    case 2:
        pass
