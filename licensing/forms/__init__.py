"""Forms of the two faces, ``applicant`` and ``staff``.

They clean input into domain values; the rules live in the services.
"""
