//! 医疗保障: medical insurance enrolment, settlement, designated institutions, assistance.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every medical-insurance unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "医疗保险参保信息" {
        "职工基本医疗保险和城乡居民基本医疗保险参保人的参保档次、参保状态和参保单位。"
        "101001" "基础" "医疗卫生" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        insurance_type "参保险种" string(20) none;
        tier "参保档次" string(10) none;
        employer "参保单位" string(200) none;
        status "参保状态" string(10) none;
        insured_on "参保日期" date none;
    }
    "医保结算信息" {
        "参保人在定点医药机构就医购药的费用结算明细，包括统筹支付、个人账户支付和个人自付。"
        "322002" "部门" "医疗卫生" "数据库" "实时" "核心"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        settlement_no "结算流水号" string(30) none;
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        institution "定点医药机构" string(200) none;
        total "医疗费用总额（元）" number none;
        fund_paid "统筹基金支付（元）" number none;
        account_paid "个人账户支付（元）" number none;
        self_paid "个人自付（元）" number none;
        settled_at "结算时间" datetime none;
    }
    "定点医药机构信息" {
        "医保定点医疗机构和定点零售药店的名称、等级、地址和服务类别。"
        "207003" "主题" "医疗卫生" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        org_code "医保机构编码" string(20) none;
        org_name "机构名称" string(200) none;
        org_type "机构类型" string(20) none;
        level "医院等级" string(20) none;
        address "地址" string(200) none;
        cross_province "是否开通跨省直接结算" boolean none;
    }
    "医保药品目录信息" {
        "医保药品目录中药品的编码、名称、剂型、甲乙类别和支付限制。"
        "207004" "主题" "医疗卫生" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        drug_code "医保药品编码" string(30) none;
        drug_name "药品名称" string(100) none;
        dosage_form "剂型" string(20) none;
        category "甲乙类" string(10) none;
        limits "支付限制" string(500) none;
    }
    "医疗救助信息" {
        "特困、低保等困难群众的医疗救助资助参保和费用救助记录。"
        "202005" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        aid_category "救助对象类别" string(20) none;
        sponsored_premium "资助参保金额（元）" number none;
        aid_amount "医疗救助金额（元）" number none;
        aided_on "救助日期" date none;
    }
    "门诊特定病种认定信息" {
        "参保人门诊特定病种（慢特病）的申请认定结果和待遇有效期。"
        "322006" "部门" "医疗卫生" "数据库" "每日" "重要"
        "不予共享" "" NB_SENSITIVE
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        disease "病种" string(100) other;
        institution "认定机构" string(200) none;
        valid_from "待遇开始日期" date none;
        valid_until "待遇截止日期" date none;
    }
    "医保基金监管检查信息" {
        "对定点医药机构的医保基金使用监督检查、违规问题和追回金额。"
        "322007" "部门" "医疗卫生" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        institution "被检查机构" string(200) none;
        checked_on "检查日期" date none;
        problem "违规问题" string(1000) none;
        recovered "追回金额（元）" number none;
        penalty "处理结果" string(500) none;
    }
    "医保基金收支统计" {
        "职工和居民医保基金的月度收入、支出和累计结存。"
        "202008" "主题" "社会保障" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        stat_month "统计月份" string(7) none;
        fund_type "基金类别" string(20) none;
        income "基金收入（亿元）" number none;
        expenditure "基金支出（亿元）" number none;
        balance "累计结存（亿元）" number none;
    }
    "异地就医备案信息" {
        "参保人异地长期居住、临时外出就医的备案信息。"
        "322009" "部门" "医疗卫生" "数据库" "每日" "一般"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        filing_type "备案类型" string(20) none;
        destination "就医地" string(100) none;
        valid_from "备案开始日期" date none;
        valid_until "备案截止日期" date none;
    }
    "医疗服务项目价格信息" {
        "医疗服务价格项目的编码、名称、价格和医保支付类别。"
        "207010" "主题" "医疗卫生" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        item_code "项目编码" string(30) none;
        item_name "项目名称" string(200) none;
        unit "计价单位" string(20) none;
        price "价格（元）" number none;
        payment_category "医保支付类别" string(10) none;
    }
    "长期护理保险待遇信息" {
        "长期护理保险失能等级评估结果和护理服务待遇享受记录。"
        "322011" "部门" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        disability_grade "失能等级" string(10) other;
        service_provider "护理服务机构" string(200) none;
        monthly_benefit "月待遇（元）" number none;
        assessed_on "评估日期" date none;
    }
};
