print("flygate: not implemented yet")
