"""The channel registry: everything the app needs to know about a channel, in one place.

Adding a sixth channel (docs/architecture.md, "Adding a channel"): add its choice to `Channel`,
write its facts model (a `ChannelFacts` subclass with `typed_engine_facts()` and
`completeness_errors()`), add one entry here, make a migration, and give the policy document a
channel of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from .models import Channel, ContributionFacts, FamilyFacts, InvestmentFacts, TalentFacts, WorkFacts


@dataclass(frozen=True)
class ChannelSpec:
    code: str
    model: type[models.Model]
    related_name: str
    # Whether the applicant gives days in China per year (YearInChina rows).
    uses_years_in_china: bool
    # Green channel for every case of the channel, whatever the engine says (policy: contribution).
    always_green: bool = False


CHANNELS: dict[str, ChannelSpec] = {
    Channel.TALENT: ChannelSpec(Channel.TALENT, TalentFacts, "talent_facts", uses_years_in_china=True),
    Channel.WORK: ChannelSpec(Channel.WORK, WorkFacts, "work_facts", uses_years_in_china=True),
    Channel.INVESTMENT: ChannelSpec(
        Channel.INVESTMENT, InvestmentFacts, "investment_facts", uses_years_in_china=False
    ),
    Channel.CONTRIBUTION: ChannelSpec(
        Channel.CONTRIBUTION,
        ContributionFacts,
        "contribution_facts",
        uses_years_in_china=False,
        always_green=True,
    ),
    Channel.FAMILY: ChannelSpec(Channel.FAMILY, FamilyFacts, "family_facts", uses_years_in_china=True),
}

# For select_related on a case page: every channel's facts in one query.
FACTS_RELATED_NAMES = [spec.related_name for spec in CHANNELS.values()]


def facts_fields(channel: str) -> list[str]:
    """The editable field names of a channel's facts model, in declaration order."""
    model = CHANNELS[channel].model
    # Not editable: facts filled from an agency's record (the talent visa's category), never typed.
    return [f.name for f in model._meta.concrete_fields if f.editable and f.name not in {"id", "application"}]
