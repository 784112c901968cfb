//! 司法行政: lawyers, notaries, legal aid, mediation, community corrections, reviews.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every justice-administration unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "律师事务所信息" {
        "律师事务所的名称、组织形式、执业许可证号、负责人和执业律师人数。"
        "102001" "基础" "公共服务" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "执业许可证号" string(30) none;
        firm_name "律师事务所名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        form "组织形式" string(20) none;
        lawyers "执业律师人数" integer none;
        address "地址" string(200) none;
        phone "联系电话" string(20) none "事务所电话";
    }
    "律师执业信息" {
        "律师执业证书、执业机构和年度考核结果，供律师身份核验。"
        "105002" "基础" "公共服务" "数据库" "每月" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        licence_no "执业证号" string(30) none;
        name "姓名" string(50) name;
        firm_name "执业机构" string(200) none;
        practice_type "执业类别" string(20) none;
        first_licensed_on "首次执业日期" date none;
        assessment "年度考核结果" string(20) none;
    }
    "公证书信息" {
        "公证机构出具的公证书编号、公证事项和当事人，供公证书真伪核验。"
        "105003" "基础" "公共服务" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        cert_no "公证书编号" string(30) none;
        matter "公证事项" string(100) none;
        party_name "当事人姓名" string(50) name;
        party_id_no "当事人身份证号码" string(18) resident_id;
        notary "承办公证员" string(50) none;
        issued_on "出证日期" date none;
    }
    "法律援助案件信息" {
        "法律援助申请、受理审查、指派承办和结案信息。"
        "323004" "部门" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        case_no "案件编号" string(30) none;
        applicant "申请人姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        case_type "案件类别" string(50) none;
        lawyer "承办律师" string(50) none;
        accepted_on "受理日期" date none;
        closed_on "结案日期" date none;
    }
    "人民调解案件信息" {
        "人民调解委员会受理的矛盾纠纷、调解结果和协议履行情况。"
        "323005" "部门" "公共安全" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        case_no "案件编号" string(30) none;
        committee "调解委员会" string(200) none;
        dispute_type "纠纷类型" string(50) none;
        parties "当事人" string(200) name;
        result "调解结果" string(20) none;
        agreement "是否达成协议" boolean none;
        closed_on "结案日期" date none;
    }
    "人民调解组织信息" {
        "街道、社区和行业性专业性人民调解委员会及人民调解员数量。"
        "201006" "主题" "公共服务" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        committee "调解委员会名称" string(200) none;
        committee_type "类型" string(50) none;
        mediators "调解员人数" integer none;
        address "地址" string(200) none;
        phone "联系电话" string(20) none "调委会办公电话";
    }
    "社区矫正对象信息" {
        "社区矫正对象的矫正类别、矫正期限、执行地和监管措施。"
        "323007" "部门" "公共安全" "数据库" "每日" "核心"
        "不予共享" "" "《中华人民共和国社区矫正法》有关社区矫正对象身份信息和个人隐私保密的规定"
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        category "矫正类别" string(20) other;
        starts_on "矫正起始日期" date none;
        ends_on "矫正截止日期" date none;
        address "执行地" string(200) address;
    }
    "刑满释放人员安置帮教信息" {
        "刑满释放人员的衔接、安置和帮教记录。"
        "323008" "部门" "公共安全" "数据库" "每月" "重要"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        released_on "释放日期" date none;
        placement "安置情况" string(100) none;
        helper "帮教责任人" string(50) none;
        community "所在社区" string(30) none;
    }
    "行政复议案件信息" {
        "行政复议申请受理、审理和决定信息。"
        "323009" "部门" "政务管理" "数据库" "每日" "一般"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "案号" string(50) none;
        applicant "申请人" string(200) name;
        respondent "被申请人" string(200) none;
        matter "复议事项" string(500) none;
        decision "复议决定" string(50) none;
        decided_on "决定日期" date none;
    }
    "行政规范性文件备案信息" {
        "各部门和街道制定的行政规范性文件合法性审核和备案信息。"
        "210010" "主题" "政务管理" "电子文件" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        doc_no "文号" string(50) none;
        title "文件名称" string(200) none;
        issuer "制定机关" string(100) none;
        issued_on "发布日期" date none;
        filed_on "备案日期" date none;
        status "效力状态" string(10) none;
    }
    "公共法律服务站点信息" {
        "公共法律服务中心、工作站和工作室的地址、服务时间和服务内容。"
        "201011" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        site_name "站点名称" string(200) none;
        level "层级" string(10) none;
        address "地址" string(200) none;
        service_hours "服务时间" string(100) none;
        services "服务内容" string(500) none;
    }
};
