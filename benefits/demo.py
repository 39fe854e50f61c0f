"""Demo records: every category with a real-looking item, a few services, drafts, a withdrawn item.

Idempotent: an item is looked up by its agency and English title, and only what is missing is
created. Everything goes through the services, so versions and the audit log are real. Agencies
without a demo login publish through an agency supervisor account without a usable password.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from residence.accounts.models import Agency, Role, User

from . import services
from .models import AppliesTo, BenefitItem, BenefitItemVersion, Category, HolderProfile, Kind

MEASURES_2012_EN = (
    "Measures on Treatment of Foreigners with Permanent Residence in China "
    "(Ministry of Human Resources and Social Security and 24 other departments, 2012, Ren She Bu Fa [2012] No. 53)"
)
MEASURES_2012_ZH = "《外国人在中国永久居留享有相关待遇的办法》（人社部发〔2012〕53号）"
OPINIONS_2016_EN = (
    "Opinions on Strengthening the Service and Management of Foreign Permanent Residence (2016), art. 16-17"
)
OPINIONS_2016_ZH = "《关于加强外国人永久居留服务管理的意见》（2016年）第十六、十七条"
CARD_EN = "Your Foreign Permanent Resident ID Card."
CARD_ZH = "外国人永久居留身份证。"

ITEMS: list[dict] = [
    {
        "agency": "pbc",
        "category": Category.FINANCE,
        "title_en": "Open a bank account with your permanent resident card",
        "title_zh": "凭永久居留身份证开立银行账户",
        "description_en": "Banks accept the permanent resident card as a valid identity document for opening personal accounts, "
        "bank cards, online banking and mobile payments, on the same terms as for Chinese citizens. "
        "No passport is needed.",
        "description_zh": "银行业金融机构将外国人永久居留身份证作为有效身份证件，为持证人办理个人账户开立、银行卡、"
        "网上银行和移动支付等业务，与中国公民同等对待，无需另行出示护照。",
        "legal_basis_en": f"Regulations on the Real-Name System for Personal Deposit Accounts (2000); {MEASURES_2012_EN}",
        "legal_basis_zh": f"《个人存款账户实名制规定》（2000年）；{MEASURES_2012_ZH}",
        "procedure_en": "Go to any branch of a commercial bank, fill in the account application and verify your "
        "identity at the counter or a self-service machine that reads the card.",
        "procedure_zh": "前往任一商业银行网点，填写开户申请，在柜台或可读取证件的自助设备上核验身份。",
        "documents_en": f"{CARD_EN}\nA mobile phone number registered in your name.",
        "documents_zh": f"{CARD_ZH}\n以本人身份登记的手机号码。",
        "where_en": "Any branch of a commercial bank in mainland China.",
        "where_zh": "中国境内各商业银行营业网点。",
        "link": "http://www.pbc.gov.cn",
        "effective_date": dt.date(2012, 9, 25),
    },
    {
        "agency": "moe",
        "category": Category.EDUCATION,
        "title_en": "Enrol in vocational and continuing education as a resident",
        "title_zh": "按当地居民待遇参加职业教育和继续教育",
        "description_en": "Permanent residents may enrol in vocational schools, adult higher education and continuing "
        "education programmes on the same admission terms and fees as local residents.",
        "description_zh": "外国人永久居留身份证持有人可按照当地居民的招生条件和收费标准，报读职业院校、"
        "成人高等教育和继续教育项目。",
        "legal_basis_en": f"Education Law of the People's Republic of China; {MEASURES_2012_EN}",
        "legal_basis_zh": f"《中华人民共和国教育法》；{MEASURES_2012_ZH}",
        "procedure_en": "Apply to the school or programme directly during its admission period and state that you hold a "
        "permanent resident card.",
        "procedure_zh": "在招生期间直接向学校或项目报名，并说明持有外国人永久居留身份证。",
        "documents_en": f"{CARD_EN}\nCertificates of your previous education.",
        "documents_zh": f"{CARD_ZH}\n以往学历证明。",
        "where_en": "The admissions office of the school; the local education bureau for questions.",
        "where_zh": "各学校招生办公室；如有疑问，可咨询当地教育行政部门。",
        "link": "http://www.moe.gov.cn",
        "effective_date": dt.date(2012, 9, 25),
    },
    {
        "agency": "nhc",
        "category": Category.MEDICAL_CARE,
        "title_en": "Register at hospitals and book appointments with your card",
        "title_zh": "凭证件在医院挂号和预约诊疗",
        "description_en": "Public hospitals accept the permanent resident card for real-name registration, appointment "
        "booking, medical records and prescriptions, at the counter and on their online platforms.",
        "description_zh": "公立医院在窗口和线上平台均接受外国人永久居留身份证用于实名挂号、预约诊疗、建立病历和开具处方。",
        "legal_basis_en": OPINIONS_2016_EN,
        "legal_basis_zh": OPINIONS_2016_ZH,
        "procedure_en": "Choose the permanent resident card as the identity document when booking online, or show it at "
        "the registration counter.",
        "procedure_zh": "线上预约时证件类型选择“外国人永久居留身份证”，或在挂号窗口出示证件。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Any public hospital or community health centre.",
        "where_zh": "各公立医院及社区卫生服务中心。",
        "link": "http://www.nhc.gov.cn",
        "effective_date": dt.date(2016, 2, 18),
    },
    {
        "agency": "mot",
        "category": Category.TRANSPORT,
        "title_en": "Buy train tickets online and pass the gates with your card",
        "title_zh": "凭证件网上购买火车票并刷证进站",
        "description_en": "The permanent resident card can be used to buy real-name train tickets on the railway's "
        "website and app, and to pass the automatic ticket gates at stations, like a resident identity card.",
        "description_zh": "外国人永久居留身份证可在铁路官方网站和客户端购买实名制车票，并可像居民身份证一样在车站自助闸机刷证进站。",
        "legal_basis_en": "Measures for the Administration of Real-Name Railway Tickets; " + OPINIONS_2016_EN,
        "legal_basis_zh": "《铁路旅客车票实名制管理办法》；" + OPINIONS_2016_ZH,
        "procedure_en": "Register on the railway's website or app with your card number, then buy tickets as usual.",
        "procedure_zh": "使用证件号码在铁路官方网站或客户端注册账户后，即可正常购票。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Online, or at any railway station ticket office.",
        "where_zh": "网上办理，或前往任一火车站售票窗口。",
        "link": "https://www.12306.cn",
        "effective_date": dt.date(2017, 6, 28),
    },
    {
        "agency": "miit",
        "category": Category.TELECOMS,
        "title_en": "Get a mobile phone number in your own name",
        "title_zh": "以本人名义办理手机号码",
        "description_en": "Telecom operators register mobile and broadband subscriptions for permanent residents with the "
        "card as the real-name identity document.",
        "description_zh": "电信运营商以外国人永久居留身份证作为实名登记证件，为持证人办理移动电话和宽带业务。",
        "legal_basis_en": "Provisions on the Registration of Telephone Users' Real Identity Information (MIIT Order No. 25, 2013)",
        "legal_basis_zh": "《电话用户真实身份信息登记规定》（工业和信息化部令第25号，2013年）",
        "procedure_en": "Visit a service hall of a telecom operator; the staff read the card and take a photo to verify "
        "your identity.",
        "procedure_zh": "前往电信运营商营业厅，工作人员读取证件并现场拍照核验身份。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Service halls of China Mobile, China Unicom and China Telecom.",
        "where_zh": "中国移动、中国联通、中国电信营业厅。",
        "link": "https://www.miit.gov.cn",
        "effective_date": dt.date(2013, 9, 1),
    },
    {
        "agency": "mohrss",
        "category": Category.EMPLOYMENT_SOCIAL_INSURANCE,
        "applies_to": AppliesTo.WORKING,
        "title_en": "Join social insurance on the same terms as Chinese employees",
        "title_zh": "与中国职工同等参加社会保险",
        "description_en": "Permanent residents employed in China take part in basic pension, medical, work-injury, "
        "unemployment and maternity insurance. Your employer registers you; contributions and benefits "
        "follow the rules for Chinese employees.",
        "description_zh": "在中国境内就业的外国人永久居留身份证持有人，参加职工基本养老、医疗、工伤、失业和生育保险，"
        "由用人单位办理参保登记，缴费和待遇与中国职工相同。",
        "legal_basis_en": "Social Insurance Law of the People's Republic of China (2010), art. 97; Interim Measures for "
        "Foreigners Employed in China to Participate in Social Insurance (2011)",
        "legal_basis_zh": "《中华人民共和国社会保险法》（2010年）第九十七条；《在中国境内就业的外国人参加社会保险暂行办法》（2011年）",
        "procedure_en": "Your employer registers you within 30 days of hiring. Check your contribution record in the "
        "social insurance app with your card number.",
        "procedure_zh": "用人单位应在招用之日起30日内为您办理参保登记。可使用证件号码在社会保险应用程序中查询缴费记录。",
        "documents_en": f"{CARD_EN}\nYour employment contract.",
        "documents_zh": f"{CARD_ZH}\n劳动合同。",
        "where_en": "The social insurance agency of your city, or online.",
        "where_zh": "所在城市社会保险经办机构，或网上办理。",
        "link": "http://www.mohrss.gov.cn",
        "effective_date": dt.date(2011, 10, 15),
    },
    {
        "agency": "mohurd",
        "category": Category.HOUSING_FUND,
        "applies_to": AppliesTo.WORKING,
        "title_en": "Contribute to and use the housing provident fund",
        "title_zh": "缴存和使用住房公积金",
        "description_en": "Employed permanent residents can open a housing provident fund account, contribute with their "
        "employer, and withdraw or borrow from it to buy or rent a home, like Chinese employees.",
        "description_zh": "在职的外国人永久居留身份证持有人可开设住房公积金账户，与单位共同缴存，并可与中国职工一样提取或申请贷款用于购房、租房。",
        "legal_basis_en": f"Regulations on the Administration of Housing Provident Funds; {MEASURES_2012_EN}",
        "legal_basis_zh": f"《住房公积金管理条例》；{MEASURES_2012_ZH}",
        "procedure_en": "Your employer opens the account. To withdraw or borrow, apply to the housing provident fund "
        "centre of your city.",
        "procedure_zh": "由用人单位办理开户。提取或贷款时，向所在城市住房公积金管理中心申请。",
        "documents_en": f"{CARD_EN}\nProof of purchase or a lease, for withdrawals.",
        "documents_zh": f"{CARD_ZH}\n提取时需提供购房或租房证明。",
        "where_en": "The housing provident fund management centre of your city.",
        "where_zh": "所在城市住房公积金管理中心。",
        "link": "https://www.mohurd.gov.cn",
        "effective_date": dt.date(2012, 9, 25),
    },
    {
        "agency": "mnr",
        "category": Category.PROPERTY_REGISTRATION,
        "title_en": "Register real estate with your permanent resident card",
        "title_zh": "凭永久居留身份证办理不动产登记",
        "description_en": "Real estate registration offices accept the permanent resident card as the identity "
        "document for registering ownership, mortgages and transfers; no notarised passport translation is needed.",
        "description_zh": "不动产登记机构接受外国人永久居留身份证作为身份证明，办理所有权、抵押和转移登记，无需提交经公证的护照翻译件。",
        "legal_basis_en": "Interim Regulations on Real Estate Registration (2014); " + OPINIONS_2016_EN,
        "legal_basis_zh": "《不动产登记暂行条例》（2014年）；" + OPINIONS_2016_ZH,
        "procedure_en": "Book an appointment at the registration centre, submit the application and collect the "
        "certificate when it is issued.",
        "procedure_zh": "预约不动产登记中心，提交申请材料，登簿后领取不动产权证书。",
        "documents_en": f"{CARD_EN}\nThe sale contract or other source of the right.",
        "documents_zh": f"{CARD_ZH}\n买卖合同或其他权利来源证明。",
        "where_en": "The real estate registration centre where the property lies.",
        "where_zh": "不动产所在地的不动产登记中心。",
        "link": "https://www.mnr.gov.cn",
        "effective_date": dt.date(2015, 3, 1),
    },
    {
        "agency": "spc",
        "category": Category.LITIGATION,
        "title_en": "Take part in court cases using your card as identity",
        "title_zh": "凭证件参加诉讼",
        "description_en": "People's courts accept the permanent resident card as proof of identity to file a case, "
        "appear in court and use online litigation services; documents from abroad proving your identity are not needed.",
        "description_zh": "人民法院接受外国人永久居留身份证作为身份证明，持证人可凭证立案、出庭和使用网上诉讼服务，无需另行提交境外身份证明材料。",
        "legal_basis_en": "Civil Procedure Law of the People's Republic of China; " + OPINIONS_2016_EN,
        "legal_basis_zh": "《中华人民共和国民事诉讼法》；" + OPINIONS_2016_ZH,
        "procedure_en": "File at the litigation service centre of the competent court or on the court's online platform.",
        "procedure_zh": "向有管辖权法院的诉讼服务中心或通过法院网上平台立案。",
        "documents_en": f"{CARD_EN}\nYour complaint and evidence.",
        "documents_zh": f"{CARD_ZH}\n起诉状及证据材料。",
        "where_en": "Litigation service centres of the people's courts.",
        "where_zh": "各级人民法院诉讼服务中心。",
        "link": "https://www.court.gov.cn",
        "effective_date": dt.date(2016, 2, 18),
    },
    {
        "agency": "mohurd",
        "category": Category.HOUSING_PURCHASE,
        "title_en": "Buy a home on the same terms as local residents",
        "title_zh": "按当地居民政策购买住房",
        "description_en": "Permanent residents may buy housing for their own use under the purchase rules that apply to "
        "local residents of the city, without the restrictions on foreigners who hold other residence permits.",
        "description_zh": "外国人永久居留身份证持有人可按照所在城市对当地居民的购房政策购买自住住房，不受其他居留许可持有人购房限制。",
        "legal_basis_en": MEASURES_2012_EN,
        "legal_basis_zh": MEASURES_2012_ZH,
        "procedure_en": "Sign the purchase contract, have it filed online by the housing authority, then register the "
        "property.",
        "procedure_zh": "签订购房合同，由住房城乡建设部门办理网签备案，再办理不动产登记。",
        "documents_en": f"{CARD_EN}\nProof of local social insurance or tax payments where the city requires it.",
        "documents_zh": f"{CARD_ZH}\n所在城市要求的本地社保或纳税证明。",
        "where_en": "The housing and urban-rural development bureau of the city.",
        "where_zh": "所在城市住房和城乡建设局。",
        "link": "https://www.mohurd.gov.cn",
        "effective_date": dt.date(2012, 9, 25),
    },
    {
        "agency": "mps",
        "category": Category.DRIVING_LICENCE,
        "title_en": "Apply for a Chinese driving licence or convert a foreign one",
        "title_zh": "申领中国驾驶证或换领境外驾驶证",
        "description_en": "Permanent residents apply for a driving licence with their card, like residents. Holders of a "
        "valid foreign licence may convert it after passing the theory test.",
        "description_zh": "外国人永久居留身份证持有人凭证申领机动车驾驶证，与居民同等办理。持有效境外驾驶证的，经科目一考试合格后可换领中国驾驶证。",
        "legal_basis_en": "Provisions on the Application for and Use of Motor Vehicle Driving Licences (MPS Order No. 162, 2021)",
        "legal_basis_zh": "《机动车驾驶证申领和使用规定》（公安部令第162号，2021年）",
        "procedure_en": "Book the theory test online or at a vehicle administration office, take the health check and "
        "the tests, then collect the licence.",
        "procedure_zh": "通过网上或车管所预约科目一考试，完成体检和考试后领取驾驶证。",
        "documents_en": f"{CARD_EN}\nA health certificate from a designated clinic.\nYour foreign licence and its "
        "translation, to convert it.",
        "documents_zh": f"{CARD_ZH}\n指定医疗机构出具的身体条件证明。\n换领时提交境外驾驶证及其中文翻译件。",
        "where_en": "Vehicle administration offices of the traffic police.",
        "where_zh": "公安交通管理部门车辆管理所。",
        "link": "https://gab.122.gov.cn",
        "effective_date": dt.date(2022, 4, 1),
    },
    {
        "agency": "mohrss",
        "category": Category.PROFESSIONAL_EXAMS,
        "title_en": "Sit national professional qualification examinations",
        "title_zh": "参加国家职业资格考试",
        "description_en": "Permanent residents may register for national professional and vocational qualification "
        "examinations, such as accountant, engineer and teacher certificates, on the same terms as citizens.",
        "description_zh": "外国人永久居留身份证持有人可与中国公民同等报名参加会计、工程、教师等国家职业资格考试。",
        "legal_basis_en": MEASURES_2012_EN,
        "legal_basis_zh": MEASURES_2012_ZH,
        "procedure_en": "Register on the examination authority's website during the registration period, choosing the "
        "permanent resident card as the identity document.",
        "procedure_zh": "在报名期间登录考试机构网站报名，证件类型选择“外国人永久居留身份证”。",
        "documents_en": f"{CARD_EN}\nThe degree or work experience the examination requires.",
        "documents_zh": f"{CARD_ZH}\n报考条件要求的学历或工作经历证明。",
        "where_en": "Online; the local personnel examination centre for the identity check.",
        "where_zh": "网上报名；现场资格审核在当地人事考试中心。",
        "link": "http://www.cpta.com.cn",
        "effective_date": dt.date(2012, 9, 25),
    },
    {
        "agency": "moe",
        "category": Category.CHILDRENS_SCHOOLING,
        "applies_to": AppliesTo.MINORS,
        "title_en": "Compulsory education for children at local public schools",
        "title_zh": "子女在当地公办学校接受义务教育",
        "description_en": "Children who hold a permanent resident card attend primary and junior secondary school in the "
        "district where they live, on the same terms as local children, without international-school fees.",
        "description_zh": "持有外国人永久居留身份证的适龄儿童，与当地儿童同等在居住地就近入读公办小学和初中，无需缴纳国际学校费用。",
        "legal_basis_en": f"Compulsory Education Law of the People's Republic of China; {MEASURES_2012_EN}",
        "legal_basis_zh": f"《中华人民共和国义务教育法》；{MEASURES_2012_ZH}",
        "procedure_en": "Apply during the spring enrolment period through the district education bureau's enrolment "
        "platform.",
        "procedure_zh": "在春季招生期间通过区教育局招生平台报名。",
        "documents_en": "The child's permanent resident card.\nProof of your address (property certificate or registered "
        "lease).",
        "documents_zh": "儿童本人的外国人永久居留身份证。\n住址证明（房产证或备案租赁合同）。",
        "where_en": "The education bureau of the district where you live.",
        "where_zh": "居住地所在区教育局。",
        "link": "http://www.moe.gov.cn",
        "effective_date": dt.date(2012, 9, 25),
    },
    {
        "agency": "mps",
        "category": Category.HOTEL_REGISTRATION,
        "title_en": "Check in at hotels with your card",
        "title_zh": "凭证件办理酒店入住登记",
        "description_en": "Hotels register permanent residents by reading the card, like a resident identity card; no "
        "foreigner accommodation form or passport copy is needed.",
        "description_zh": "酒店像读取居民身份证一样读取外国人永久居留身份证办理入住登记，无需填写境外人员住宿登记表或复印护照。",
        "legal_basis_en": "Measures for the Public Security Administration of the Hotel Industry; "
        + OPINIONS_2016_EN,
        "legal_basis_zh": "《旅馆业治安管理办法》；" + OPINIONS_2016_ZH,
        "procedure_en": "Hand your card to the reception desk at check-in.",
        "procedure_zh": "入住时将证件交前台登记即可。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Any hotel or guesthouse in China.",
        "where_zh": "中国境内各酒店、宾馆。",
        "link": "https://www.mps.gov.cn",
        "effective_date": dt.date(2017, 6, 28),
    },
    {
        "agency": "gacc",
        "category": Category.CUSTOMS,
        "title_en": "Personal effects at customs treated as a resident's",
        "title_zh": "进出境自用物品按居民旅客管理",
        "description_en": "When entering or leaving China, permanent residents declare personal effects under the "
        "allowances for resident travellers, and may bring in household goods when settling.",
        "description_zh": "外国人永久居留身份证持有人进出境时，其自用物品按照居民旅客的免税限额申报，定居时可携带安家物品入境。",
        "legal_basis_en": "Measures of the Customs for the Supervision of Luggage and Articles of Inbound and Outbound "
        f"Passengers; {MEASURES_2012_EN}",
        "legal_basis_zh": f"《中华人民共和国海关对进出境旅客行李物品监管办法》；{MEASURES_2012_ZH}",
        "procedure_en": "Use the red or green channel as for resident travellers; for household goods, apply to the "
        "customs office where you live before shipping.",
        "procedure_zh": "按居民旅客选择申报或无申报通道；安家物品须在运输前向居住地海关申请。",
        "documents_en": f"{CARD_EN}\nA list of the household goods, if you bring any.",
        "documents_zh": f"{CARD_ZH}\n如携带安家物品，需提交物品清单。",
        "where_en": "Customs at ports of entry; the customs office of the city where you live.",
        "where_zh": "口岸海关；居住地海关。",
        "link": "http://www.customs.gov.cn",
        "effective_date": dt.date(2012, 9, 25),
    },
    {
        "agency": "safea",
        "category": Category.WORK_PERMIT_EXEMPTION,
        "applies_to": AppliesTo.WORKING,
        "title_en": "Work in China without a work permit",
        "title_zh": "在华工作免办工作许可",
        "description_en": "Permanent residents do not need a Foreigner's Work Permit. An employer hires you with your "
        "card, like a Chinese employee, and you may change jobs freely.",
        "description_zh": "外国人永久居留身份证持有人在华工作无需办理外国人工作许可。用人单位凭证件与中国职工同等聘用，持证人可自由变更工作单位。",
        "legal_basis_en": OPINIONS_2016_EN
        + "; Provisions on the Administration of Employment of Foreigners in China",
        "legal_basis_zh": OPINIONS_2016_ZH + "；《外国人在中国就业管理规定》",
        "procedure_en": "Nothing to apply for. Show your card to the employer when signing the contract.",
        "procedure_zh": "无需申请。签订劳动合同时向用人单位出示证件即可。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Not applicable.",
        "where_zh": "不适用。",
        "link": "https://fwp.safea.gov.cn",
        "effective_date": dt.date(2016, 2, 18),
    },
    {
        "agency": "nhsa",
        "category": Category.RESIDENTS_INSURANCE_PENSION,
        "applies_to": AppliesTo.NOT_WORKING,
        "title_en": "Join residents' basic medical insurance",
        "title_zh": "参加城乡居民基本医疗保险",
        "description_en": "Permanent residents who are not employed, and their children, may join the urban and rural "
        "residents' basic medical insurance of the city where they live and receive the government subsidy.",
        "description_zh": "未就业的外国人永久居留身份证持有人及其子女，可在居住地参加城乡居民基本医疗保险，并享受政府补助。",
        "legal_basis_en": "Social Insurance Law of the People's Republic of China; " + MEASURES_2012_EN,
        "legal_basis_zh": "《中华人民共和国社会保险法》；" + MEASURES_2012_ZH,
        "procedure_en": "Enrol during the annual contribution period at the community service centre or in the medical "
        "insurance app.",
        "procedure_zh": "在每年集中缴费期内，到社区服务中心或通过医保应用程序参保缴费。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Community service centres; medical insurance service halls.",
        "where_zh": "社区服务中心；医疗保障经办服务大厅。",
        "link": "http://www.nhsa.gov.cn",
        "effective_date": dt.date(2012, 9, 25),
    },
    {
        "agency": "mohrss",
        "category": Category.RESIDENTS_INSURANCE_PENSION,
        "applies_to": AppliesTo.NOT_WORKING,
        "title_en": "Join the residents' basic pension scheme",
        "title_zh": "参加城乡居民基本养老保险",
        "description_en": "Permanent residents aged 16 or over who are not covered by employees' pension insurance may "
        "join the urban and rural residents' basic pension scheme where they live.",
        "description_zh": "年满16周岁、未参加职工基本养老保险的外国人永久居留身份证持有人，可在居住地参加城乡居民基本养老保险。",
        "legal_basis_en": "Opinions of the State Council on Establishing a Unified Basic Pension Insurance System for "
        f"Urban and Rural Residents (2014); {MEASURES_2012_EN}",
        "legal_basis_zh": f"《国务院关于建立统一的城乡居民基本养老保险制度的意见》（2014年）；{MEASURES_2012_ZH}",
        "procedure_en": "Register at the social security window of your sub-district office and choose a contribution grade.",
        "procedure_zh": "到街道社保窗口办理参保登记，并选择缴费档次。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Social security windows of sub-district offices.",
        "where_zh": "街道（乡镇）社保服务窗口。",
        "link": "http://www.mohrss.gov.cn",
        "effective_date": dt.date(2014, 2, 21),
    },
    {
        "agency": "sta",
        "category": Category.TAXATION,
        "applies_to": AppliesTo.WORKING,
        "title_en": "Special additional deductions for individual income tax",
        "title_zh": "个人所得税专项附加扣除",
        "description_en": "Permanent residents who are tax residents of China claim the special additional deductions "
        "(children's education, continuing education, serious illness, housing loan interest or rent, elderly "
        "support, infant care) like Chinese taxpayers.",
        "description_zh": "作为中国税收居民的外国人永久居留身份证持有人，可与中国纳税人同等享受子女教育、继续教育、大病医疗、"
        "住房贷款利息或住房租金、赡养老人、婴幼儿照护等专项附加扣除。",
        "legal_basis_en": "Individual Income Tax Law of the People's Republic of China (2018), art. 6",
        "legal_basis_zh": "《中华人民共和国个人所得税法》（2018年修正）第六条",
        "procedure_en": "Register in the Individual Income Tax app with your card number and fill in the deductions; "
        "your employer applies them each month.",
        "procedure_zh": "使用证件号码注册个人所得税应用程序并填报扣除信息，由扣缴义务人按月扣除。",
        "documents_en": f"{CARD_EN}\nProof for each deduction you claim, kept for five years.",
        "documents_zh": f"{CARD_ZH}\n各项扣除的证明材料，留存备查五年。",
        "where_en": "Online, or the tax service hall of your district.",
        "where_zh": "网上办理，或所在区税务局办税服务厅。",
        "link": "https://www.chinatax.gov.cn",
        "effective_date": dt.date(2019, 1, 1),
    },
    {
        "agency": "mofcom",
        "category": Category.INVESTMENT,
        "title_en": "Invest and register a business with your card as identity",
        "title_zh": "凭证件投资和办理企业登记",
        "description_en": "Permanent residents can use the card as the investor's identity document when setting up or "
        "investing in an enterprise; no notarised passport is required.",
        "description_zh": "外国人永久居留身份证持有人设立或投资企业时，可使用证件作为投资者身份证明，无需提交经公证的护照。",
        "legal_basis_en": "Foreign Investment Law of the People's Republic of China (2019); "
        + OPINIONS_2016_EN,
        "legal_basis_zh": "《中华人民共和国外商投资法》（2019年）；" + OPINIONS_2016_ZH,
        "procedure_en": "Submit the registration online through the market regulation authority's platform, then file "
        "the investment information.",
        "procedure_zh": "通过市场监管部门的网上平台提交登记申请，并报送投资信息。",
        "documents_en": f"{CARD_EN}\nThe articles of association.",
        "documents_zh": f"{CARD_ZH}\n公司章程。",
        "where_en": "Online; the administrative service centre of your city.",
        "where_zh": "网上办理；所在城市政务服务中心。",
        "link": "http://www.mofcom.gov.cn",
        "effective_date": dt.date(2020, 1, 1),
    },
    # Integration services (R19).
    {
        "agency": "moe",
        "kind": Kind.SERVICE,
        "category": Category.LANGUAGE_TRAINING,
        "title_en": "Free Chinese classes for new permanent residents",
        "title_zh": "新获永久居留外国人免费中文课程",
        "description_en": "Twelve-week beginner and intermediate Chinese courses, two evenings a week, for permanent "
        "residents and their family members.",
        "description_zh": "面向外国人永久居留身份证持有人及其家属的十二周初级、中级中文课程，每周两个晚上。",
        "provider_en": "Guangzhou Foreigners Service Centre, Tianhe",
        "provider_zh": "广州市天河区外国人服务中心",
        "procedure_en": "Enrol online or at the centre; classes start each March and September.",
        "procedure_zh": "网上或到中心现场报名；每年三月和九月开班。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Tianhe District, Guangzhou. Tuesday and Thursday, 19:00-21:00.",
        "where_zh": "广州市天河区。每周二、周四19:00-21:00。",
        "link": "http://www.moe.gov.cn",
    },
    {
        "agency": "mohrss",
        "kind": Kind.SERVICE,
        "category": Category.EMPLOYMENT_SERVICES,
        "title_en": "Job matching and career advice at public employment centres",
        "title_zh": "公共就业服务中心岗位对接和职业指导",
        "description_en": "Free job listings, career guidance and job fairs, open to permanent residents like any resident "
        "job seeker.",
        "description_zh": "免费提供岗位信息、职业指导和招聘会，外国人永久居留身份证持有人与居民求职者同等享受。",
        "provider_en": "Chengdu Public Employment Service Centre",
        "provider_zh": "成都市公共就业服务中心",
        "procedure_en": "Register as a job seeker at the centre or on its website.",
        "procedure_zh": "到中心现场或通过其网站进行求职登记。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Chengdu. Monday to Friday, 9:00-17:00.",
        "where_zh": "成都市。周一至周五9:00-17:00。",
        "link": "http://www.mohrss.gov.cn",
    },
    {
        "agency": "spc",
        "kind": Kind.SERVICE,
        "category": Category.LEGAL_AID,
        "title_en": "Help desk for foreign parties at the litigation service centre",
        "title_zh": "诉讼服务中心涉外当事人服务窗口",
        "description_en": "Staff explain court procedures in English, help with filing and refer those who qualify to "
        "legal aid.",
        "description_zh": "工作人员用英语讲解诉讼程序，协助立案，并为符合条件者转介法律援助。",
        "provider_en": "Shenzhen Intermediate People's Court",
        "provider_zh": "深圳市中级人民法院",
        "procedure_en": "Walk in, or book a slot on the court's online platform.",
        "procedure_zh": "现场前往，或通过法院网上平台预约。",
        "documents_en": CARD_EN,
        "documents_zh": CARD_ZH,
        "where_en": "Litigation service centre, Futian District, Shenzhen. Monday to Friday, 9:00-12:00 and 14:00-18:00.",
        "where_zh": "深圳市福田区诉讼服务中心。周一至周五9:00-12:00、14:00-18:00。",
        "link": "https://www.court.gov.cn",
    },
    {
        "agency": "mca",
        "kind": Kind.SERVICE,
        "category": Category.COMMUNITY,
        "title_en": "Welcome sessions for new residents in the community",
        "title_zh": "社区新居民欢迎活动",
        "description_en": "Monthly sessions introducing local services, rubbish sorting, neighbourhood committees and "
        "volunteering, with interpreters.",
        "description_zh": "每月举办，介绍当地公共服务、垃圾分类、居委会和志愿服务，现场提供翻译。",
        "provider_en": "Community service centres of Tianhe District, Guangzhou",
        "provider_zh": "广州市天河区各社区服务中心",
        "procedure_en": "No enrolment needed; tell the centre in advance if you need an interpreter.",
        "procedure_zh": "无需报名；如需翻译请提前告知服务中心。",
        "documents_en": "None.",
        "documents_zh": "无。",
        "where_en": "Community service centres, first Saturday of the month, 10:00.",
        "where_zh": "各社区服务中心，每月第一个周六10:00。",
        "link": "https://www.mca.gov.cn",
    },
]

# Later revisions of published items, so the history shows what changed.
REVISIONS = {
    ("mohrss", "Join social insurance on the same terms as Chinese employees"): {
        "procedure_en": "Your employer registers you within 30 days of hiring. Check your contribution record in the "
        "national social insurance public service platform or app with your card number; the record moves with you "
        "when you change city.",
        "procedure_zh": "用人单位应在招用之日起30日内为您办理参保登记。可使用证件号码在国家社会保险公共服务平台或应用程序中查询缴费记录；"
        "跨城市就业时社保关系随之转移接续。",
    },
}

DRAFTS = [
    {
        "agency": "sta",
        "category": Category.TAXATION,
        "applies_to": AppliesTo.WORKING,
        "title_en": "Annual individual income tax reconciliation",
        "title_zh": "个人所得税综合所得年度汇算",
        "description_en": "Between 1 March and 30 June, tax residents reconcile the year's wages and other income and "
        "claim a refund or pay the balance.",
        "description_zh": "",
        "legal_basis_en": "Individual Income Tax Law of the People's Republic of China (2018), art. 11",
    },
    {
        "agency": "mohrss",
        "category": Category.EMPLOYMENT_SOCIAL_INSURANCE,
        "applies_to": AppliesTo.WORKING,
        "title_en": "Unemployment insurance benefits",
        "title_zh": "失业保险待遇",
        "description_en": "If you lose your job through no choice of your own after paying unemployment insurance for a "
        "year, you may claim unemployment benefits.",
        "description_zh": "非因本人意愿中断就业且已缴纳失业保险满一年的，可申领失业保险金。",
    },
]

WITHDRAWN = {
    "agency": "mps",
    "category": Category.HOTEL_REGISTRATION,
    "title_en": "Register your temporary stay at the local police station",
    "title_zh": "到派出所办理临时住宿登记",
    "description_en": "Permanent residents staying outside hotels registered their stay at the local police station "
    "within 24 hours.",
    "description_zh": "在酒店以外住宿的外国人永久居留身份证持有人，应在24小时内到当地派出所办理住宿登记。",
    "reason": "Replaced: permanent residents now register like residents, and hotels read the card.",
}

STALE = ("gacc", "Personal effects at customs treated as a resident's")


def _publisher(agency: Agency) -> User:
    """An existing supervisor of the agency, or a demo one that cannot log in."""
    supervisor = agency.staff.filter(groups__name=Role.AGENCY_SUPERVISOR).order_by("id").first()
    if supervisor is not None:
        return supervisor
    user, _created = User.objects.get_or_create(
        email=f"publisher@{agency.code}.demo",
        defaults={"full_name": f"{agency.name_en} (publisher)", "agency": agency},
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=Role.AGENCY_SUPERVISOR))
    return user


def _drafter(agency: Agency) -> User:
    staff = agency.staff.filter(groups__name=Role.AGENCY_STAFF).order_by("id").first()
    return staff or _publisher(agency)


def _content(spec: dict) -> dict:
    return {k: v for k, v in spec.items() if k not in ("agency", "reason")}


def _item(agency: Agency, title_en: str) -> BenefitItem | None:
    return BenefitItem.objects.filter(
        agency=agency, translations__language="en", translations__title=title_en
    ).first()


@transaction.atomic
def seed() -> None:
    agencies = {a.code: a for a in Agency.objects.all()}
    for spec in ITEMS:
        agency = agencies[spec["agency"]]
        if _item(agency, spec["title_en"]) is not None:
            continue
        item = services.benefit_item_create(actor=_drafter(agency), values=_content(spec))
        services.benefit_item_publish(actor=_publisher(agency), item=item)
        revision = REVISIONS.get((agency.code, spec["title_en"]))
        if revision:
            services.benefit_item_update(actor=_drafter(agency), item=item, values=revision)
            services.benefit_item_publish(actor=_publisher(agency), item=item)

    for spec in DRAFTS:
        agency = agencies[spec["agency"]]
        if _item(agency, spec["title_en"]) is None:
            services.benefit_item_create(actor=_drafter(agency), values=_content(spec))

    agency = agencies[WITHDRAWN["agency"]]
    if _item(agency, WITHDRAWN["title_en"]) is None:
        item = services.benefit_item_create(actor=_drafter(agency), values=_content(WITHDRAWN))
        services.benefit_item_publish(actor=_publisher(agency), item=item)
        services.benefit_item_withdraw(actor=_publisher(agency), item=item, reason=WITHDRAWN["reason"])

    # One item last published more than a year ago, so the coverage page shows a stale entry.
    stale = _item(agencies[STALE[0]], STALE[1])
    if (
        stale is not None
        and stale.published_at
        and stale.published_at > timezone.now() - dt.timedelta(days=400)
    ):
        long_ago = timezone.now() - dt.timedelta(days=430)
        BenefitItem.objects.filter(pk=stale.pk).update(published_at=long_ago)
        BenefitItemVersion.objects.filter(item=stale).update(published_at=long_ago)

    # The demo applicant holds a card (the cards app will fill this for real holders).
    alice = User.objects.filter(email="alice@applicant.demo").first()
    if alice is not None and not HolderProfile.objects.filter(user=alice).exists():
        services.holder_profile_set(
            actor=None,
            user=alice,
            is_working=True,
            is_minor=False,
            card_number="934401198501011234",
            source="demo",
        )
