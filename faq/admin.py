"""The FAQ in the admin: an entry with one text per language, saved through the service."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from residence import languages

from . import services
from .models import ANSWER_MAX, QUESTION_MAX, FaqEntry


class FaqEntryAdminForm(forms.ModelForm):
    """The entry's fields and a question and answer box per configured language."""

    class Meta:
        model = FaqEntry
        fields = ["slug", "position", "is_published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = self.instance.texts() if self.instance.pk else {}
        for code, name in languages.choices():
            key = languages.field_key(code)
            attrs = {"lang": languages.html_tag(code), "dir": "rtl" if languages.is_rtl(code) else "ltr"}
            self.fields[f"question_{key}"] = forms.CharField(
                label=f"Question ({name})",
                required=code == languages.FALLBACK,
                max_length=QUESTION_MAX,
                widget=forms.TextInput(attrs=attrs),
                initial=(texts.get(code) or {}).get("question", ""),
            )
            self.fields[f"answer_{key}"] = forms.CharField(
                label=f"Answer ({name})",
                required=code == languages.FALLBACK,
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={**attrs, "rows": 4}),
                initial=(texts.get(code) or {}).get("answer", ""),
            )

    def texts(self) -> dict[str, dict[str, str]]:
        out = {}
        for code in languages.codes():
            key = languages.field_key(code)
            question = self.cleaned_data.get(f"question_{key}") or ""
            answer = self.cleaned_data.get(f"answer_{key}") or ""
            if question or answer:
                out[code] = {"question": question, "answer": answer}
        return out

    def clean(self):
        cleaned = super().clean()
        for code, row in self.texts().items():
            key = languages.field_key(code)
            for name in ("question", "answer"):
                if not row[name]:
                    self.add_error(
                        f"{name}_{key}", ValidationError(forms.Field.default_error_messages["required"])
                    )
        return cleaned


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    form = FaqEntryAdminForm
    list_display = ["__str__", "slug", "position", "is_published", "updated_at"]
    list_editable = []
    ordering = ["position", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")

    def _allowed(self, request) -> bool:
        return services.user_can_edit(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        # Unpublish instead: the audit log refers to entries.
        return False

    def save_model(self, request, obj, form, change):
        services.faq_entry_save(actor=request.user, entry=obj, texts=form.texts())
