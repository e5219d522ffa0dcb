from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Public registry"

    def ready(self) -> None:
        # Cached public answers are keyed by a register version that these signals bump.
        from registry.cache import connect_signals

        connect_signals()
