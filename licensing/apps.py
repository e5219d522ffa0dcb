from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = "Licensing"

    def ready(self) -> None:
        # Connects the signals that rebuild the working-day calendar when a holiday changes.
        from licensing import calendar  # noqa: F401
