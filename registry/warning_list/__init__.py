"""The warning list (SPEC section 15): entities operating without a license.

- ``services``: add, update, remove an entry (audited, with public history) and apply an import.
- ``imports``: read a regulator's file (ESMA's NCASP layout, or this portal's own export) into a
  report of what would change, for ``manage.py import_warnings`` and the dashboard's preview.
- ``selectors``: the public list and its search, the export rows.
- ``matching``: how close a name or a web address is to the list (lookalike screening).
- ``api``: the public API's warning-list endpoints, mounted on ``registry.api``.
"""
