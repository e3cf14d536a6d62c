from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Forkert brugernavn eller adgangskode. Bemærk, at der skelnes mellem store og "
            "små bogstaver."
        ),
        "inactive": _("Denne konto er deaktiveret."),
    }

    username = forms.CharField(
        label=_("Brugernavn"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Adgangskode"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
