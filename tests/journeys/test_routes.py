"""The journey matrix (issue 12): every route from a new account to the end of its life, in Chromium.

One test per route of ``routes.ROUTES``, named by the route (``test_route[work-standard]``). A route
that meets one of the defects issue 12 lists is ``xfail(raises=KnownDefect, strict=True)``: it still
fails on anything else, and turns into a failure (XPASS) once the fix merges, to drop the marker.
"""

from __future__ import annotations

import pytest

from tests.applications.factories import png_bytes

from .driver import DEFECTS, KnownDefect
from .routes import MATRIX

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(420),
]

# Large enough to serve as the card photo (at least 300 x 370 pixels).
SCAN = {"name": "scan.png", "mimeType": "image/png", "buffer": png_bytes((360, 450))}


def _param(route):
    marks = []
    if route.known_defects:
        reason = "issue 12: " + "; ".join(DEFECTS[code] for code in route.known_defects)
        marks.append(pytest.mark.xfail(reason=reason, raises=KnownDefect, strict=True))
    return pytest.param(route, id=route.id, marks=marks)


@pytest.mark.parametrize("route", [_param(route) for route in MATRIX])
def test_route(route, journey_factory):
    journey = journey_factory(route)
    journey.live(SCAN)
    journey.finish()
