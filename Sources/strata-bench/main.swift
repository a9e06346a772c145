print("strata-bench: not built yet")
