"""People and signing in: the rules shared by the CLI, the admin pages and the sign-in pages.

registration    creating users, normalising emails, password strength and hashing
administration  what admins do to people: roles, deactivation, component leads, leavers
invitations     invitations, password resets and changes through signed single-use links
sign_in         signing in with failed-attempt limits counted in the database
"""
