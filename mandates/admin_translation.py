"""The admin page that imports an official translation of a resolution (the same as
`import_resolution FILE --translation-of SYMBOL [--language es]`, mandates/translations.py):
paste or upload the translated text, choose the resolution (and the language, or let it be
recognised); labels that do not match are refused with the labels that differ, nothing saved."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .admin_import_forms import MAX_UPLOAD_BYTES
from .importer import ImportFailed, read_bytes
from .models import Resolution
from .translations import TranslationRefused, import_translation, language_name

URL_NAME = "mandates_resolution_import_translation"


class TranslationForm(forms.Form):
    resolution = forms.ModelChoiceField(
        label=gettext_lazy("Resolution"),
        queryset=Resolution.objects.order_by("-adopted_on", "symbol"),
        to_field_name="symbol",
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        help_text=gettext_lazy("Leave empty to recognise it from the text."),
    )
    text = forms.CharField(
        label=gettext_lazy("Translated text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100, "class": "vLargeTextField"}),
        help_text=gettext_lazy(
            "The official translation as published, from its symbol to the end."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("… or upload it"),
        required=False,
        help_text=gettext_lazy("Plain text (UTF-8), a PDF with a text layer, or .docx."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *settings.LANGUAGES]

    def clean(self):
        data = super().clean()
        text, upload = data.get("text") or "", data.get("file")
        if upload and text.strip():
            raise ValidationError(_("Paste the text or upload a file, not both."))
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(_("The file is larger than 10 MB."))
            try:
                text = read_bytes(upload.read(), upload.name)
            except ImportFailed as exc:
                raise ValidationError(str(exc)) from exc
        if not text.strip():
            raise ValidationError(_("Paste the translated text or upload a file."))
        data["source_text"] = text
        return data


class TranslationImportView:
    template = "admin/mandates/import_translation.html"

    def __init__(self, admin_site):
        self.site = admin_site

    def __call__(self, request):
        if not request.user.has_perm("mandates.change_resolution"):
            raise PermissionDenied
        if request.method == "POST":
            form = TranslationForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    result = import_translation(
                        data["source_text"], data["resolution"].symbol, data["language"] or None
                    )
                except TranslationRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        _("%(symbol)s in %(language)s: title and %(count)d paragraphs saved.")
                        % {
                            "symbol": result.resolution.symbol,
                            "language": language_name(result.language),
                            "count": result.paragraphs,
                        },
                    )
                    for warning in result.warnings:
                        messages.warning(request, warning)
                    return HttpResponseRedirect(
                        reverse(
                            f"{self.site.name}:mandates_resolution_change",
                            args=[result.resolution.pk],
                        )
                    )
        else:
            form = TranslationForm(initial={"resolution": request.GET.get("resolution")})
        return TemplateResponse(
            request,
            self.template,
            {
                **self.site.each_context(request),
                "opts": Resolution._meta,
                "title": _("Import an official translation"),
                "form": form,
            },
        )


def get_translation_urls(admin_site=None) -> list:
    site = admin_site or admin.site
    return [
        path(
            "import/translation/",
            site.admin_view(TranslationImportView(site)),
            name=URL_NAME,
        )
    ]
