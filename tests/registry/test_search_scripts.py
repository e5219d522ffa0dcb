"""Search finds a name whatever script it is typed in (SPEC 11): Kazakh and Russian Cyrillic, Kazakh
Latin (2021 alphabet) and English transliteration; legal forms are optional and equivalent.

The same tests run on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

import pytest

from common.names import name_key, name_query
from registry import selectors
from registry.selectors import LicenseFilters

pytestmark = pytest.mark.django_db

# (name as registered, spellings people type that must find it). Real-style names of Kazakh and
# Russian companies; the spellings follow Kazakh Cyrillic, Russian Cyrillic, the Kazakh Latin alphabet
# of 2021 and the common English transliterations. Transliteration is not translation: English
# loanwords respelt in Cyrillic ("Трейд", "Кастоди") are not expected to meet their English originals.
NAMES = [
    ("ТОО «Алтын Капитал»", ["Алтын", "Altyn", "Altyn Capital", "Altyn Kapital LLP", "алтын капитал жшс"]),
    ("АО «Жібек Жолы Финанс»", ["Жібек Жолы", "Жибек Жолы", "Zhibek Zholy", "Jibek Joly", "Zhibek Zholy JSC"]),
    ("АО «Қазақстан Цифрлық Биржасы»", ["Қазақстан", "Казахстан", "Qazaqstan", "Kazakhstan", "Kazakstan"]),
    ("ТОО «Бәйтерек Инвест»", ["Бәйтерек", "Байтерек", "Baiterek", "Bayterek", "Bäiterek Invest"]),
    ("ЖШС «Шұғыла Пэй»", ["Шұғыла", "Шугыла", "Shugyla", "Shughyla", "Şuğyla"]),
    ("АҚ «Өркен Кастоди»", ["Өркен", "Оркен", "Orken", "Örken"]),
    ("ТОО «Ұлттық Цифрлық Актив»", ["Ұлттық", "Улттык", "Ulttyq", "Ulttyk", "Ūlttyq"]),
    ("ЖШС «Жетісу Капитал»", ["Жетісу", "Жетысу", "Zhetysu", "Zhetisu", "Jetisu"]),
    ("ТОО «Сарыарқа Диджитал»", ["Сарыарқа", "Сарыарка", "Saryarqa", "Saryarka"]),
    ("ТОО «Шымкент Крипто»", ["Шымкент", "Shymkent Crypto", "Şymkent", "Shymkent Kripto LLP"]),
    ("АО «Ақсу Трейд»", ["Ақсу", "Аксу", "Aqsu", "Aksu"]),
    ("ТОО «Көкжал Секьюритиз»", ["Көкжал", "Кокжал", "Kokzhal", "Kökjal"]),
    ("ЖШС «Тұмар Финтех»", ["Тұмар", "Тумар", "Tumar", "Tūmar"]),
    ("АО «Іргетас Холдинг»", ["Іргетас", "Иргетас", "Irgetas Holding"]),
    ("ТОО «Бүркіт Вэлт»", ["Бүркіт", "Буркит", "Burkit", "Bürkit"]),
    ("ТОО «Сұңқар Пэй»", ["Сұңқар", "Сункар", "Sunkar", "Sunqar", "Suñqar"]),
    ("АО «Қазына Капитал Менеджмент»", ["Қазына", "Казына", "Qazyna", "Kazyna Capital"]),
    ("ТОО «Бахыт Инвест»", ["Бахыт", "Bakhyt", "Bahyt Invest"]),
    ("АО «Евразийский Цифровой Банк»", ["Евразийский", "Evraziyskiy", "Evraziiskii"]),
    ("ТОО «Степной Беркут»", ["Степной", "Stepnoy", "Stepnoi Berkut"]),
    ("ТОО «Нұр Сауда»", ["Нұр Сауда", "Нур Сауда", "Nur Sauda", "Nūr Sauda"]),
    ("АО «Самұрық Диджитал»", ["Самұрық", "Samuryq", "Samuryk"]),
    ("ТОО «Тұлпар Ассет Менеджмент»", ["Тулпар", "Tulpar", "Tūlpar Asset"]),
    ("АО «Арман Секьюритис»", ["Арман", "Arman"]),
    ("ЖШС «Ертіс Капитал»", ["Ертіс", "Ертис", "Ertis", "Ertis Capital"]),
    ("ТОО «Есіл Финанс»", ["Есіл", "Есиль", "Esil", "Esil Finans"]),
    ("АО «Береке Банк»", ["Береке", "Bereke Bank"]),
    ("ТОО «Жұлдыз Трейдинг»", ["Жұлдыз", "Жулдыз", "Zhuldyz", "Juldyz"]),
    ("ТОО «Шалқар Крипто»", ["Шалқар", "Шалкар", "Shalkar", "Şalqar"]),
    ("АО «Ақ Орда Кастоди»", ["Ақ Орда", "Ак Орда", "Aq Orda", "Ak Orda"]),
    ("ТОО «Мейірім Пэй»", ["Мейірім", "Мейирим", "Meyirim", "Meiirim"]),
    ("ЖШС «Күміс Валют»", ["Күміс", "Кумис", "Kumis", "Kümis"]),
    ("АО «Тараз Инвест»", ["Тараз", "Taraz Invest"]),
    ("ТОО «Семей Эксчейндж»", ["Семей", "Semey", "Semei"]),
    ("ТОО «Өскемен Диджитал»", ["Өскемен", "Оскемен", "Oskemen", "Öskemen"]),
    ("АО «Атырау Ойл Токен»", ["Атырау", "Atyrau Oil Token JSC"]),
    ("ТОО «Қызылорда Капитал»", ["Қызылорда", "Кызылорда", "Kyzylorda", "Qyzylorda"]),
    ("ЖШС «Ләззат Трейд»", ["Ләззат", "Lazzat", "Läzzat"]),
    ("АО «Жаңа Жол»", ["Жаңа Жол", "Жана Жол", "Zhana Zhol", "Jaña Jol"]),
    ("ТОО «Ғалым Тех»", ["Ғалым", "Галым", "Galym", "Ghalym", "Ğalym"]),
    ("Halyk Crypto LLP", ["Халық", "Халык", "Halyk", "Khalyq Crypto"]),
    ("Jusan Invest JSC", ["Жусан", "Jusan", "Zhusan Invest"]),
    ("Atameken Exchange LLP", ["Атамекен", "Atameken"]),
    ("Tengri Capital Ltd", ["Тенгри Капитал", "Tengri Capital Limited"]),
]


def _found(q: str) -> set[str]:
    return {license.holder_name for license in selectors.license_search(filters=LicenseFilters(q=q)).page(0, 100)}


def test_the_table_holds_at_least_forty_names():
    assert len(NAMES) >= 40
    assert sum(len(spellings) for _, spellings in NAMES) >= 150


def test_every_spelling_finds_its_holder_whatever_the_script(make_license):
    for name, _ in NAMES:
        make_license(holder_name=name)

    missed = [(q, name) for name, spellings in NAMES for q in spellings if name not in _found(q)]

    assert missed == []


def test_a_cyrillic_name_typed_in_latin_does_not_find_other_holders(make_license):
    for name, _ in NAMES:
        make_license(holder_name=name)

    assert _found("Zhibek Zholy") == {"АО «Жібек Жолы Финанс»"}
    assert _found("Qazaqstan") == {"АО «Қазақстан Цифрлық Биржасы»"}


@pytest.mark.parametrize(
    ("typed", "registered"),
    [
        ("Steppe Capital LLP", "Steppe Capital Limited Liability Partnership"),
        ("Steppe Capital ТОО", "Steppe Capital LLP"),
        ("Steppe Capital", "ТОО «Steppe Capital»"),
        ("Steppe Capital ЖШС", "Steppe Capital LLP"),
        ("Steppe Capital JSC", "АО «Steppe Capital»"),
        ("Steppe Capital АҚ", "Steppe Capital Joint Stock Company"),
        ("Steppe Capital Ltd", "Steppe Capital Limited"),
        ("Steppe Capital Limited", "Steppe Capital Ltd."),
        ("Steppe Capital GmbH", "Steppe Capital Gesellschaft mit beschränkter Haftung"),
        ("Steppe Capital AG", "Steppe Capital Aktiengesellschaft"),
        ("Steppe Capital SA", "Steppe Capital S.A."),
        ("Steppe Capital B.V.", "Steppe Capital BV"),
        ("Steppe Capital SE", "Steppe Capital"),
        ("Steppe Capital UAB", "UAB Steppe Capital"),
        ("Steppe Capital s.r.o.", "Steppe Capital spol. s r.o."),
        ("Steppe Capital LLC", "ООО «Steppe Capital»"),
    ],
)
def test_legal_forms_are_optional_and_equivalent(make_license, typed, registered):
    license = make_license(holder_name=registered)

    assert license.holder_name in _found(typed)


def test_a_legal_form_alone_lists_the_holders_of_that_form(make_license):
    make_license(holder_name="ТОО «Алтын»")
    make_license(holder_name="Tulpar LLP")
    make_license(holder_name="АО «Береке»")

    assert _found("ЖШС") == {"ТОО «Алтын»", "Tulpar LLP"}


def test_name_keys_fold_scripts_and_forms_together():
    assert (
        name_key("ТОО «Жібек Жолы»")
        == name_key("Jibek Joly LLP")
        == name_key("Zhibek Zholy Limited Liability Partnership")
    )
    assert name_query("Altyn LLP") == name_query("Алтын")
    assert not name_query("«»")
