"""ISO 3166-1 numeric country codes by alpha-3 code, for the nationality digits of a card number.

Taken from pycountry (ISO 3166-1). ISO keeps 900-999 for user-assigned codes; the portal uses them
for the ICAO Doc 9303 codes that have no ISO entry: 999 stateless person ("XXA"), 998 refugee
("XXB"), 997 refugee other than under the 1951 Convention ("XXC"), 996 unspecified nationality
("XXX"). Chinese citizens' codes (CHN, HKG, MAC, TWN) stay in the table as ISO has them: a card
number is decoded against the whole of ISO 3166-1.
"""

from __future__ import annotations

import pycountry

ICAO_NUMERIC: dict[str, str] = {"XXA": "999", "XXB": "998", "XXC": "997", "XXX": "996"}

NUMERIC_BY_ALPHA3: dict[str, str] = {country.alpha_3: country.numeric for country in pycountry.countries}
NUMERIC_BY_ALPHA3.update(ICAO_NUMERIC)
ALPHA3_BY_NUMERIC: dict[str, str] = {n: a for a, n in NUMERIC_BY_ALPHA3.items()}
