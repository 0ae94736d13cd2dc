print("nothing runs")
if True
    print("missing colon")
