"""China's provincial-level divisions: ISO 3166-2 code, GB/T 2260 prefix, names and region class.

The region class (eastern, central, western) follows the National Bureau of Statistics' division
used by the investment rules (R10); the GB/T 2260 two-digit prefix goes into card numbers (R16).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionClass(models.TextChoices):
    EASTERN = "eastern", _("Eastern region")
    CENTRAL = "central", _("Central region")
    WESTERN = "western", _("Western region")


@dataclass(frozen=True)
class Province:
    code: str  # ISO 3166-2:CN
    gb_prefix: str  # first two digits of the GB/T 2260 administrative division code
    name_en: str
    name_zh: str
    region_class: str


PROVINCES: tuple[Province, ...] = (
    Province("CN-BJ", "11", "Beijing", "北京市", "eastern"),
    Province("CN-TJ", "12", "Tianjin", "天津市", "eastern"),
    Province("CN-HE", "13", "Hebei", "河北省", "eastern"),
    Province("CN-SX", "14", "Shanxi", "山西省", "central"),
    Province("CN-NM", "15", "Inner Mongolia", "内蒙古自治区", "western"),
    Province("CN-LN", "21", "Liaoning", "辽宁省", "eastern"),
    Province("CN-JL", "22", "Jilin", "吉林省", "central"),
    Province("CN-HL", "23", "Heilongjiang", "黑龙江省", "central"),
    Province("CN-SH", "31", "Shanghai", "上海市", "eastern"),
    Province("CN-JS", "32", "Jiangsu", "江苏省", "eastern"),
    Province("CN-ZJ", "33", "Zhejiang", "浙江省", "eastern"),
    Province("CN-AH", "34", "Anhui", "安徽省", "central"),
    Province("CN-FJ", "35", "Fujian", "福建省", "eastern"),
    Province("CN-JX", "36", "Jiangxi", "江西省", "central"),
    Province("CN-SD", "37", "Shandong", "山东省", "eastern"),
    Province("CN-HA", "41", "Henan", "河南省", "central"),
    Province("CN-HB", "42", "Hubei", "湖北省", "central"),
    Province("CN-HN", "43", "Hunan", "湖南省", "central"),
    Province("CN-GD", "44", "Guangdong", "广东省", "eastern"),
    Province("CN-GX", "45", "Guangxi", "广西壮族自治区", "western"),
    Province("CN-HI", "46", "Hainan", "海南省", "eastern"),
    Province("CN-CQ", "50", "Chongqing", "重庆市", "western"),
    Province("CN-SC", "51", "Sichuan", "四川省", "western"),
    Province("CN-GZ", "52", "Guizhou", "贵州省", "western"),
    Province("CN-YN", "53", "Yunnan", "云南省", "western"),
    Province("CN-XZ", "54", "Tibet", "西藏自治区", "western"),
    Province("CN-SN", "61", "Shaanxi", "陕西省", "western"),
    Province("CN-GS", "62", "Gansu", "甘肃省", "western"),
    Province("CN-QH", "63", "Qinghai", "青海省", "western"),
    Province("CN-NX", "64", "Ningxia", "宁夏回族自治区", "western"),
    Province("CN-XJ", "65", "Xinjiang", "新疆维吾尔自治区", "western"),
)
PROVINCES_BY_CODE = {p.code: p for p in PROVINCES}
PROVINCE_CHOICES = [(p.code, f"{p.name_en} {p.name_zh}") for p in PROVINCES]


def province_name(code: str, language: str = "en") -> str:
    province = PROVINCES_BY_CODE.get(code)
    if province is None:
        return code
    return province.name_zh if language.startswith("zh") else province.name_en
