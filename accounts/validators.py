"""Django's password rules with the portal's own words.

Django's Kazakh catalogue has none of its password messages, so a Kazakh sign-up showed them in
English; these subclasses keep Django's rules and give each message and hint in the portal's catalogues.
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.", "At least %(min_length)d characters.", self.min_length
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password is too like your own details (%(verbose_name)s). Choose another.")

    def get_help_text(self):
        return _("Not like your name or e-mail address.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one of the most common ones. Choose another.")

    def get_help_text(self):
        return _("Not a common password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password has only digits. Add letters or other characters.")

    def get_help_text(self):
        return _("Not only digits.")
