"""The applicant's photo is printed on the card, so a photo too small for it is refused at upload."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from applications.uploads import check_photo
from tests.applications.factories import png_bytes


def test_a_photo_of_the_card_size_is_accepted():
    assert check_photo(png_bytes((300, 370))).content_type == "image/png"


@pytest.mark.parametrize("size", [(299, 370), (300, 369), (40, 40)])
def test_a_photo_smaller_than_the_card_needs_is_refused_with_its_size(size):
    with pytest.raises(ValidationError, match=f"{size[0]} × {size[1]}"):
        check_photo(png_bytes(size))


def test_a_pdf_is_not_a_photo():
    with pytest.raises(ValidationError, match="JPEG or PNG"):
        check_photo(b"%PDF-1.4\n%%EOF")
