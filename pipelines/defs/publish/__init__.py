"""Write–audit–publish: start a draft warehouse, audit it with every data test, publish it."""
