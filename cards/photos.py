"""The holder's photo: JPEG or PNG, checked by content, at least the size a card needs."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A 26 x 32 mm card photo printed at 300 dpi, rounded down: the minimum the card can be made from.
MIN_WIDTH = 300
MIN_HEIGHT = 370


def check_photo(data: bytes) -> str:
    """Return the content type, or raise ValidationError({"file": [...]})."""
    from PIL import Image

    if data.startswith(b"\xff\xd8\xff"):
        content_type, fmt = "image/jpeg", "JPEG"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type, fmt = "image/png", "PNG"
    else:
        raise ValidationError({"file": [_("The photo must be a JPEG or PNG image.")]})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != fmt:
                raise ValueError(image.format)
            image.load()
            width, height = image.size
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for broken files
        raise ValidationError({"file": [_("The photo cannot be read: it is damaged.")]}) from error
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(
            {
                "file": [
                    _(
                        "The photo is %(width)s × %(height)s pixels; it must be at least %(min_w)s × %(min_h)s."
                    )
                    % {"width": width, "height": height, "min_w": MIN_WIDTH, "min_h": MIN_HEIGHT}
                ]
            }
        )
    return content_type
