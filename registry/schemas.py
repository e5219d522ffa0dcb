"""Shapes of the public JSON API (SPEC section 10), as published in /api/v1/openapi.json."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class Error(Schema):
    error: str = Field(description="What is wrong, naming the parameter when one is at fault.")
    parameter: str | None = Field(None, description="The query parameter at fault, if any.")


class Holder(Schema):
    name: str = Field(description="Legal name as registered, often in Kazakh or Russian Cyrillic.")
    latin_name: str = Field(description="The legal name in Latin letters, or empty.")
    trading_names: list[str] = Field(description="Brand names the holder trades under.")
    bin: str = Field(description="Business identification number, 12 digits.")
    lei: str = Field(description="Legal Entity Identifier, or empty.")
    address: str
    website: str = Field(description="Host name of the website (e.g. steppe.kz), or empty.")
    domains: list[str] = Field(description="Other host names the holder operates under.")


class LicenseOut(Schema):
    number: str = Field(examples=["DAX-2026-0001"])
    status: str = Field(description="active, suspended, revoked, surrendered or expired.")
    status_name: str = Field(description="The status in the language of the request.")
    holder: Holder
    license_type: str = Field(description="Code of the license type, e.g. DAX.")
    license_type_name: str
    activities: list[str] = Field(description="Codes of the licensed activities.")
    assets: list[str] = Field(description="Symbols of the digital assets the license covers.")
    issued_at: date
    valid_until: date | None = Field(description="Last day of validity; null for an open-ended license.")
    url: str = Field(description="The license's public page.")


class HistoryEvent(Schema):
    event: str = Field(description="issued, suspended, reinstated, revoked, surrendered or expired.")
    at: datetime = Field(description="When the event took legal effect.")
    recorded_at: datetime = Field(description="When this register recorded it.")
    reason: str


class ActivityOut(Schema):
    code: str
    name: str


class AssetRef(Schema):
    symbol: str
    name: str


class LicenseDetail(LicenseOut):
    activity_names: list[ActivityOut]
    asset_names: list[AssetRef]
    history: list[HistoryEvent]


class LicensePage(Schema):
    count: int = Field(ge=0, description="Matches; beyond 10,000 a lower bound (see count_is_exact).")
    count_is_exact: bool = Field(description="False when more than 10,000 licenses match and count is 10,000.")
    next: str | None
    previous: str | None
    results: list[LicenseOut]


class AssetEventOut(Schema):
    event: str = Field(description="added, suspended, reinstated or delisted.")
    on: date = Field(description="The day it took effect.")
    reason: str


class AssetOut(Schema):
    symbol: str
    name: str
    dfa_class: str = Field(description="fiat_backed, asset_tokenized, electronic_financial_instrument or unsecured.")
    dfa_class_name: str
    status: str = Field(description="permitted, suspended or delisted.")
    added_on: date
    status_changed_on: date | None
    history: list[AssetEventOut] = Field(description="Changes of the asset's place on the list, oldest first.")


class AssetList(Schema):
    count: int = Field(ge=0)
    results: list[AssetOut]


class ChangeOut(Schema):
    number: str
    event: str
    at: datetime = Field(description="When the event took legal effect.")
    recorded_at: datetime = Field(description="When this register recorded it; the feed's order.")
    reason: str
    status: str = Field(description="The license's status now.")


class ChangeFeed(Schema):
    next: str | None = Field(description="The next page of changes; null when there are no more yet.")
    results: list[ChangeOut]


class DecisionStatisticsOut(Schema):
    license_type: str = Field(description="Code of the license type, e.g. DAX.")
    license_type_name: str
    year: int = Field(description="Year of the decisions.")
    decided: int = Field(ge=0, description="Applications decided: granted plus refused.")
    granted: int = Field(ge=0)
    refused: int = Field(ge=0)
    granted_share: float = Field(ge=0, le=1, description="granted / decided.")
    median_working_days: float | None = Field(description="Median working days from submission to decision.")
    p90_working_days: int | None = Field(description="90th percentile (nearest rank) of the same.")


class StatisticsList(Schema):
    method: str = Field(description="How the figures are counted.")
    results: list[DecisionStatisticsOut]
