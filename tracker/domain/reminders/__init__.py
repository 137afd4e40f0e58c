"""Nudging people by email: owner digests, director escalations and pre-round notices.

Sweeps read in a constant number of queries, queue through tracker.domain.outbox (once per
recipient, kind and period) and never commit or send.

loading    the database state the sweeps read (open actions, owners, next round dates)
sweeps     owner digests (monthly or weekly) and director escalations
pre_round  the readiness summary 60, 30 and 7 days before the next round
"""
