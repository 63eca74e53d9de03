print("orgscope-bench: not yet")
