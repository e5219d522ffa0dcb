from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = "Licensing"

    def ready(self) -> None:
        # Connect the signals that rebuild the working-day calendar, and refresh the stored due
        # dates, when a holiday changes.
        from licensing import calendar, deadlines  # noqa: F401
