"""ISO 3166-1 alpha-3 country codes with English and Chinese names, for nationality.

Names are data (like residence.regions), not translatable strings: the Chinese names follow the
usage of the Ministry of Foreign Affairs. "XXA"/"XXB" (stateless person, refugee) are the ICAO
9303 codes that appear in travel documents.
"""

from __future__ import annotations

from django.utils.translation import get_language

_DATA = """
AFG|Afghanistan|阿富汗
ALA|Åland Islands|奥兰群岛
ALB|Albania|阿尔巴尼亚
DZA|Algeria|阿尔及利亚
ASM|American Samoa|美属萨摩亚
AND|Andorra|安道尔
AGO|Angola|安哥拉
AIA|Anguilla|安圭拉
ATA|Antarctica|南极洲
ATG|Antigua and Barbuda|安提瓜和巴布达
ARG|Argentina|阿根廷
ARM|Armenia|亚美尼亚
ABW|Aruba|阿鲁巴
AUS|Australia|澳大利亚
AUT|Austria|奥地利
AZE|Azerbaijan|阿塞拜疆
BHS|Bahamas|巴哈马
BHR|Bahrain|巴林
BGD|Bangladesh|孟加拉国
BRB|Barbados|巴巴多斯
BLR|Belarus|白俄罗斯
BEL|Belgium|比利时
BLZ|Belize|伯利兹
BEN|Benin|贝宁
BMU|Bermuda|百慕大
BTN|Bhutan|不丹
BOL|Bolivia|玻利维亚
BES|Bonaire, Sint Eustatius and Saba|荷兰加勒比区
BIH|Bosnia and Herzegovina|波斯尼亚和黑塞哥维那
BWA|Botswana|博茨瓦纳
BVT|Bouvet Island|布韦岛
BRA|Brazil|巴西
IOT|British Indian Ocean Territory|英属印度洋领地
BRN|Brunei Darussalam|文莱
BGR|Bulgaria|保加利亚
BFA|Burkina Faso|布基纳法索
BDI|Burundi|布隆迪
CPV|Cabo Verde|佛得角
KHM|Cambodia|柬埔寨
CMR|Cameroon|喀麦隆
CAN|Canada|加拿大
CYM|Cayman Islands|开曼群岛
CAF|Central African Republic|中非
TCD|Chad|乍得
CHL|Chile|智利
CXR|Christmas Island|圣诞岛
CCK|Cocos (Keeling) Islands|科科斯（基林）群岛
COL|Colombia|哥伦比亚
COM|Comoros|科摩罗
COG|Congo|刚果（布）
COD|Congo, Democratic Republic of the|刚果（金）
COK|Cook Islands|库克群岛
CRI|Costa Rica|哥斯达黎加
CIV|Côte d'Ivoire|科特迪瓦
HRV|Croatia|克罗地亚
CUB|Cuba|古巴
CUW|Curaçao|库拉索
CYP|Cyprus|塞浦路斯
CZE|Czechia|捷克
DNK|Denmark|丹麦
DJI|Djibouti|吉布提
DMA|Dominica|多米尼克
DOM|Dominican Republic|多米尼加
ECU|Ecuador|厄瓜多尔
EGY|Egypt|埃及
SLV|El Salvador|萨尔瓦多
GNQ|Equatorial Guinea|赤道几内亚
ERI|Eritrea|厄立特里亚
EST|Estonia|爱沙尼亚
SWZ|Eswatini|斯威士兰
ETH|Ethiopia|埃塞俄比亚
FLK|Falkland Islands (Malvinas)|马尔维纳斯群岛（福克兰）
FRO|Faroe Islands|法罗群岛
FJI|Fiji|斐济
FIN|Finland|芬兰
FRA|France|法国
GUF|French Guiana|法属圭亚那
PYF|French Polynesia|法属波利尼西亚
ATF|French Southern Territories|法属南部领地
GAB|Gabon|加蓬
GMB|Gambia|冈比亚
GEO|Georgia|格鲁吉亚
DEU|Germany|德国
GHA|Ghana|加纳
GIB|Gibraltar|直布罗陀
GRC|Greece|希腊
GRL|Greenland|格陵兰
GRD|Grenada|格林纳达
GLP|Guadeloupe|瓜德罗普
GUM|Guam|关岛
GTM|Guatemala|危地马拉
GGY|Guernsey|根西岛
GIN|Guinea|几内亚
GNB|Guinea-Bissau|几内亚比绍
GUY|Guyana|圭亚那
HTI|Haiti|海地
HMD|Heard Island and McDonald Islands|赫德岛和麦克唐纳群岛
VAT|Holy See|梵蒂冈
HND|Honduras|洪都拉斯
HUN|Hungary|匈牙利
ISL|Iceland|冰岛
IND|India|印度
IDN|Indonesia|印度尼西亚
IRN|Iran|伊朗
IRQ|Iraq|伊拉克
IRL|Ireland|爱尔兰
IMN|Isle of Man|马恩岛
ISR|Israel|以色列
ITA|Italy|意大利
JAM|Jamaica|牙买加
JPN|Japan|日本
JEY|Jersey|泽西岛
JOR|Jordan|约旦
KAZ|Kazakhstan|哈萨克斯坦
KEN|Kenya|肯尼亚
KIR|Kiribati|基里巴斯
PRK|Korea, Democratic People's Republic of|朝鲜
KOR|Korea, Republic of|韩国
KWT|Kuwait|科威特
KGZ|Kyrgyzstan|吉尔吉斯斯坦
LAO|Lao People's Democratic Republic|老挝
LVA|Latvia|拉脱维亚
LBN|Lebanon|黎巴嫩
LSO|Lesotho|莱索托
LBR|Liberia|利比里亚
LBY|Libya|利比亚
LIE|Liechtenstein|列支敦士登
LTU|Lithuania|立陶宛
LUX|Luxembourg|卢森堡
MDG|Madagascar|马达加斯加
MWI|Malawi|马拉维
MYS|Malaysia|马来西亚
MDV|Maldives|马尔代夫
MLI|Mali|马里
MLT|Malta|马耳他
MHL|Marshall Islands|马绍尔群岛
MTQ|Martinique|马提尼克
MRT|Mauritania|毛里塔尼亚
MUS|Mauritius|毛里求斯
MYT|Mayotte|马约特
MEX|Mexico|墨西哥
FSM|Micronesia|密克罗尼西亚联邦
MDA|Moldova|摩尔多瓦
MCO|Monaco|摩纳哥
MNG|Mongolia|蒙古国
MNE|Montenegro|黑山
MSR|Montserrat|蒙特塞拉特
MAR|Morocco|摩洛哥
MOZ|Mozambique|莫桑比克
MMR|Myanmar|缅甸
NAM|Namibia|纳米比亚
NRU|Nauru|瑙鲁
NPL|Nepal|尼泊尔
NLD|Netherlands|荷兰
NCL|New Caledonia|新喀里多尼亚
NZL|New Zealand|新西兰
NIC|Nicaragua|尼加拉瓜
NER|Niger|尼日尔
NGA|Nigeria|尼日利亚
NIU|Niue|纽埃
NFK|Norfolk Island|诺福克岛
MKD|North Macedonia|北马其顿
MNP|Northern Mariana Islands|北马里亚纳群岛
NOR|Norway|挪威
OMN|Oman|阿曼
PAK|Pakistan|巴基斯坦
PLW|Palau|帕劳
PSE|Palestine, State of|巴勒斯坦
PAN|Panama|巴拿马
PNG|Papua New Guinea|巴布亚新几内亚
PRY|Paraguay|巴拉圭
PER|Peru|秘鲁
PHL|Philippines|菲律宾
PCN|Pitcairn|皮特凯恩群岛
POL|Poland|波兰
PRT|Portugal|葡萄牙
PRI|Puerto Rico|波多黎各
QAT|Qatar|卡塔尔
REU|Réunion|留尼汪
ROU|Romania|罗马尼亚
RUS|Russian Federation|俄罗斯
RWA|Rwanda|卢旺达
BLM|Saint Barthélemy|圣巴泰勒米
SHN|Saint Helena, Ascension and Tristan da Cunha|圣赫勒拿、阿森松和特里斯坦-达库尼亚
KNA|Saint Kitts and Nevis|圣基茨和尼维斯
LCA|Saint Lucia|圣卢西亚
MAF|Saint Martin (French part)|法属圣马丁
SPM|Saint Pierre and Miquelon|圣皮埃尔和密克隆
VCT|Saint Vincent and the Grenadines|圣文森特和格林纳丁斯
WSM|Samoa|萨摩亚
SMR|San Marino|圣马力诺
STP|Sao Tome and Principe|圣多美和普林西比
SAU|Saudi Arabia|沙特阿拉伯
SEN|Senegal|塞内加尔
SRB|Serbia|塞尔维亚
SYC|Seychelles|塞舌尔
SLE|Sierra Leone|塞拉利昂
SGP|Singapore|新加坡
SXM|Sint Maarten (Dutch part)|荷属圣马丁
SVK|Slovakia|斯洛伐克
SVN|Slovenia|斯洛文尼亚
SLB|Solomon Islands|所罗门群岛
SOM|Somalia|索马里
ZAF|South Africa|南非
SGS|South Georgia and the South Sandwich Islands|南乔治亚和南桑威奇群岛
SSD|South Sudan|南苏丹
ESP|Spain|西班牙
LKA|Sri Lanka|斯里兰卡
SDN|Sudan|苏丹
SUR|Suriname|苏里南
SJM|Svalbard and Jan Mayen|斯瓦尔巴和扬马延
SWE|Sweden|瑞典
CHE|Switzerland|瑞士
SYR|Syrian Arab Republic|叙利亚
TJK|Tajikistan|塔吉克斯坦
TZA|Tanzania|坦桑尼亚
THA|Thailand|泰国
TLS|Timor-Leste|东帝汶
TGO|Togo|多哥
TKL|Tokelau|托克劳
TON|Tonga|汤加
TTO|Trinidad and Tobago|特立尼达和多巴哥
TUN|Tunisia|突尼斯
TUR|Türkiye|土耳其
TKM|Turkmenistan|土库曼斯坦
TCA|Turks and Caicos Islands|特克斯和凯科斯群岛
TUV|Tuvalu|图瓦卢
UGA|Uganda|乌干达
UKR|Ukraine|乌克兰
ARE|United Arab Emirates|阿拉伯联合酋长国
GBR|United Kingdom|英国
USA|United States of America|美国
UMI|United States Minor Outlying Islands|美国本土外小岛屿
URY|Uruguay|乌拉圭
UZB|Uzbekistan|乌兹别克斯坦
VUT|Vanuatu|瓦努阿图
VEN|Venezuela|委内瑞拉
VNM|Viet Nam|越南
VGB|Virgin Islands (British)|英属维尔京群岛
VIR|Virgin Islands (U.S.)|美属维尔京群岛
WLF|Wallis and Futuna|瓦利斯和富图纳
ESH|Western Sahara|西撒哈拉
YEM|Yemen|也门
ZMB|Zambia|赞比亚
ZWE|Zimbabwe|津巴布韦
XXA|Stateless person|无国籍人
XXB|Refugee|难民
"""

COUNTRIES: dict[str, tuple[str, str]] = {
    code: (en, zh) for code, en, zh in (line.split("|") for line in _DATA.strip().splitlines())
}
COUNTRY_CHOICES = [
    (code, f"{en} {zh}") for code, (en, zh) in sorted(COUNTRIES.items(), key=lambda i: i[1][0])
]


def country_name(code: str, language: str | None = None) -> str:
    names = COUNTRIES.get(code)
    if names is None:
        return code
    return names[1] if (language or get_language() or "en").startswith("zh") else names[0]
