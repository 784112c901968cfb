//! 公共信用: credit records, red and black lists, credit commitments, credit repair.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every public-credit unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "行政许可信息（双公示）" {
        "各部门作出的行政许可决定，按\"双公示\"要求归集并向社会公示。"
        "104001" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        decision_no "行政许可决定文书号" string(50) none;
        licence_name "许可证书名称" string(100) none;
        counterparty "行政相对人名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        content "许可内容" string(1000) none;
        decided_on "许可决定日期" date none;
        authority "许可机关" string(100) none;
    }
    "行政处罚信息（双公示）" {
        "各部门作出的行政处罚决定，按\"双公示\"要求归集并在公示期内向社会公示。"
        "104002" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        decision_no "处罚决定书文号" string(50) none;
        counterparty "行政相对人名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        violation "违法行为类型" string(200) none;
        content "处罚内容" string(1000) none;
        decided_on "处罚决定日期" date none;
        publicity_until "公示截止期" date none;
        authority "处罚机关" string(100) none;
    }
    "法人公共信用信息报告" {
        "整合各部门信用记录形成的法人公共信用信息报告，供评优评先、招投标和资金扶持审查使用。"
        "104003" "基础" "信用服务" "服务接口" "实时" "重要"
        "有条件共享" SC_DUTY ""
        "有条件开放" OC_PUBLICITY
        report_no "报告编号" string(30) none;
        uscc "统一社会信用代码" string(18) none;
        ent_name "企业名称" string(200) none;
        good_records "良好记录数" integer none;
        bad_records "不良记录数" integer none;
        generated_at "生成时间" datetime none;
    }
    "严重失信主体名单" {
        "各领域依法认定的严重失信主体名单及其认定依据和有效期。"
        "104004" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        subject_name "失信主体名称" string(200) name;
        uscc "统一社会信用代码" string(18) none;
        list_type "名单类别" string(100) none;
        basis "认定依据" string(500) none;
        listed_on "列入日期" date none;
        valid_until "有效期至" date none;
        authority "认定部门" string(100) none;
    }
    "守信激励对象名单" {
        "A级纳税人、海关高级认证企业等守信激励对象名单。"
        "104005" "基础" "信用服务" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        list_type "名单类别" string(100) none;
        listed_on "列入日期" date none;
        authority "认定部门" string(100) none;
    }
    "信用承诺信息" {
        "市场主体在办理审批、申请资金时作出的信用承诺及履约践诺情况。"
        "104006" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        commitment_no "承诺编号" string(30) none;
        subject_name "承诺主体" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        matter "承诺事项" string(200) none;
        committed_on "承诺日期" date none;
        kept "是否践诺" boolean none;
    }
    "信用修复信息" {
        "失信主体申请信用修复的受理、审核结果和修复日期。"
        "104007" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        application_no "申请编号" string(30) none;
        subject_name "申请主体" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        record_type "修复信息类别" string(50) none;
        result "审核结果" string(20) none;
        repaired_on "修复日期" date none;
    }
    "企业信用评价结果" {
        "基于公共信用信息的企业信用综合评价等级，用于分级分类监管。"
        "211008" "主题" "信用服务" "数据库" "每月" "重要"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        ent_name "企业名称" string(200) none;
        score "评价分值" number none;
        level "评价等级" string(10) none;
        model_version "模型版本" string(20) none;
        evaluated_on "评价日期" date none;
    }
    "自然人信用记录" {
        "自然人的失信被执行、欠薪、欠税等公共信用记录，仅依法定职责查询。"
        "104009" "基础" "信用服务" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        record_type "记录类别" string(50) none;
        content "记录内容" string(1000) other;
        recorded_on "记录日期" date none;
        provider "提供部门" string(100) none;
    }
};
