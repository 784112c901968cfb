//! 财政、审计、金融、公共资源交易: budgets, payments, procurement, audits, finance.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every finance, audit, financial-supervision and trading unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "部门预算公开信息" {
        "各预算单位年度部门预算收支总表、\"三公\"经费预算和项目支出预算。"
        "210001" "主题" "政务管理" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        budget_year "预算年度" integer none;
        unit_name "预算单位" string(200) none;
        total_revenue "收入预算合计（万元）" number none;
        total_expenditure "支出预算合计（万元）" number none;
        three_public "\"三公\"经费（万元）" number none;
        project_expenditure "项目支出（万元）" number none;
    }
    "财政预算执行信息" {
        "一般公共预算和政府性基金预算收支的月度执行情况。"
        "210002" "主题" "政务管理" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        stat_month "统计月份" string(7) none;
        budget_type "预算类别" string(20) none;
        subject "收支科目" string(100) none;
        budget "年初预算（万元）" number none;
        executed "累计执行（万元）" number none;
        rate "执行进度" number none;
    }
    "国库集中支付信息" {
        "预算单位通过国库集中支付系统支付的资金明细。"
        "317003" "部门" "政务管理" "数据库" "每日" "重要"
        "有条件共享" SC_FUNDS ""
        "不予开放" ""
        voucher_no "支付凭证号" string(30) none;
        unit_name "预算单位" string(200) none;
        payee "收款人" string(200) none;
        payee_account "收款人银行账号" string(30) bank_card;
        amount "支付金额（元）" number none;
        subject "功能分类科目" string(100) none;
        paid_on "支付日期" date none;
    }
    "政府采购项目信息" {
        "政府采购项目的采购公告、采购方式、中标（成交）供应商和合同金额。"
        "205004" "主题" "经济发展" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        project_no "项目编号" string(30) none;
        project_name "项目名称" string(200) none;
        purchaser "采购人" string(200) none;
        method "采购方式" string(20) none;
        winner "中标供应商" string(200) none;
        amount "中标金额（万元）" number none;
        announced_on "公告日期" date none;
    }
    "政府采购供应商信息" {
        "在政府采购网注册的供应商及其不良行为记录。"
        "102005" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        supplier "供应商名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        contact "联系人" string(50) name;
        bad_record "不良行为记录" string(500) none;
        registered_on "注册日期" date none;
    }
    "公共资源交易项目信息" {
        "工程建设、土地矿业权、国有产权等公共资源交易项目的公告和成交结果。"
        "205006" "主题" "经济发展" "服务接口" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        project_no "项目编号" string(30) none;
        project_name "项目名称" string(200) none;
        category "交易类别" string(20) none;
        tenderee "招标人" string(200) none;
        winner "中标人" string(200) none;
        amount "成交金额（万元）" number none;
        announced_on "结果公示日期" date none;
    }
    "评标专家信息" {
        "综合评标专家库中专家的专业、职称和抽取记录。"
        "317007" "部门" "经济发展" "数据库" "每日" "重要"
        "不予共享" "" "《中华人民共和国招标投标法》第三十七条"
        "不予开放" ""
        expert_name "专家姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        specialty "评标专业" string(100) none;
        title "职称" string(20) none;
        employer "工作单位" string(200) none;
    }
    "财政专项资金分配信息" {
        "产业扶持、民生保障等财政专项资金的分配对象、金额和拨付情况。"
        "205008" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        fund_name "专项资金名称" string(200) none;
        recipient "资助对象" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        amount "资助金额（万元）" number none;
        approved_on "批准日期" date none;
        department "主管部门" string(100) none;
    }
    "审计项目及整改信息" {
        "年度审计项目计划、审计发现问题和整改落实情况。"
        "317009" "部门" "政务管理" "电子表格" "每半年" "重要"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        project_name "审计项目" string(200) none;
        audited_unit "被审计单位" string(200) none;
        audit_type "审计类型" string(50) none;
        issues "发现问题数" integer none;
        amount_involved "涉及金额（万元）" number none;
        rectified_rate "整改完成率" number none;
    }
    "国有资产配置信息" {
        "行政事业单位房屋、车辆和大型设备等国有资产的配置和使用情况。"
        "317010" "部门" "政务管理" "数据库" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        asset_code "资产编号" string(30) none;
        unit_name "使用单位" string(200) none;
        asset_type "资产类别" string(50) none;
        original_value "原值（万元）" number none;
        acquired_on "取得日期" date none;
        status "使用状况" string(20) none;
    }
    "地方金融组织名录" {
        "小额贷款公司、融资担保公司、典当行、融资租赁公司等地方金融组织名录。"
        "205011" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        org_name "机构名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        org_type "机构类型" string(50) none;
        reg_capital "注册资本（万元）" number none;
        address "注册地址" string(200) none;
        status "经营状态" string(20) none;
    }
    "非法集资风险监测信息" {
        "对涉嫌非法集资企业的监测预警线索、风险等级和处置情况。"
        "317012" "部门" "公共安全" "数据库" "每日" "重要"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        clue_no "线索编号" string(30) none;
        ent_name "涉事企业" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        risk_level "风险等级" string(10) none;
        source "线索来源" string(50) none;
        measure "处置措施" string(200) none;
        found_on "发现日期" date none;
    }
};
