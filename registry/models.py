"""The book of record: license types, licenses and their public history, permitted assets, warnings.

This app imports nothing from ``licensing``; ``licensing`` issues licenses through ``registry.services``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from common.names import fold, name_key


class TrilingualNamed(models.Model):
    """Reference data named in Kazakh, Russian and English; ``name`` follows the active language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en

    @property
    def names(self) -> dict[str, str]:
        """The name in every language, for the API: ``{"kk": ..., "ru": ..., "en": ...}``."""
        return {"kk": self.name_kk, "ru": self.name_ru, "en": self.name_en}


class CapitalClass(models.IntegerChoices):
    """Capital classes after MiCA article 67: each class allows its own services and those of the classes below."""

    CLASS_1 = 1, _("Class 1")
    CLASS_2 = 2, _("Class 2")
    CLASS_3 = 3, _("Class 3")


class Activity(TrilingualNamed):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    capital_class = models.PositiveSmallIntegerField(
        _("capital class"),
        choices=CapitalClass.choices,
        default=CapitalClass.CLASS_1,
        help_text=_("The lowest license class that allows this activity."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")


class LicenseType(TrilingualNamed):
    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("Prefix of license numbers, e.g. DAX."))
    description_kk = models.TextField(blank=True)
    description_ru = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    capital_class = models.PositiveSmallIntegerField(
        _("capital class"),
        choices=CapitalClass.choices,
        help_text=_("A license of this type allows every activity of this class and of the classes below."),
    )
    min_capital_kzt = models.PositiveBigIntegerField(_("minimum paid-up capital, KZT"))
    validity_years = models.PositiveSmallIntegerField(
        _("validity in years"), null=True, blank=True, help_text=_("Empty for an open-ended license.")
    )
    completeness_days = models.PositiveSmallIntegerField(_("completeness check, working days"), default=25)
    decision_days = models.PositiveSmallIntegerField(_("decision, working days"), default=40)
    response_days = models.PositiveSmallIntegerField(_("information request response, working days"), default=20)
    lapse_grace_days = models.PositiveSmallIntegerField(_("grace after response deadline, working days"), default=5)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["capital_class", "code"]
        verbose_name = _("license type")
        verbose_name_plural = _("license types")
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2,8}$"), name="license_type_code_upper")]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def allowed_activities(self) -> models.QuerySet[Activity]:
        """Every activity a license of this type allows: those of its class and of the classes below."""
        return Activity.objects.filter(capital_class__lte=self.capital_class)

    def allows(self, activity: Activity) -> bool:
        return activity.capital_class <= self.capital_class


class DFAClass(models.TextChoices):
    FIAT_BACKED = "fiat_backed", _("Backed by fiat currency (stablecoin)")
    ASSET_TOKENIZED = "asset_tokenized", _("Tokenized traditional asset")
    ELECTRONIC_FINANCIAL_INSTRUMENT = "electronic_financial_instrument", _("Electronic financial instrument")
    UNSECURED = "unsecured", _("Unsecured digital asset")


class DigitalAsset(models.Model):
    class Status(models.TextChoices):
        # A context of its own: "suspended" agrees with "asset" here and with "license" below in Russian.
        PERMITTED = "permitted", pgettext_lazy("asset status", "Permitted")
        SUSPENDED = "suspended", pgettext_lazy("asset status", "Suspended")
        DELISTED = "delisted", pgettext_lazy("asset status", "Delisted")

    symbol = models.CharField(_("symbol"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    dfa_class = models.CharField(_("DFA class"), max_length=40, choices=DFAClass.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PERMITTED)
    added_on = models.DateField(_("date added"))
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        ordering = ["dfa_class", "symbol"]
        verbose_name = _("digital asset")
        verbose_name_plural = _("permitted digital assets")

    def __str__(self) -> str:
        return f"{self.symbol} ({self.name})"


class DigitalAssetEvent(models.Model):
    """The public history of the permitted-asset list: additions, suspensions, reinstatements, delistings."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Added to the list")
        SUSPENDED = "suspended", _("Suspended")
        REINSTATED = "reinstated", _("Permitted again")
        DELISTED = "delisted", _("Delisted")

    asset = models.ForeignKey(DigitalAsset, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    # When it took effect (the supervisor's date), and when it was recorded.
    effective_on = models.DateField(_("with effect from"))
    recorded_at = models.DateTimeField(_("recorded"))
    reason = models.TextField(_("public reason"), blank=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("permitted-asset list event")
        verbose_name_plural = _("permitted-asset list history")

    def __str__(self) -> str:
        return f"{self.asset_id} {self.event} {self.effective_on:%Y-%m-%d}"


# --- Warning list (SPEC section 15) ------------------------------------------------------------------


def warning_keys(name: str, other_names: list[str], domains: list[str]) -> tuple[str, str]:
    """(name_key, search_text) of a warning-list entry; also used by the migration that filled them.

    The search text is the folded names, then the hosts, each between spaces: a name fragment is a
    substring of the first part, a host a ``" host "`` of the second (registry.warning_list.selectors).
    """
    names = " | ".join(fold(value) for value in [name, *other_names])
    return fold(name), f" {names} # {' '.join(domains)} "


class WarningEntryQuerySet(models.QuerySet):
    def active(self) -> WarningEntryQuerySet:
        return self.filter(status=WarningEntry.Status.ACTIVE)


class WarningEntry(models.Model):
    """An entity the regulator warns the public about: operating without a license.

    Written only by ``registry.warning_list.services`` (audited, with public history). Removal keeps
    the entry with its date. ``name_key`` and ``search_text`` are derived from the names and domains
    on every save: the first makes a second active entry of the same name impossible, the second is
    what the public search reads.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("On the list")
        REMOVED = "removed", _("Removed from the list")

    name = models.CharField(_("name"), max_length=300)
    other_names = models.JSONField(_("other names"), default=list, blank=True)
    # Normalised host names (common.domains): lower case, IDNA, no scheme, path, port or www.
    domains = models.JSONField(_("domains"), default=list, blank=True)
    lei = models.CharField(_("LEI"), max_length=20, blank=True)
    home_authority = models.CharField(_("home authority"), max_length=300, blank=True)
    # ISO 3166 codes, "FR" or "CY, IE": a regulator's file may name several states for one entity.
    home_country = models.CharField(_("home country"), max_length=40, blank=True)
    listed_on = models.DateField(_("listed on"))
    reason = models.TextField(_("reason"), blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    name_key = models.CharField(max_length=300, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WarningEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-listed_on", "name"]
        verbose_name = _("warning-list entry")
        verbose_name_plural = _("warning list")
        indexes = [models.Index(fields=["status", "listed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"], condition=Q(status="active"), name="one_active_warning_per_name"
            ),
            models.CheckConstraint(
                condition=Q(status="active", removed_on__isnull=True) | Q(status="removed", removed_on__isnull=False),
                name="removed_warning_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key, self.search_text = warning_keys(self.name, self.other_names, self.domains)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "search_text"}
        super().save(*args, **kwargs)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.other_names]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class WarningEvent(models.Model):
    """The public history of a warning-list entry: listed, listed again, changed, removed.

    ``at`` is the day the change took effect (a regulator's decision date for an imported entry);
    ``recorded_at`` the moment the portal recorded it.
    """

    class Kind(models.TextChoices):
        LISTED = "listed", _("Listed")
        RELISTED = "relisted", _("Listed again")
        UPDATED = "updated", _("Details changed")
        REMOVED = "removed", _("Removed from the list")

    entry = models.ForeignKey(WarningEntry, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    at = models.DateField(_("effective date"))
    recorded_at = models.DateTimeField(_("recorded"), db_index=True)
    # Codes of the fields an update changed (name, other_names, domains, ...), shown in the reader's language.
    changed = models.JSONField(_("changed fields"), default=list, blank=True)
    reason = models.TextField(_("public reason"), blank=True)

    class Meta:
        ordering = ["at", "recorded_at", "id"]
        verbose_name = _("warning-list event")
        verbose_name_plural = _("warning-list events")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.event} {self.at:%Y-%m-%d}"


# --- Licenses --------------------------------------------------------------------------------------------


class LicenseSequence(models.Model):
    """Last number issued per license type and year; locked row by row to keep numbers gap-free."""

    license_type = models.ForeignKey(LicenseType, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["license_type", "year"], name="one_sequence_per_type_year")]

    def __str__(self) -> str:
        return f"{self.license_type_id}-{self.year}: {self.last_value}"


class License(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        SURRENDERED = "surrendered", _("Surrendered")
        EXPIRED = "expired", _("Expired")

    number = models.CharField(_("license number"), max_length=32, unique=True)
    license_type = models.ForeignKey(LicenseType, on_delete=models.PROTECT, related_name="licenses")
    status = FSMField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, protected=True)
    # The application that led to this license, by id only: registry does not know licensing's models.
    application_id = models.BigIntegerField(null=True, blank=True, unique=True)
    holder_name = models.CharField(_("holder"), max_length=300)
    holder_latin_name = models.CharField(_("Latin name"), max_length=300, blank=True)
    holder_trading_names = models.JSONField(_("trading names"), default=list, blank=True)
    holder_bin = models.CharField(_("BIN"), max_length=12, db_index=True)
    holder_lei = models.CharField(_("LEI"), max_length=20, blank=True)
    holder_address = models.CharField(_("registered address"), max_length=500, blank=True)
    # A normalised host name (common.domains): "steppe.kz", never "https://www.Steppe.kz/".
    holder_website = models.CharField(_("website"), max_length=253, blank=True)
    holder_domains = models.JSONField(_("domains"), default=list, blank=True)
    # Every name of the holder reduced to one script and spelling (common.names.name_key): what name
    # search matches. Kept by save(); writers that bypass it (registry.bulk) compute it themselves.
    search_key = models.TextField(editable=False, blank=True, default="")
    activities = models.ManyToManyField(Activity, related_name="licenses", verbose_name=_("activities"))
    assets = models.ManyToManyField(DigitalAsset, related_name="licenses", blank=True, verbose_name=_("assets"))
    issued_at = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("license")
        verbose_name_plural = _("licenses")
        indexes = [models.Index(fields=["status", "license_type"]), models.Index(fields=["valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("issued_at")),
                name="license_valid_after_issue",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        self.search_key = name_key(*self.names())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.NAME_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The license's public page: where notices about it send the holder."""
        return reverse("registry:detail", args=[self.number])

    NAME_FIELDS = ("holder_name", "holder_latin_name", "holder_trading_names")

    def names(self) -> list[str]:
        return [self.holder_name, self.holder_latin_name, *(str(name) for name in self.holder_trading_names or [])]

    # Transitions change this object only; registry.services saves, records history and audits.
    @transition(field=status, source=Status.ACTIVE, target=Status.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=status, source=Status.SUSPENDED, target=Status.ACTIVE)
    def reinstate(self) -> None:
        pass

    @transition(field=status, source=[Status.ACTIVE, Status.SUSPENDED], target=Status.REVOKED)
    def revoke(self) -> None:
        pass

    @transition(field=status, source=[Status.ACTIVE, Status.SUSPENDED], target=Status.SURRENDERED)
    def surrender(self) -> None:
        pass

    @transition(field=status, source=[Status.ACTIVE, Status.SUSPENDED], target=Status.EXPIRED)
    def expire(self) -> None:
        pass


class LicenseEvent(models.Model):
    """The public history of a license: shown on its page, in the API and the change feed."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SUSPENDED = "suspended", _("Suspended")
        REINSTATED = "reinstated", _("Reinstated")
        REVOKED = "revoked", _("Revoked")
        SURRENDERED = "surrendered", _("Surrendered")
        EXPIRED = "expired", _("Expired")

    license = models.ForeignKey(License, on_delete=models.PROTECT, related_name="events")
    event = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    # When it took legal effect: for a license loaded from an earlier register, "issued" is its
    # authorisation date, long before the portal recorded it.
    at = models.DateTimeField(_("effective"), db_index=True)
    # When the register recorded it: what the change feed orders and resumes by.
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    reason = models.TextField(_("public reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("license event")
        verbose_name_plural = _("license events")
        indexes = [models.Index(fields=["recorded_at", "id"], name="registry_event_recorded")]

    def __str__(self) -> str:
        return f"{self.license_id} {self.event} {self.at:%Y-%m-%d}"


class Decision(models.Model):
    """A licensing decision as the public may know it: type, outcome, dates, working days; nobody's name.

    ``licensing`` records one at each approval and refusal (``registry.services.decision_record``),
    with the working days counted on its own calendar; the public statistics are computed from these.
    """

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    # The application decided, by id only (registry does not know licensing's models); never published.
    application_id = models.BigIntegerField(unique=True)
    license_type = models.ForeignKey(LicenseType, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    submitted_on = models.DateField(_("submitted on"))
    decided_on = models.DateField(_("decided on"), db_index=True)
    # Working days from submission to decision on Kazakhstan's calendar; empty if it could not be counted.
    working_days = models.PositiveIntegerField(_("working days"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__gte=models.F("submitted_on")), name="decision_after_submission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.license_type_id} {self.outcome} {self.decided_on:%Y-%m-%d}"


class NameWord(models.Model):
    """A word of some holder's name: the vocabulary the typo-tolerant search matches against.

    Filled by PostgreSQL triggers (migration 0005) whatever writes licenses; unused on SQLite.
    """

    word = models.TextField(primary_key=True)

    class Meta:
        db_table = "registry_nameword"

    def __str__(self) -> str:
        return self.word


class LicenseWord(models.Model):
    """Inverted index of holder names: which licenses have which word (PostgreSQL triggers fill it)."""

    pk = models.CompositePrimaryKey("word", "license")
    word = models.TextField()
    license = models.ForeignKey(
        License, to_field="number", db_column="number", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "registry_licenseword"

    def __str__(self) -> str:
        return f"{self.word}: {self.license_id}"
