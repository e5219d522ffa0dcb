"""The client's address, as the API rate limit and the sign-in lockout count it, behind trusted proxies."""

from common.http import client_address


def test_the_remote_address_counts_when_no_proxy_is_trusted(rf, settings):
    settings.API_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/api/v1/licenses/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "10.0.0.5"


def test_the_address_the_trusted_proxies_saw_counts(rf, settings):
    settings.API_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the one proxy we run appended the address it saw.
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"

    settings.API_TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9, 10.0.0.4")
    assert client_address(request) == "203.0.113.9"


def test_a_trusted_proxy_count_longer_than_the_header_falls_back_to_the_remote_address(rf, settings):
    settings.API_TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "10.0.0.5"


def test_a_forwarded_entry_that_is_not_an_address_is_not_believed(rf, settings):
    settings.API_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="'; DROP TABLE --")
    assert client_address(request) == "10.0.0.5"
