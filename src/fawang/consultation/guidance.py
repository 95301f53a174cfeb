"""Per-category guidance: which service items fit, and practical suggestions.

Service items are referred to by their unified catalogue codes (``fawang.catalog`` ships them in
``catalog/data/items.json``); ``SERVICE_FALLBACK`` keeps the consult page useful when the catalogue
has not been loaded. Suggestions are plain-language first steps, not legal conclusions.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CONSULTATION_ITEM = "GGFL-ZX-001"
LEGAL_AID = "GGFL-FY-001"
DEFENCE_AID = "GGFL-FY-002"
MEDIATION = "GGFL-TJ-001"
NOTARY = "GGFL-GZ-001"
APPRAISAL = "GGFL-JD-001"
LAWYER = "GGFL-LS-001"
VILLAGE_ADVISER = "GGFL-GW-001"

SERVICE_FALLBACK = {
    CONSULTATION_ITEM: _("法律咨询"),
    LEGAL_AID: _("法律援助申请"),
    DEFENCE_AID: _("通知辩护、通知代理"),
    MEDIATION: _("人民调解申请"),
    NOTARY: _("公证服务导引与预约"),
    APPRAISAL: _("司法鉴定服务导引"),
    LAWYER: _("律师服务导引"),
    VILLAGE_ADVISER: _("村（居）法律顾问服务"),
}

CATEGORY_SERVICES: dict[str, tuple[str, ...]] = {
    "婚姻家庭": (MEDIATION, LEGAL_AID, NOTARY, LAWYER),
    "刑事辩护": (LEGAL_AID, DEFENCE_AID, LAWYER),
    "合同纠纷": (MEDIATION, LAWYER, NOTARY),
    "房产纠纷": (MEDIATION, NOTARY, LAWYER),
    "侵权": (MEDIATION, APPRAISAL, LAWYER),
    "公司法": (LAWYER, NOTARY),
    "医疗纠纷": (MEDIATION, APPRAISAL, LEGAL_AID, LAWYER),
    "拆迁安置": (LEGAL_AID, LAWYER, MEDIATION),
    "劳动纠纷": (LEGAL_AID, MEDIATION, LAWYER),
    "行政诉讼": (LEGAL_AID, LAWYER),
    "建设工程": (LEGAL_AID, MEDIATION, LAWYER),
    "知识产权": (LAWYER, NOTARY),
    "综合咨询": (MEDIATION, VILLAGE_ADVISER, LAWYER),
    "人身损害": (LEGAL_AID, APPRAISAL, MEDIATION, LAWYER),
    "涉外法律": (LAWYER, NOTARY),
    "海事海商": (LAWYER, MEDIATION),
    "消费权益": (MEDIATION, LAWYER),
    "抵押担保": (LAWYER, NOTARY, MEDIATION),
    "交通事故": (LEGAL_AID, APPRAISAL, MEDIATION, LAWYER),
    "债权债务": (MEDIATION, LAWYER, NOTARY),
}

# Why legal aid is suggested: 法律援助法 第三十一条 lists these matters; 第四十二条 waives the
# means test for migrant workers claiming pay or work-injury damages.
LEGAL_AID_HINT = _(
    "如您经济困难，请求支付劳动报酬、给付赡养费抚养费、工伤或交通事故等人身损害赔偿等事项，"
    "可以向法律援助机构申请免费法律援助（《法律援助法》第三十一条）；进城务工人员请求支付劳动报酬"
    "或工伤赔偿的，免予核查经济困难状况（第四十二条）。"
)

SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "婚姻家庭": (_("收集结婚证、户口簿、子女出生证明以及房产、存款等财产凭证。"),
             _("涉及家庭暴力的，及时报警并保存伤情照片、就诊记录。")),
    "刑事辩护": (_("尽快委托律师或申请法律援助，由律师会见了解案情。"),
             _("向办案机关了解羁押场所和案件阶段，保管好相关法律文书。")),
    "合同纠纷": (_("保留合同文本、付款凭证、聊天记录、发货和验收单据。"),
             _("先以书面方式（短信、函件）催告对方履行并保留发送记录。")),
    "房产纠纷": (_("到不动产登记机构查询房屋权属、抵押和查封情况。"),
             _("保留购房合同、付款凭证、交房和办证相关的往来记录。")),
    "侵权": (_("及时拍照、录像固定现场和损失，保留维修、就医票据。"),
           _("可以先请物业、村（居）委会或人民调解委员会调解。")),
    "公司法": (_("收集公司章程、股东会决议、出资凭证和财务资料。"),
            _("重大股权安排建议由律师审查后再签署。")),
    "医疗纠纷": (_("及时申请复制病历，必要时要求医患双方在场封存病历和实物。"),
             _("可以向医疗纠纷人民调解委员会申请免费调解。")),
    "拆迁安置": (_("保存征收决定、补偿方案、评估报告和公告的照片或文本。"),
             _("注意行政复议（60日）和行政诉讼（6个月）的期限。")),
    "劳动纠纷": (_("保留劳动合同、工资条、银行流水、考勤记录、工作群聊天记录。"),
             _("注意劳动仲裁时效为一年，可向劳动保障监察部门投诉或申请劳动仲裁。")),
    "行政诉讼": (_("保存行政机关作出的决定书、通知书及送达凭证。"),
             _("注意行政复议（60日）和行政诉讼（6个月）的期限。")),
    "建设工程": (_("保留施工合同、签证单、结算单、工程量确认和付款记录。"),
             _("农民工欠薪可向当地人社部门投诉，也可申请法律援助。")),
    "知识产权": (_("保存作品底稿、商标或专利证书，以及侵权页面、购买侵权产品的凭证。"),
             _("可以申请公证保全侵权证据。")),
    "综合咨询": (_("整理事情经过、时间线和相关材料，便于工作人员准确解答。"),
             _("也可以就近到公共法律服务站点或拨打12348当面咨询。")),
    "人身损害": (_("及时就医并保存病历、票据，报警的保存报警回执。"),
             _("伤情需要鉴定的，可以委托司法鉴定机构鉴定。")),
    "涉外法律": (_("保留合同、护照签证、往来函件，外文材料准备翻译件。"),
             _("涉外事项较复杂，建议委托熟悉涉外业务的律师。")),
    "海事海商": (_("收货时当场验货，货损情况书面通知承运人并拍照留证。"),
             _("注意海上货物运输索赔一年的时效。")),
    "消费权益": (_("保留购物小票、发票、订单截图和商品实物。"),
             _("可以拨打12315或通过全国12315平台投诉。")),
    "抵押担保": (_("签署担保合同前弄清保证方式（一般保证或连带责任保证）和保证期间。"),
             _("不动产抵押应当办理抵押登记。")),
    "交通事故": (_("报警并保存事故认定书、病历、票据和保险单。"),
             _("伤残等级需要鉴定的，可以委托司法鉴定机构鉴定。")),
    "债权债务": (_("保存借条、转账记录、聊天记录，定期书面催款以中断诉讼时效。"),
             _("诉讼时效一般为三年，注意及时主张权利。")),
}

LEGAL_AID_CATEGORIES = frozenset({"劳动纠纷", "婚姻家庭", "交通事故", "人身损害", "医疗纠纷", "建设工程",
                                  "刑事辩护", "拆迁安置", "行政诉讼"})

DISCLAIMER = _(
    "本意见书由“法网”智能咨询根据您提供的文字自动生成，仅供参考，不构成正式法律意见，"
    "也不能代替律师、法律援助人员或司法机关对具体案件的判断。法律条文以国家正式公布的文本为准。"
    "事关重大或情况复杂的，请拨打12348公共法律服务热线或到就近的公共法律服务中心（站）咨询。"
)
