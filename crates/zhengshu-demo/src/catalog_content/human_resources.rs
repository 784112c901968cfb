//! 人力资源和社会保障: employment, social insurance, talent, labour relations.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every human-resources and social-insurance unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "社会保险参保信息" {
        "职工和灵活就业人员参加养老、医疗、工伤、失业、生育保险的参保登记和缴费状态。"
        "101001" "基础" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        insured_unit "参保单位" string(200) none;
        uscc "单位统一社会信用代码" string(18) none;
        insurance_type "险种" string(20) none;
        status "参保状态" string(10) none;
        first_insured_on "首次参保日期" date none;
        months "累计缴费月数" integer none;
    }
    "社会保险缴费明细" {
        "参保人按月缴费基数、单位及个人缴费金额明细。"
        "307002" "部门" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        pay_month "费款所属期" string(7) none;
        base "缴费基数（元）" number none;
        unit_amount "单位缴费（元）" number none;
        personal_amount "个人缴费（元）" number none;
        insurance_type "险种" string(20) none;
    }
    "参保单位信息" {
        "在本市办理社会保险登记的用人单位及其参保人数、缴费状态。"
        "102003" "基础" "社会保障" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        unit_code "单位社保编号" string(20) none;
        uscc "统一社会信用代码" string(18) none;
        unit_name "单位名称" string(200) none;
        insured_count "参保人数" integer none;
        arrears "是否欠费" boolean none;
        street "所属街道" string(20) none;
    }
    "养老金领取人员信息" {
        "按月领取基本养老金人员的待遇标准和领取资格认证情况。"
        "307004" "部门" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        retired_on "退休日期" date none;
        monthly_pension "月养老金（元）" number none;
        bank_account "银行账号" string(30) bank_card;
        certified_on "最近资格认证日期" date none;
    }
    "就业登记信息" {
        "劳动者就业和失业登记信息，包括用人单位、岗位和登记日期。"
        "101005" "基础" "社会保障" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        mobile "手机号码" string(11) mobile;
        employer "用人单位" string(200) none;
        position "岗位" string(50) none;
        reg_type "登记类型" string(10) none "就业、失业";
        registered_on "登记日期" date none;
    }
    "失业保险金领取信息" {
        "失业保险金申领、核定和发放信息。"
        "307006" "部门" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        months_entitled "核定领取月数" integer none;
        monthly_amount "月领取标准（元）" number none;
        bank_account "银行卡号" string(30) bank_card;
        started_on "开始领取日期" date none;
    }
    "招聘岗位信息" {
        "公共就业服务平台发布的用人单位招聘岗位、薪酬和任职要求。"
        "201007" "主题" "公共服务" "服务接口" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        job_id "岗位编号" string(30) none;
        employer "招聘单位" string(200) none;
        title "岗位名称" string(100) none;
        openings "招聘人数" integer none;
        salary_range "薪酬范围" string(50) none;
        requirements "任职要求" string(2000) none;
        work_place "工作地点" string(200) none;
        published_on "发布日期" date none;
    }
    "职业技能培训补贴信息" {
        "劳动者参加职业技能培训取得证书后申领培训补贴的审核和发放信息。"
        "307008" "部门" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        certificate "证书名称" string(100) none;
        level "等级" string(10) none;
        subsidy "补贴金额（元）" number none;
        bank_account "银行账号" string(30) bank_card;
        paid_on "发放日期" date none;
    }
    "职业技能等级证书信息" {
        "职业技能等级认定和职业资格证书的核发信息，供证书查询核验。"
        "105009" "基础" "社会保障" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        cert_no "证书编号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        occupation "职业（工种）" string(100) none;
        level "等级" string(10) none;
        issued_on "发证日期" date none;
        issuer "评价机构" string(200) none;
    }
    "人才引进信息" {
        "人才引进落户、人才认定和人才住房、补贴等政策兑现信息。"
        "307010" "部门" "经济发展" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        education "学历" string(20) none;
        talent_category "人才类别" string(50) none;
        employer "工作单位" string(200) none;
        subsidy "补贴金额（元）" number none;
        approved_on "认定日期" date none;
    }
    "劳动保障监察案件信息" {
        "拖欠工资、未签劳动合同等劳动保障违法行为投诉举报和监察处理情况。"
        "307011" "部门" "社会保障" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        case_no "案件编号" string(30) none;
        employer "被投诉单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        complainants "投诉人数" integer none;
        amount_owed "涉及金额（元）" number none;
        result "处理结果" string(500) none;
        closed_on "结案日期" date none;
    }
    "劳动人事争议仲裁案件信息" {
        "劳动人事争议仲裁案件的受理、开庭、裁决和调解结案信息。"
        "307012" "部门" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "案号" string(50) none;
        applicant "申请人" string(50) name;
        respondent "被申请人" string(200) none;
        claim "仲裁请求" string(2000) none;
        accepted_on "受理日期" date none;
        closing_method "结案方式" string(20) none "裁决、调解、撤诉";
        closed_on "结案日期" date none;
    }
    "重大欠薪违法行为名单" {
        "依法公布的拖欠农民工工资失信联合惩戒对象名单。"
        "104013" "基础" "信用服务" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        employer "单位名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        violation "违法事实" string(1000) none;
        amount_owed "拖欠金额（元）" number none;
        listed_on "列入日期" date none;
        authority "作出决定部门" string(100) none;
    }
    "就业创业补贴政策信息" {
        "就业创业补贴项目、申请条件、补贴标准和办理渠道。"
        "202014" "主题" "社会保障" "电子文件" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        policy_code "项目编号" string(20) none;
        policy_name "补贴项目" string(100) none;
        target "补贴对象" string(200) none;
        conditions "申请条件" string(2000) none;
        standard "补贴标准" string(500) none;
        channel "办理渠道" string(200) none;
    }
    "劳动力市场供求统计" {
        "按季度统计的公共就业服务机构岗位需求数、求职人数和求人倍率。"
        "205015" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_quarter "统计季度" string(7) none "YYYY-Qn";
        industry "行业" string(50) none;
        demand "岗位需求数" integer none;
        seekers "求职人数" integer none;
        ratio "求人倍率" number none;
    }
    "工伤认定信息" {
        "工伤认定申请、认定结论和劳动能力鉴定结果。"
        "307016" "部门" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        decision_no "认定决定书编号" string(30) none;
        name "受伤职工姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        employer "用人单位" string(200) none;
        injured_on "受伤日期" date none;
        conclusion "认定结论" string(20) none;
        disability_level "伤残等级" string(10) other;
    }
};
