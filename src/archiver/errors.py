"""The errors a user can act on: each says what happened in one line.

Every command turns an :class:`ArchiverError` into that line on stderr and its
``exit_code`` (1 unless the error says otherwise), so no command catches them itself.
"""


class ArchiverError(Exception):
    """An error whose message tells the user what happened and what to do."""

    exit_code = 1
