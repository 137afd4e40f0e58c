"""The NHS IMPACT framework as data: components, questions and the ordered maturity scale.

loading  validating a framework file and loading it into the database (safe to run again)
outline  reading the loaded framework back, scale and descriptors included, for its page
"""
