import pytest

from common.domains import InvalidHost, display_host, normalise_host, normalise_hosts, split_hosts


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("steppe.kz", "steppe.kz"),
        ("https://WWW.Steppe-Exchange.kz:443/about?x=1#top", "steppe-exchange.kz"),
        ("http://user:secret@trade.example.com/", "trade.example.com"),
        ("  www.example.kz.  ", "example.kz"),
        ("example.kz\u00a0", "example.kz"),
        ("HTTPS://Пример.ҚАЗ/path", "xn--e1afmkfd.xn--80ao21a"),
        ("xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai"),
        ("www.kz", "www.kz"),
    ],
)
def test_a_typed_address_is_stored_as_its_normalised_host(typed, stored):
    assert normalise_host(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", "example", "bad_host.kz", "1.2.3.4", "http://[::1]/", "-a.kz", "a.k"])
def test_what_is_not_a_host_name_is_refused_with_a_reason(typed):
    with pytest.raises(InvalidHost) as refusal:
        normalise_host(typed)
    assert str(refusal.value)


def test_several_addresses_are_split_normalised_and_deduplicated():
    assert split_hosts("a.kz, https://b.kz/x\nwww.a.kz | c.kz;d.kz") == [
        "a.kz",
        "https://b.kz/x",
        "www.a.kz",
        "c.kz",
        "d.kz",
    ]
    assert normalise_hosts(split_hosts("a.kz, https://b.kz/x\nwww.a.kz")) == ["a.kz", "b.kz"]


def test_the_refusal_names_the_bad_address():
    with pytest.raises(InvalidHost, match=r"^bad_host\.kz: "):
        normalise_hosts(["good.kz", "bad_host.kz"])


def test_an_internationalised_host_is_shown_in_its_own_script():
    assert display_host("xn--e1afmkfd.xn--80ao21a") == "пример.қаз"
    assert display_host("steppe.kz") == "steppe.kz"
