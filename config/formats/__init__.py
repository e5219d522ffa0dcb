"""Date and number formats of the portal's three languages (``FORMAT_MODULE_PATH``).

One date style per language on every page, e-mail and export meant for people: "2 желтоқсан 2026 ж.",
"2 декабря 2026 г.", "2 December 2026". Templates name the style (``DATE_FORMAT``, ``DATETIME_FORMAT``),
never a pattern; the short formats equal the long ones so a page cannot mix two styles.

A date typed into a form is read as ISO 8601 or day first, never month first: ESMA's "12/02/2025" is
12 February in every language (``DAY_FIRST_INPUT_FORMATS``). ``common.dates`` also reads the written
style the pages show ("2 декабря 2026 г.").
"""

DAY_FIRST_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-02, ISO 8601: what the API, the exports and the admin's calendar write
    "%d.%m.%Y",  # 02.12.2026, how Kazakh and Russian documents write a date
    "%d/%m/%Y",  # 02/12/2026, ESMA's registers and British English
]
DAY_FIRST_DATETIME_INPUT_FORMATS = [
    f"{date} {time}" for date in DAY_FIRST_INPUT_FORMATS for time in ("%H:%M:%S", "%H:%M:%S.%f", "%H:%M")
]
