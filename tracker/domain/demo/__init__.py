"""A deterministic demo organisation built on the published sample, for newcomers to explore.

organisation  the demo's people, round, actions, milestones, progress and evidence
"""
