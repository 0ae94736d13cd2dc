# Carets count characters, not UTF-8 bytes.
s = "héllo wörld"; n = s + 1
