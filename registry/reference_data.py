"""Reference data for the registry app, loaded by data migrations.

ACTIVITIES are the ten regulated services for digital financial assets (DFA)
under the January 2026 amendments to the Law on Banks and Banking Activities
(SPEC section 5), one to one with the crypto-asset services a-j of MiCA article
3(1)(16). License types are capital classes after MiCA article 67
(ACTIVITY_CAPITAL_CLASSES, LICENSE_TYPE_CAPITAL_CLASSES): a type allows every
activity of its class and of the classes below, so LICENSE_TYPES list, per
type, all the activities it allows, with the minimum paid-up capital, the
validity, the statutory deadlines (SPEC section 8) and the documents an
applicant must file; the document codes are defined in
``licensing.reference_data.DOCUMENT_REQUIREMENTS``. ASSETS is the initial
permitted-asset list.

Tuples are (code, name in English, name in Russian, name in Kazakh) unless
stated otherwise. Every value is a plain literal so that a migration can
import this module without Django.
"""

ACTIVITIES = [
    (
        "custody",
        "Custody of digital financial assets on behalf of clients",
        "Хранение цифровых финансовых активов в интересах клиентов",
        "Клиенттердің мүддесінде цифрлық қаржы активтерін сақтау",
    ),
    (
        "trading_platform",
        "Operation of a trading platform for digital financial assets",
        "Обеспечение функционирования торговой платформы цифровых финансовых активов",
        ("Цифрлық қаржы активтерінің сауда платформасының жұмыс істеуін қамтамасыз ету"),
    ),
    (
        "dfa_fiat_exchange",
        "Exchange of digital financial assets for fiat currency",
        "Обмен цифровых финансовых активов на фиатную валюту",
        "Цифрлық қаржы активтерін фиаттық валютаға айырбастау",
    ),
    (
        "dfa_dfa_exchange",
        "Exchange of digital financial assets for other digital financial assets",
        "Обмен цифровых финансовых активов на другие цифровые финансовые активы",
        "Цифрлық қаржы активтерін басқа цифрлық қаржы активтеріне айырбастау",
    ),
    (
        "order_execution",
        "Execution of orders on behalf of clients",
        "Исполнение приказов от имени клиентов",
        "Клиенттердің атынан бұйрықтарды орындау",
    ),
    (
        "placing",
        "Placing of digital financial assets",
        "Размещение цифровых финансовых активов",
        "Цифрлық қаржы активтерін орналастыру",
    ),
    (
        "order_transmission",
        "Reception and transmission of orders on behalf of clients",
        "Приём и передача приказов клиентов",
        "Клиенттердің бұйрықтарын қабылдау және беру",
    ),
    (
        "advice",
        "Advice on digital financial assets",
        "Консультирование по цифровым финансовым активам",
        "Цифрлық қаржы активтері бойынша кеңес беру",
    ),
    (
        "portfolio_management",
        "Portfolio management of digital financial assets",
        "Управление портфелем цифровых финансовых активов",
        "Цифрлық қаржы активтерінің портфелін басқару",
    ),
    (
        "transfer",
        "Transfer of digital financial assets on behalf of clients",
        "Перевод цифровых финансовых активов по поручению клиентов",
        "Клиенттердің тапсырмасы бойынша цифрлық қаржы активтерін аудару",
    ),
]

# Capital classes after MiCA article 67. Class 1: advice, reception and transmission, execution,
# placing, portfolio management, transfer; class 2 adds custody and both exchanges; class 3 adds
# operating a trading platform.
ACTIVITY_CAPITAL_CLASSES = {
    "advice": 1,
    "order_transmission": 1,
    "order_execution": 1,
    "placing": 1,
    "portfolio_management": 1,
    "transfer": 1,
    "custody": 2,
    "dfa_fiat_exchange": 2,
    "dfa_dfa_exchange": 2,
    "trading_platform": 3,
}
LICENSE_TYPE_CAPITAL_CLASSES = {"DAB": 1, "DAC": 2, "DAX": 3}

_CLASS_1 = ["advice", "order_transmission", "order_execution", "placing", "portfolio_management", "transfer"]
_CLASS_2 = [*_CLASS_1, "custody", "dfa_fiat_exchange", "dfa_dfa_exchange"]
_CLASS_3 = [*_CLASS_2, "trading_platform"]

# Deadlines are in working days (weekends and the holiday calendar excluded):
# completeness check after submission, decision after confirmed completeness,
# applicant's answer to an information request, and the grace period before an
# unanswered application lapses. validity_years None means the license is
# open-ended. "activities" are all those the type allows.
LICENSE_TYPES = [
    {
        "code": "DAX",
        "name_en": "Digital asset exchange (class 3)",
        "name_ru": "Биржа цифровых финансовых активов (класс 3)",
        "name_kk": "Цифрлық қаржы активтерінің биржасы (3-сынып)",
        "description_en": (
            "Operates a trading platform for digital financial assets, and may also provide every class 2 "
            "and class 1 service: custody, exchange for fiat currency or other digital financial assets, "
            "order execution and transmission, placing, advice, portfolio management and transfer."
        ),
        "description_ru": (
            "Обеспечивает функционирование торговой платформы цифровых финансовых активов и может оказывать "
            "все услуги классов 2 и 1: хранение, обмен на фиатную валюту или другие цифровые финансовые "
            "активы, исполнение и передачу приказов, размещение, консультирование, управление портфелем и перевод."
        ),
        "description_kk": (
            "Цифрлық қаржы активтерінің сауда платформасының жұмыс істеуін қамтамасыз етеді және 2 және 1-сынып "
            "қызметтерінің барлығын көрсете алады: сақтау, фиаттық валютаға немесе басқа цифрлық қаржы "
            "активтеріне айырбастау, бұйрықтарды орындау және беру, орналастыру, кеңес беру, портфельді басқару "
            "және аудару."
        ),
        "activities": _CLASS_3,
        "min_capital_kzt": 1_500_000_000,
        "validity_years": 5,
        "completeness_days": 25,
        "decision_days": 40,
        "response_days": 20,
        "lapse_grace_days": 5,
        "documents": [
            "charter",
            "paid_up_capital",
            "aml_cft_policy",
            "risk_management",
            "infosec_audit",
            "business_plan",
            "beneficial_ownership",
            "fit_and_proper",
            "listing_policy",
        ],
    },
    {
        "code": "DAC",
        "name_en": "Digital asset custody and exchange (class 2)",
        "name_ru": "Хранение и обмен цифровых финансовых активов (класс 2)",
        "name_kk": "Цифрлық қаржы активтерін сақтау және айырбастау (2-сынып)",
        "description_en": (
            "Holds digital financial assets and the private keys to them on behalf of clients, segregated from "
            "its own assets, exchanges them for fiat currency or other digital financial assets, and may also "
            "provide every class 1 service."
        ),
        "description_ru": (
            "Хранит цифровые финансовые активы клиентов и закрытые ключи к ним обособленно от собственных "
            "активов, обменивает их на фиатную валюту или другие цифровые финансовые активы и может оказывать "
            "все услуги класса 1."
        ),
        "description_kk": (
            "Клиенттердің цифрлық қаржы активтерін және оларға арналған жабық кілттерді меншікті активтерінен "
            "оқшау сақтайды, оларды фиаттық валютаға немесе басқа цифрлық қаржы активтеріне айырбастайды және "
            "1-сынып қызметтерінің барлығын көрсете алады."
        ),
        "activities": _CLASS_2,
        "min_capital_kzt": 750_000_000,
        "validity_years": 5,
        "completeness_days": 25,
        "decision_days": 40,
        "response_days": 20,
        "lapse_grace_days": 5,
        "documents": [
            "charter",
            "paid_up_capital",
            "aml_cft_policy",
            "risk_management",
            "infosec_audit",
            "business_plan",
            "beneficial_ownership",
            "fit_and_proper",
            "custody_arrangements",
        ],
    },
    {
        "code": "DAB",
        "name_en": "Digital asset brokerage and advice (class 1)",
        "name_ru": "Брокерские и консультационные услуги с цифровыми финансовыми активами (класс 1)",
        "name_kk": "Цифрлық қаржы активтерімен брокерлік және консультациялық қызметтер (1-сынып)",
        "description_en": (
            "Receives, transmits and executes clients' orders, places digital financial assets, advises on "
            "them, manages portfolios and transfers digital financial assets on behalf of clients."
        ),
        "description_ru": (
            "Принимает, передаёт и исполняет приказы клиентов, размещает цифровые финансовые активы, "
            "консультирует по ним, управляет портфелями и переводит цифровые финансовые активы по поручению "
            "клиентов."
        ),
        "description_kk": (
            "Клиенттердің бұйрықтарын қабылдайды, береді және орындайды, цифрлық қаржы активтерін "
            "орналастырады, олар бойынша кеңес береді, портфельдерді басқарады және клиенттердің тапсырмасы "
            "бойынша цифрлық қаржы активтерін аударады."
        ),
        "activities": _CLASS_1,
        "min_capital_kzt": 300_000_000,
        "validity_years": None,
        "completeness_days": 25,
        "decision_days": 40,
        "response_days": 20,
        "lapse_grace_days": 5,
        "documents": [
            "charter",
            "paid_up_capital",
            "aml_cft_policy",
            "risk_management",
            "infosec_audit",
            "business_plan",
            "beneficial_ownership",
            "fit_and_proper",
        ],
    },
]

# Permitted-asset list: (symbol, name, dfa_class, status, date added).
# Status is "permitted", "suspended" or "delisted". The first list was
# published on 15 January 2026; later dates are additions. Statuses are demo
# data, not statements about any real issuer. Issuers with Kazakh-sounding
# names in the tokenized and electronic-instrument entries are fictitious.
ASSETS = [
    # Unsecured digital assets.
    ("BTC", "Bitcoin", "unsecured", "permitted", "2026-01-15"),
    ("ETH", "Ethereum", "unsecured", "permitted", "2026-01-15"),
    ("SOL", "Solana", "unsecured", "permitted", "2026-01-15"),
    ("XRP", "XRP", "unsecured", "permitted", "2026-01-15"),
    ("ADA", "Cardano", "unsecured", "permitted", "2026-01-15"),
    ("TON", "Toncoin", "unsecured", "permitted", "2026-01-15"),
    ("LTC", "Litecoin", "unsecured", "permitted", "2026-01-15"),
    ("DOT", "Polkadot", "unsecured", "permitted", "2026-03-12"),
    ("AVAX", "Avalanche", "unsecured", "permitted", "2026-03-12"),
    ("TRX", "TRON", "unsecured", "permitted", "2026-03-12"),
    ("LINK", "Chainlink", "unsecured", "permitted", "2026-06-17"),
    ("XMR", "Monero", "unsecured", "delisted", "2026-01-15"),
    # Digital assets backed by fiat currency.
    ("USDT", "Tether USD", "fiat_backed", "permitted", "2026-01-15"),
    ("USDC", "USD Coin", "fiat_backed", "permitted", "2026-01-15"),
    ("KZTE", "Evo tenge", "fiat_backed", "permitted", "2026-02-05"),
    ("EURC", "Euro Coin", "fiat_backed", "permitted", "2026-03-12"),
    ("PYUSD", "PayPal USD", "fiat_backed", "permitted", "2026-06-17"),
    ("RLUSD", "Ripple USD", "fiat_backed", "permitted", "2026-09-09"),
    # Tokenized traditional assets.
    ("PAXG", "PAX Gold", "asset_tokenized", "permitted", "2026-02-05"),
    ("XAUT", "Tether Gold", "asset_tokenized", "permitted", "2026-02-05"),
    (
        "BUIDL",
        "BlackRock USD Institutional Digital Liquidity Fund",
        "asset_tokenized",
        "permitted",
        "2026-04-16",
    ),
    (
        "BENJI",
        "Franklin OnChain U.S. Government Money Fund",
        "asset_tokenized",
        "permitted",
        "2026-04-16",
    ),
    (
        "OUSG",
        "Ondo Short-Term US Government Treasuries",
        "asset_tokenized",
        "permitted",
        "2026-07-15",
    ),
    (
        "AQJL",
        "Aqjol Polymetal JSC tokenized ordinary shares",
        "asset_tokenized",
        "suspended",
        "2026-05-14",
    ),
    (
        "ZHRQ29",
        "Zheruiyq Solar tokenized green bond 2029",
        "asset_tokenized",
        "permitted",
        "2026-08-12",
    ),
    (
        "TUMAR",
        "Tumar Residential Real Estate Fund tokenized units",
        "asset_tokenized",
        "permitted",
        "2026-10-14",
    ),
    # Electronic financial instruments.
    (
        "TLPN27",
        "Tulpar Digital Note 2027",
        "electronic_financial_instrument",
        "permitted",
        "2026-06-10",
    ),
    (
        "SRPO",
        "Saryarqa Overnight KZT Repo Token",
        "electronic_financial_instrument",
        "suspended",
        "2026-07-08",
    ),
    (
        "ARDCP",
        "Aralas Digital Commercial Paper",
        "electronic_financial_instrument",
        "permitted",
        "2026-09-23",
    ),
    (
        "ESDN28",
        "Esil Structured Digital Note 2028",
        "electronic_financial_instrument",
        "permitted",
        "2026-11-18",
    ),
]
