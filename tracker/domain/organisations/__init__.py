"""Organisations, systems (ICSs) and the results organisations choose to share with partners.

directory    creating and finding organisations and systems by code (platform-level)
sharing      an organisation's per-round choice to share its results with its system
system_view  the system view: each partner's latest shared round side by side
"""
