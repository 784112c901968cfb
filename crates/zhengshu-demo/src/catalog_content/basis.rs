//! Shared wording: sharing conditions (共享条件), legal bases for not sharing (不予共享依据)
//! and opening conditions (开放条件).

// 共享条件 (有条件共享)

/// Generic: only to units that need it for their statutory duties.
pub(super) const SC_DUTY: &str =
    "仅向因履行法定职责需要使用的政务部门提供，须说明用途并经提供方审核同意";
/// Personal data: query or verification only, minimum necessary.
pub(super) const SC_PERSON: &str =
    "涉及个人信息，按最小必要原则以查询核验接口方式提供，须说明用途并经提供方审核同意";
/// Verification service only, no bulk copies.
pub(super) const SC_VERIFY: &str = "仅提供比对核验服务，不提供批量数据下载，须经提供方审核同意";
/// Business data of enterprises.
pub(super) const SC_ENTERPRISE: &str =
    "涉及企业经营信息，仅限市场监管、税务、统计、经济管理等部门在职责范围内使用，须经提供方审核同意";
/// Personal health data.
pub(super) const SC_HEALTH: &str =
    "涉及个人健康信息，仅限卫生健康、医疗保障、疾病预防控制等部门在职责范围内使用，须经提供方审核同意";
/// Case data of courts, procuratorates and police.
pub(super) const SC_CASE: &str =
    "涉及案件信息，仅限政法机关、纪检监察机关依法调取，须经提供方审核同意";
/// Public money and accounts.
pub(super) const SC_FUNDS: &str =
    "涉及财政资金及账户信息，仅限财政、审计及资金主管部门使用，须经提供方审核同意";
/// Spatial data under the surveying confidentiality rules.
pub(super) const SC_SPATIAL: &str =
    "涉及高精度空间数据，须符合测绘地理信息保密管理要求，经提供方审核同意后在政务外网内使用";
/// Social-assistance and vulnerable-group data.
pub(super) const SC_ASSIST: &str =
    "涉及困难群众及特殊群体个人信息，仅限民政、人力资源、医疗保障、街道社区等部门用于救助帮扶，须经提供方审核同意";
/// Tax data shared to named partners under an agreement.
pub(super) const SC_TAX: &str =
    "依据涉税信息共享协议提供，仅限协议约定部门和用途，须经税务机关审核同意";
/// Real-time feeds whose load must be controlled.
pub(super) const SC_FEED: &str =
    "以接口方式提供实时数据，须申请接入并经提供方审核同意，遵守调用频率限制";

// 不予共享依据 (不予共享)

/// State secrets (criminal investigation, security).
pub(super) const NB_SECRET: &str = "《中华人民共和国保守国家秘密法》第十三条";
/// Taxpayer confidentiality.
pub(super) const NB_TAX: &str = "《中华人民共和国税收征收管理法》第八条";
/// Individual statistical survey returns.
pub(super) const NB_STATISTICS: &str = "《中华人民共和国统计法》第二十五条";
/// Mental-disorder patients.
pub(super) const NB_MENTAL: &str = "《中华人民共和国精神卫生法》第四条";
/// HIV/AIDS patients.
pub(super) const NB_HIV: &str = "《艾滋病防治条例》第三十九条";
/// Sealed criminal records of minors.
pub(super) const NB_JUVENILE: &str = "《中华人民共和国刑事诉讼法》第二百八十六条";
/// Adoption secrecy.
pub(super) const NB_ADOPTION: &str = "《中华人民共和国民法典》第一千一百一十条";
/// Sensitive personal information.
pub(super) const NB_SENSITIVE: &str = "《中华人民共和国个人信息保护法》第二十八条、第二十九条";

// 开放条件 (有条件开放)

/// Registered users under a data-use agreement.
pub(super) const OC_REGISTER: &str = "须在开放平台实名注册并签署数据使用协议，仅可用于协议约定用途";
/// API access with an application key.
pub(super) const OC_API: &str = "通过开放平台接口开放，须实名注册并申请应用密钥，遵守调用频率限制";
/// Research use of de-identified data.
pub(super) const OC_RESEARCH: &str =
    "面向高校、科研机构和企业开放脱敏数据，须提交使用申请并经提供方审核，不得用于识别特定个人";
/// Publicity fields only.
pub(super) const OC_PUBLICITY: &str = "仅开放依法应当公示的字段，须实名注册并承诺不用于商业营销";
