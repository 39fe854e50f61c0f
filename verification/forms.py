"""Forms of the verification pages: taking a daily-management finding to revocation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eligibility.models import Ban

from .services import FINDING_GROUNDS


class FindingRevokeForm(forms.Form):
    """One finding of a management case, opened as a revocation case in one step (R21 -> R22)."""

    finding = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    ground = forms.ChoiceField(
        label=_("Ground for revocation"),
        choices=[("", _("Choose a ground"))] + list(Ban.Ground.choices),
        help_text=_("The finding, with its agency and answer, becomes the case's evidence."),
    )


def finding_forms(case, *, bound: FindingRevokeForm | None = None) -> list[FindingRevokeForm]:
    """A form per finding (prefix ``finding-N``), the suggested ground chosen; ``bound`` replaces its own."""
    forms_ = []
    for index, finding in enumerate(case.findings):
        if bound is not None and bound.prefix == f"finding-{index}":
            forms_.append(bound)
            continue
        forms_.append(
            FindingRevokeForm(
                prefix=f"finding-{index}",
                initial={"finding": index, "ground": FINDING_GROUNDS.get(finding.get("finding"), "")},
            )
        )
    return forms_
