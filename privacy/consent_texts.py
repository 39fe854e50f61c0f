"""The consent texts, versioned, in both languages (PIPL arts. 14, 15, 17).

A consent row stores the version it was given to; the words of a version never change once
published (a new wording is a new version), so the text a person agreed to can always be shown
again exactly. The texts are written here in both languages rather than through the translation
catalogue, because a catalogue edit must not change what someone has already agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    en: str
    zh: str
    # What withdrawing means, shown beside the consent and on the privacy page.
    withdrawal_en: str
    withdrawal_zh: str

    def text(self, language: str | None = None) -> str:
        return self.zh if _zh(language) else self.en

    def withdrawal(self, language: str | None = None) -> str:
        return self.withdrawal_zh if _zh(language) else self.withdrawal_en


def _zh(language: str | None) -> bool:
    return (language or get_language() or "en").startswith("zh")


TEXTS: tuple[ConsentText, ...] = (
    ConsentText(
        purpose="application",
        version="application-2026-1",
        en=(
            "I agree that the National Immigration Administration and the immigration office of my place of "
            "residence process the personal information in this application (identity, passport, contact "
            "details, residence, work, income, family and the documents I upload) to examine and decide it, "
            "to issue and manage a permanent residence card if it is granted, and that they ask the agencies "
            "named on the status page to confirm the facts I state. The information is kept for the periods "
            "published in the portal's retention policy, then deleted."
        ),
        zh=(
            "本人同意国家移民管理局及本人居住地出入境管理机构为审查和决定本申请、在批准后签发和管理永久居留身份证，"
            "处理本申请中的个人信息（身份、护照、联系方式、居住、工作、收入、家庭情况及本人上传的材料），"
            "并同意其向状态页面所列部门核实本人陈述的事实。上述信息按本门户公布的保存期限保存，期满后删除。"
        ),
        withdrawal_en=(
            "This consent cannot be withdrawn on its own while the application is examined: withdrawing it means "
            "withdrawing the application, which stops its examination at once. After a decision the records are "
            "kept for the published periods because the law requires it, and are then deleted."
        ),
        withdrawal_zh=(
            "申请审查期间不能单独撤回本同意：撤回即撤回申请，申请的审查随即终止。"
            "作出决定后，依法须保存的记录按公布的期限保存，期满后删除。"
        ),
    ),
    ConsentText(
        purpose="intermediary",
        version="intermediary-2026-1",
        en=(
            "I authorise this intermediary to see my applicant profiles, applications, documents and "
            "notifications in the portal and to prepare, submit and follow my applications for me, until I "
            "withdraw this authorisation."
        ),
        zh=(
            "本人授权该中介机构在本门户中查看本人的申请人资料、申请、材料和通知，并代本人准备、提交和跟进申请，"
            "直至本人撤回本授权。"
        ),
        withdrawal_en=(
            "Withdrawing ends the authorisation at once: the intermediary can no longer see or act on your "
            "records. What they did for you before stays part of your applications."
        ),
        withdrawal_zh="撤回后授权立即终止：该中介机构不能再查看或处理您的记录。此前代您办理的事项仍属于您的申请。",
    ),
    ConsentText(
        purpose="counter",
        version="counter-2026-1",
        en=(
            "I ask the staff of this service window to enter my application in the portal for me, and agree that "
            "they see the information and documents I give them for that purpose, until I take the application "
            "over in my own account or withdraw this consent."
        ),
        zh=(
            "本人请求本服务窗口工作人员代本人在本门户中录入申请，并同意其为此查看本人提供的信息和材料，"
            "直至本人在自己的账户中接管该申请或撤回本同意。"
        ),
        withdrawal_en=(
            "Withdrawing ends the window staff's access at once; the application itself stays yours and is not "
            "withdrawn."
        ),
        withdrawal_zh="撤回后服务窗口工作人员的访问权限立即终止；申请本身仍属于您，不会被撤回。",
    ),
)

# Consents recorded before versioned texts (migration 0002): the moment is known, the wording is not.
EARLIER = tuple(
    ConsentText(
        purpose=purpose,
        version="before-2026-1",
        en="Given before consent texts were versioned; the wording shown then was not kept.",
        zh="在同意文本实行版本管理之前作出；当时显示的文字未予保存。",
        withdrawal_en=current_withdrawal[0],
        withdrawal_zh=current_withdrawal[1],
    )
    for purpose, current_withdrawal in (
        ("application", (TEXTS[0].withdrawal_en, TEXTS[0].withdrawal_zh)),
        ("intermediary", (TEXTS[1].withdrawal_en, TEXTS[1].withdrawal_zh)),
    )
)
BY_VERSION = {text.version: text for text in TEXTS}


def current(purpose: str) -> ConsentText:
    """The newest version for a purpose (the last one listed)."""
    return [text for text in TEXTS if text.purpose == purpose][-1]


def version(version_id: str, purpose: str | None = None) -> ConsentText | None:
    if version_id == "before-2026-1":
        return next((text for text in EARLIER if text.purpose == purpose), None)
    return BY_VERSION.get(version_id)
