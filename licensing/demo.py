"""The demo cast shared by ``seed_demo`` and the tests' idea of "one user per role"."""

STAFF = [
    # username, first name, last name, role
    ("reviewer", "Aigerim", "Reviewer", "reviewer"),
    ("approver", "Nurlan", "Approver", "approver"),
    ("supervisor", "Saule", "Supervisor", "supervisor"),
]

ORGANIZATIONS = [
    {
        "username": "applicant",
        "first_name": "Daniyar",
        "last_name": "Applicant",
        "email": "compliance@steppe-exchange.example.kz",
        "legal_name": "Steppe Digital Exchange JSC",
        "bin": "250140001232",
        "website": "https://steppe-exchange.example.kz",
        "other_domains": ["steppex.example.kz"],
        "address": "Mangilik El avenue 55/20, Astana, 010000",
        "phone": "+7 7172 55 00 10",
        "capital": 2_000_000_000,
    },
    {
        "username": "applicant2",
        "first_name": "Madina",
        "last_name": "Applicant",
        "email": "legal@altyn-custody.example.kz",
        "legal_name": "Altyn Custody LLP",
        "bin": "241240005673",
        "website": "https://altyn-custody.example.kz",
        "other_domains": [],
        "address": "Al-Farabi avenue 77/8, Almaty, 050040",
        "phone": "+7 727 300 20 20",
        "capital": 900_000_000,
    },
]
