"""Reference data for the licensing app, loaded by data migrations.

DOCUMENT_REQUIREMENTS lists the documents an applicant may be asked to file.
Which of them a given license type requires is set in
``registry.reference_data.LICENSE_TYPES`` (key ``documents``).

HOLIDAYS is the working-day calendar used by the statutory clock (SPEC section
8). It lists the non-working public holidays of the Republic of Kazakhstan for
2025-2027 as fixed by the Law of the Republic of Kazakhstan "On Holidays in
the Republic of Kazakhstan" (No. 267-II of 13 December 2001, article 5) and
article 85 of the Labour Code of the Republic of Kazakhstan (No. 414-V of
23 November 2015):

* National and state holidays: New Year (1-2 January), International Women's
  Day (8 March), Nauryz Meiramy (21-23 March), Kazakhstan People's Unity Day
  (1 May), Defender of the Fatherland Day (7 May), Victory Day (9 May),
  Capital Day (6 July), Constitution Day (30 August), Republic Day
  (25 October) and Independence Day (16 December).
* Religious holidays: Orthodox Christmas (7 January) and the first day of
  Kurban Ait, whose date follows the lunar calendar and is announced each
  year (2025-06-06, 2026-05-27, 2027-05-16).

Substitute-day rule (Labour Code, article 85): when a holiday other than a
religious one falls on a Saturday or Sunday, the day off moves to the next
working day. The substitute is a separate entry named "Day off in lieu of
...". Each substitute lands on the first Monday-to-Friday date after the
holiday that is not already a holiday or another substitute, so when two
Nauryz days fall on a weekend they produce two consecutive substitutes.
Orthodox Christmas and Kurban Ait get no substitute.

Day-off transfers that the Government announces by decree for a particular
year (for example a working Saturday exchanged for a bridge day) are left
out on purpose; a superuser adds them through the admin once published.

Every weekday below was checked with ``datetime.date.weekday()``. Tuples are
(ISO date, name in English, name in Russian, name in Kazakh), sorted by date.
"""

# Upload formats: "pdf", "png", "jpeg", "docx", "xlsx"; sizes in megabytes.
DOCUMENT_REQUIREMENTS = [
    {
        "code": "charter",
        "name_en": "Charter (articles of association)",
        "name_ru": "Устав (учредительные документы)",
        "name_kk": "Жарғы (құрылтай құжаттары)",
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "docx"],
        "max_size_mb": 20,
    },
    {
        "code": "paid_up_capital",
        "name_en": "Proof of paid-up share capital",
        "name_ru": "Документы, подтверждающие оплату уставного капитала",
        "name_kk": "Жарғылық капиталдың төленгенін растайтын құжаттар",
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "xlsx"],
        "max_size_mb": 20,
    },
    {
        "code": "aml_cft_policy",
        "name_en": "AML/CFT internal control rules",
        "name_ru": (
            "Правила внутреннего контроля в целях противодействия легализации "
            "(отмыванию) доходов, полученных преступным путём, и финансированию "
            "терроризма"
        ),
        "name_kk": (
            "Қылмыстық жолмен алынған кірістерді заңдастыруға (жылыстатуға) және "
            "терроризмді қаржыландыруға қарсы іс-қимыл мақсатындағы ішкі бақылау "
            "қағидалары"
        ),
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "docx"],
        "max_size_mb": 20,
    },
    {
        "code": "risk_management",
        "name_en": "Risk management framework",
        "name_ru": "Система управления рисками (политика и процедуры)",
        "name_kk": "Тәуекелдерді басқару жүйесі (саясаты мен рәсімдері)",
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "docx"],
        "max_size_mb": 20,
    },
    {
        "code": "infosec_audit",
        "name_en": "Information security audit report",
        "name_ru": "Отчёт об аудите информационной безопасности",
        "name_kk": "Ақпараттық қауіпсіздік аудитінің есебі",
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "docx"],
        "max_size_mb": 20,
    },
    {
        "code": "business_plan",
        "name_en": "Business plan",
        "name_ru": "Бизнес-план",
        "name_kk": "Бизнес-жоспар",
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "docx", "xlsx"],
        "max_size_mb": 20,
    },
    {
        "code": "beneficial_ownership",
        "name_en": "Beneficial ownership declaration",
        "name_ru": "Декларация о бенефициарных собственниках",
        "name_kk": "Бенефициарлық меншік иелері туралы декларация",
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "docx"],
        "max_size_mb": 20,
    },
    {
        # Filed once for every key person of the applicant (SPEC section 6).
        "code": "fit_and_proper",
        "name_en": "Fit-and-proper declaration",
        "name_ru": ("Декларация о соответствии квалификационным требованиям и требованиям к деловой репутации"),
        "name_kk": ("Біліктілік талаптарына және іскерлік беделге қойылатын талаптарға сәйкестік туралы декларация"),
        "mandatory": True,
        "per_key_person": True,
        "formats": ["pdf", "png", "jpeg"],
        "max_size_mb": 20,
    },
    {
        "code": "listing_policy",
        "name_en": "Listing and delisting policy",
        "name_ru": "Политика листинга и делистинга цифровых финансовых активов",
        "name_kk": "Цифрлық қаржы активтерінің листингі және делистингі саясаты",
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "docx"],
        "max_size_mb": 20,
    },
    {
        "code": "custody_arrangements",
        "name_en": "Custody arrangements and segregation of client assets",
        "name_ru": "Порядок хранения и обособления активов клиентов",
        "name_kk": "Клиенттердің активтерін сақтау және оқшаулау тәртібі",
        "mandatory": True,
        "per_key_person": False,
        "formats": ["pdf", "docx"],
        "max_size_mb": 20,
    },
]

HOLIDAYS = [
    # 2025
    ("2025-01-01", "New Year", "Новый год", "Жаңа жыл"),
    ("2025-01-02", "New Year", "Новый год", "Жаңа жыл"),
    (
        "2025-01-07",
        "Orthodox Christmas",
        "Православное Рождество",
        "Православиелік Рождество",
    ),
    (
        "2025-03-08",
        "International Women's Day",
        "Международный женский день",
        "Халықаралық әйелдер күні",
    ),
    (
        "2025-03-10",
        "Day off in lieu of International Women's Day",
        "Выходной день, перенесённый в связи с Международным женским днём",
        "Халықаралық әйелдер күніне байланысты ауыстырылған демалыс күні",
    ),
    ("2025-03-21", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    ("2025-03-22", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    ("2025-03-23", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    (
        "2025-03-24",
        "Day off in lieu of Nauryz Meiramy",
        "Выходной день, перенесённый в связи с Наурыз мейрамы",
        "Наурыз мейрамына байланысты ауыстырылған демалыс күні",
    ),
    (
        "2025-03-25",
        "Day off in lieu of Nauryz Meiramy",
        "Выходной день, перенесённый в связи с Наурыз мейрамы",
        "Наурыз мейрамына байланысты ауыстырылған демалыс күні",
    ),
    (
        "2025-05-01",
        "Kazakhstan People's Unity Day",
        "Праздник единства народа Казахстана",
        "Қазақстан халқының бірлігі мерекесі",
    ),
    (
        "2025-05-07",
        "Defender of the Fatherland Day",
        "День защитника Отечества",
        "Отан қорғаушы күні",
    ),
    ("2025-05-09", "Victory Day", "День Победы", "Жеңіс күні"),
    (
        "2025-06-06",
        "Kurban Ait (first day)",
        "Курбан айт (первый день)",
        "Құрбан айттың бірінші күні",
    ),
    ("2025-07-06", "Capital Day", "День столицы", "Астана күні"),
    (
        "2025-07-07",
        "Day off in lieu of Capital Day",
        "Выходной день, перенесённый в связи с Днём столицы",
        "Астана күніне байланысты ауыстырылған демалыс күні",
    ),
    (
        "2025-08-30",
        "Constitution Day",
        "День Конституции Республики Казахстан",
        "Қазақстан Республикасының Конституциясы күні",
    ),
    (
        "2025-09-01",
        "Day off in lieu of Constitution Day",
        "Выходной день, перенесённый в связи с Днём Конституции",
        "Конституция күніне байланысты ауыстырылған демалыс күні",
    ),
    ("2025-10-25", "Republic Day", "День Республики", "Республика күні"),
    (
        "2025-10-27",
        "Day off in lieu of Republic Day",
        "Выходной день, перенесённый в связи с Днём Республики",
        "Республика күніне байланысты ауыстырылған демалыс күні",
    ),
    ("2025-12-16", "Independence Day", "День Независимости", "Тәуелсіздік күні"),
    # 2026
    ("2026-01-01", "New Year", "Новый год", "Жаңа жыл"),
    ("2026-01-02", "New Year", "Новый год", "Жаңа жыл"),
    (
        "2026-01-07",
        "Orthodox Christmas",
        "Православное Рождество",
        "Православиелік Рождество",
    ),
    (
        "2026-03-08",
        "International Women's Day",
        "Международный женский день",
        "Халықаралық әйелдер күні",
    ),
    (
        "2026-03-09",
        "Day off in lieu of International Women's Day",
        "Выходной день, перенесённый в связи с Международным женским днём",
        "Халықаралық әйелдер күніне байланысты ауыстырылған демалыс күні",
    ),
    ("2026-03-21", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    ("2026-03-22", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    ("2026-03-23", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    (
        "2026-03-24",
        "Day off in lieu of Nauryz Meiramy",
        "Выходной день, перенесённый в связи с Наурыз мейрамы",
        "Наурыз мейрамына байланысты ауыстырылған демалыс күні",
    ),
    (
        "2026-03-25",
        "Day off in lieu of Nauryz Meiramy",
        "Выходной день, перенесённый в связи с Наурыз мейрамы",
        "Наурыз мейрамына байланысты ауыстырылған демалыс күні",
    ),
    (
        "2026-05-01",
        "Kazakhstan People's Unity Day",
        "Праздник единства народа Казахстана",
        "Қазақстан халқының бірлігі мерекесі",
    ),
    (
        "2026-05-07",
        "Defender of the Fatherland Day",
        "День защитника Отечества",
        "Отан қорғаушы күні",
    ),
    ("2026-05-09", "Victory Day", "День Победы", "Жеңіс күні"),
    (
        "2026-05-11",
        "Day off in lieu of Victory Day",
        "Выходной день, перенесённый в связи с Днём Победы",
        "Жеңіс күніне байланысты ауыстырылған демалыс күні",
    ),
    (
        "2026-05-27",
        "Kurban Ait (first day)",
        "Курбан айт (первый день)",
        "Құрбан айттың бірінші күні",
    ),
    ("2026-07-06", "Capital Day", "День столицы", "Астана күні"),
    (
        "2026-08-30",
        "Constitution Day",
        "День Конституции Республики Казахстан",
        "Қазақстан Республикасының Конституциясы күні",
    ),
    (
        "2026-08-31",
        "Day off in lieu of Constitution Day",
        "Выходной день, перенесённый в связи с Днём Конституции",
        "Конституция күніне байланысты ауыстырылған демалыс күні",
    ),
    ("2026-10-25", "Republic Day", "День Республики", "Республика күні"),
    (
        "2026-10-26",
        "Day off in lieu of Republic Day",
        "Выходной день, перенесённый в связи с Днём Республики",
        "Республика күніне байланысты ауыстырылған демалыс күні",
    ),
    ("2026-12-16", "Independence Day", "День Независимости", "Тәуелсіздік күні"),
    # 2027
    ("2027-01-01", "New Year", "Новый год", "Жаңа жыл"),
    ("2027-01-02", "New Year", "Новый год", "Жаңа жыл"),
    (
        "2027-01-04",
        "Day off in lieu of New Year",
        "Выходной день, перенесённый в связи с Новым годом",
        "Жаңа жылға байланысты ауыстырылған демалыс күні",
    ),
    (
        "2027-01-07",
        "Orthodox Christmas",
        "Православное Рождество",
        "Православиелік Рождество",
    ),
    (
        "2027-03-08",
        "International Women's Day",
        "Международный женский день",
        "Халықаралық әйелдер күні",
    ),
    ("2027-03-21", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    ("2027-03-22", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    ("2027-03-23", "Nauryz Meiramy", "Наурыз мейрамы", "Наурыз мейрамы"),
    (
        "2027-03-24",
        "Day off in lieu of Nauryz Meiramy",
        "Выходной день, перенесённый в связи с Наурыз мейрамы",
        "Наурыз мейрамына байланысты ауыстырылған демалыс күні",
    ),
    (
        "2027-05-01",
        "Kazakhstan People's Unity Day",
        "Праздник единства народа Казахстана",
        "Қазақстан халқының бірлігі мерекесі",
    ),
    (
        "2027-05-03",
        "Day off in lieu of Kazakhstan People's Unity Day",
        "Выходной день, перенесённый в связи с Праздником единства народа Казахстана",
        "Қазақстан халқының бірлігі мерекесіне байланысты ауыстырылған демалыс күні",
    ),
    (
        "2027-05-07",
        "Defender of the Fatherland Day",
        "День защитника Отечества",
        "Отан қорғаушы күні",
    ),
    ("2027-05-09", "Victory Day", "День Победы", "Жеңіс күні"),
    (
        "2027-05-10",
        "Day off in lieu of Victory Day",
        "Выходной день, перенесённый в связи с Днём Победы",
        "Жеңіс күніне байланысты ауыстырылған демалыс күні",
    ),
    (
        "2027-05-16",
        "Kurban Ait (first day)",
        "Курбан айт (первый день)",
        "Құрбан айттың бірінші күні",
    ),
    ("2027-07-06", "Capital Day", "День столицы", "Астана күні"),
    (
        "2027-08-30",
        "Constitution Day",
        "День Конституции Республики Казахстан",
        "Қазақстан Республикасының Конституциясы күні",
    ),
    ("2027-10-25", "Republic Day", "День Республики", "Республика күні"),
    ("2027-12-16", "Independence Day", "День Независимости", "Тәуелсіздік күні"),
]
