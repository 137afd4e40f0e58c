"""Assessment rounds: importing a round's scores, editing a round, comparing two rounds, and
turning the gaps of a round into actions.

importing   reading a pasted summary, CSV or XLSX and writing the round (its own package)
editing     an admin changing a round's name, dates and status
comparison  each question's and component's level in two rounds and the change
spawning    one action per question scored at the gap level; carrying open actions forward
"""
