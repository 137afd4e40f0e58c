"""Evidence for an action: adding, reviewing and withdrawing it, and keeping its files safe.

changes    adding a file, a link or a note; accepting or rejecting it; withdrawing it
storage    allow-listed file types checked by extension and content, stored under random names
integrity  the nightly check that every stored file is present and unchanged
"""
