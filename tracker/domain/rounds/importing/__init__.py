"""Importing a self-assessment round from a pasted text document, CSV or XLSX.

detect      size and content checks, then which reader to use
text_table  the pasted document of the published summary (prose around tab tables)
csv_reader  CSV with any delimiter, BOM, quoting
xlsx_reader the first (or a named) sheet of a workbook
table       header finding and column mapping shared by the readers
matching    rows to framework questions and levels, collecting every problem
writer      writing the round, its scores and the spawned actions
"""

from tracker.domain.rounds.importing.writer import ImportSummary, import_round, parse_round_file

# Shown when the database refuses an import because another one wrote the same round (or its
# scores) at the same moment: nothing of this import was written.
CONCURRENT_IMPORT = (
    "Someone else imported into this round at the same moment, so nothing was saved. "
    "Check the list of rounds, then try again."
)

__all__ = ["CONCURRENT_IMPORT", "ImportSummary", "import_round", "parse_round_file"]
