//! 卫生健康: health bureaus, disease control and health inspection.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every health unit (bureau, CDC, health inspection).
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "医疗机构执业许可信息" {
        "医院、社区健康服务中心、门诊部和诊所的执业许可登记信息，包括机构类别、诊疗科目和床位数。"
        "105001" "基础" "医疗卫生" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "执业许可证登记号" string(30) none;
        org_name "机构名称" string(200) none;
        org_type "机构类别" string(50) none;
        ownership "经营性质" string(20) none "非营利性、营利性";
        address "地址" string(200) none;
        departments "诊疗科目" string(1000) none;
        beds "核定床位数" integer none;
        valid_until "有效期至" date none;
    }
    "医师执业注册信息" {
        "医师执业注册、变更和多机构备案信息，用于执业资格核验。"
        "105002" "基础" "医疗卫生" "数据库" "每周" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        cert_no "医师执业证书编码" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        practice_type "执业类别" string(20) none;
        practice_scope "执业范围" string(50) none;
        org_name "主要执业机构" string(200) none;
        registered_on "注册日期" date none;
    }
    "护士执业注册信息" {
        "护士执业注册、变更和延续注册信息，供护士执业资格核验使用。"
        "105003" "基础" "医疗卫生" "数据库" "每周" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        cert_no "护士执业证书编号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        org_name "执业机构" string(200) none;
        registered_on "注册日期" date none;
        valid_until "有效期至" date none;
    }
    "出生医学证明信息" {
        "辖区助产机构签发的出生医学证明信息，供户口登记、入学和社保参保核验使用。"
        "105004" "基础" "医疗卫生" "数据库" "实时" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        cert_no "出生医学证明编号" string(20) none;
        child_name "新生儿姓名" string(50) name;
        gender "性别" string(2) none;
        born_at "出生时间" datetime none;
        mother_name "母亲姓名" string(50) name;
        mother_id_no "母亲身份证号码" string(18) resident_id;
        father_name "父亲姓名" string(50) name;
        issuer "签发机构" string(200) none;
    }
    "法定传染病报告信息" {
        "医疗机构网络直报的法定传染病病例信息，用于疫情监测和流行病学调查。"
        "305005" "部门" "医疗卫生" "数据库" "实时" "核心"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        report_no "报告卡编号" string(30) none;
        patient_name "患者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        address "现住址" string(200) address;
        disease "疾病名称" string(50) none;
        onset_on "发病日期" date none;
        diagnosed_on "诊断日期" date none;
        reporting_org "报告单位" string(200) none;
    }
    "传染病疫情统计信息" {
        "按月汇总的法定传染病发病数和死亡数，按病种和街道分布。"
        "207006" "主题" "医疗卫生" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_RESEARCH
        stat_month "统计月份" string(7) none;
        disease "病种" string(50) none;
        street "街道" string(20) none;
        cases "发病数" integer none;
        deaths "死亡数" integer none;
        incidence "发病率（1/10万）" number none;
    }
    "预防接种信息" {
        "儿童免疫规划疫苗和成人疫苗接种记录，包括疫苗名称、剂次、批号和接种单位。"
        "305007" "部门" "医疗卫生" "数据库" "实时" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        vaccinee_name "受种者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        guardian_mobile "监护人手机号码" string(11) mobile;
        vaccine "疫苗名称" string(100) none;
        dose "剂次" integer none;
        batch_no "疫苗批号" string(30) none;
        vaccinated_at "接种时间" datetime none;
        clinic "接种单位" string(200) none;
    }
    "预防接种门诊信息" {
        "辖区预防接种门诊的名称、地址、服务时间和可接种疫苗种类。"
        "207008" "主题" "医疗卫生" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        clinic_name "门诊名称" string(200) none;
        address "地址" string(200) none;
        phone "咨询电话" string(20) none;
        service_hours "服务时间" string(200) none;
        vaccines "可接种疫苗" string(1000) none;
        street "所属街道" string(20) none;
    }
    "严重精神障碍患者管理信息" {
        "在册严重精神障碍患者的随访、服药和风险评估信息。"
        "305009" "部门" "医疗卫生" "数据库" "每月" "核心"
        "不予共享" "" NB_MENTAL
        "不予开放" ""
        patient_name "患者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        address "现住址" string(200) address;
        diagnosis "诊断" string(100) other;
        risk_level "危险性评估等级" integer other;
        followed_up_on "最近随访日期" date none;
        guardian_mobile "监护人手机号码" string(11) mobile;
    }
    "艾滋病病毒感染者随访信息" {
        "艾滋病病毒感染者和病人的随访管理、抗病毒治疗信息。"
        "305010" "部门" "医疗卫生" "数据库" "每月" "核心"
        "不予共享" "" NB_HIV
        "不予开放" ""
        case_no "病例编号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        treatment "治疗情况" string(100) other;
        followed_up_on "最近随访日期" date none;
    }
    "居民电子健康档案" {
        "居民基本公共卫生服务电子健康档案，包括既往史、慢病管理和体检记录摘要。"
        "305011" "部门" "医疗卫生" "数据库" "每日" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        record_no "档案编号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        address "现住址" string(200) address;
        chronic_diseases "慢性病情况" string(200) other;
        contracted_doctor "签约家庭医生" string(50) name;
        community_centre "管理社康机构" string(200) none;
    }
    "家庭医生签约信息" {
        "家庭医生团队与居民签约的服务包、签约日期和履约情况。"
        "207012" "主题" "医疗卫生" "数据库" "每日" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        contract_no "签约编号" string(30) none;
        resident_name "居民姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        team "家庭医生团队" string(100) none;
        package "服务包" string(100) none;
        signed_on "签约日期" date none;
        valid_until "到期日期" date none;
    }
    "公共场所卫生许可信息" {
        "住宿、沐浴、美容美发、游泳场所等公共场所卫生许可证的核发信息。"
        "105013" "基础" "医疗卫生" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "卫生许可证号" string(30) none;
        unit_name "单位名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        venue_type "场所类别" string(50) none;
        address "经营地址" string(200) none;
        issued_on "发证日期" date none;
        valid_until "有效期至" date none;
    }
    "卫生监督行政处罚信息" {
        "卫生监督机构对医疗机构、公共场所和供水单位的行政处罚决定。"
        "104014" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        decision_no "处罚决定书文号" string(50) none;
        party_name "被处罚单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        violation "违法事实" string(500) none;
        penalty "处罚内容" string(500) none;
        decided_on "处罚日期" date none;
    }
    "医疗卫生资源统计信息" {
        "按年统计的医疗机构数、床位数、卫生技术人员数和诊疗人次。"
        "207015" "主题" "医疗卫生" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_year "统计年度" integer none;
        org_type "机构类别" string(50) none;
        institutions "机构数" integer none;
        beds "床位数" integer none;
        health_workers "卫生技术人员数" integer none;
        visits "诊疗人次（万）" number none;
    }
    "死亡医学证明信息" {
        "医疗机构出具的居民死亡医学证明（推断）书，供户口注销、殡葬和社保核查使用。"
        "305016" "部门" "社会保障" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        cert_no "证明编号" string(30) none;
        name "死者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        death_at "死亡时间" datetime none;
        cause "根本死亡原因" string(200) other;
        issuer "出具机构" string(200) none;
    }
    "社区健康服务中心分布信息" {
        "辖区社区健康服务中心的名称、地址、服务时间和服务项目。"
        "201017" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        centre_name "机构名称" string(200) none;
        parent_hospital "举办医院" string(200) none;
        address "地址" string(200) none;
        phone "联系电话" string(20) none "机构咨询电话";
        service_hours "服务时间" string(200) none;
        street "所属街道" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
};
