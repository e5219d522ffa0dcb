"""Reference data for the licensing app, loaded by data migrations.

DOCUMENT_REQUIREMENTS lists the documents an applicant may be asked to file.
Which of them a given license type requires is set in
``registry.reference_data.LICENSE_TYPES`` (key ``documents``).
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

# Migration 0002 loaded the 2025-2027 holidays from here into a table; since 0011 the working-day
# calendar comes from the ``holidays`` library and the table of decreed transfers (licensing.calendar).
HOLIDAYS: list[tuple[str, str, str, str]] = []
