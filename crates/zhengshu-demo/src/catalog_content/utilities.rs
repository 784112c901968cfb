//! 公用事业: power, water supply and gas utilities.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every public-utility company.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "用电户信息" {
        "低压居民和高低压非居民用电户的户号、用电地址、用电类别和合同容量。"
        "328001" "部门" "城市建设" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        account_no "用电户号" string(20) none;
        customer_name "户名" string(200) name;
        address "用电地址" string(200) address;
        category "用电类别" string(20) none;
        capacity_kva "合同容量（千伏安）" number none;
        opened_on "立户日期" date none;
    }
    "企业月度用电量信息" {
        "规模以上工业企业和重点企业的月度用电量，用于经济运行监测。"
        "205002" "主题" "经济发展" "电子表格" "每月" "重要"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        ent_name "企业名称" string(200) none;
        stat_month "统计月份" string(7) none;
        kwh "用电量（千瓦时）" number none;
        yoy "同比增长" number none;
    }
    "全社会用电量统计" {
        "按月、按行业分类的全社会用电量统计。"
        "205003" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        sector "用电分类" string(50) none "第一产业、第二产业、第三产业、城乡居民生活";
        kwh_10k "用电量（万千瓦时）" number none;
        yoy "同比增长" number none;
        customers "用电户数" integer none;
    }
    "计划停电信息" {
        "因检修、施工安排的计划停电区域、时间和影响用户范围。"
        "201004" "主题" "公共服务" "自描述格式" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        notice_no "公告编号" string(30) none;
        area "停电范围" string(1000) none;
        starts_at "开始时间" datetime none;
        ends_at "结束时间" datetime none;
        reason "停电原因" string(200) none;
        street "涉及街道" string(100) none;
    }
    "供水用户信息" {
        "自来水用户的户号、用水地址、用水性质和水表信息。"
        "328005" "部门" "城市建设" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        account_no "用水户号" string(20) none;
        customer_name "户名" string(200) name;
        address "用水地址" string(200) address;
        water_use "用水性质" string(20) none;
        meter_no "水表编号" string(30) none;
        opened_on "立户日期" date none;
    }
    "停水通知信息" {
        "计划停水和突发停水的范围、时间和恢复供水时间。"
        "201006" "主题" "公共服务" "自描述格式" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        notice_no "通知编号" string(30) none;
        area "停水范围" string(1000) none;
        starts_at "开始时间" datetime none;
        restored_at "恢复时间" datetime none;
        reason "停水原因" string(200) none;
    }
    "管道燃气用户信息" {
        "管道燃气居民和工商用户的户号、用气地址和安检状态。"
        "328007" "部门" "城市建设" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        account_no "燃气户号" string(20) none;
        customer_name "户名" string(200) name;
        mobile "手机号码" string(11) mobile;
        address "用气地址" string(200) address;
        user_type "用户类型" string(20) none;
        last_checked_on "最近安检日期" date none;
    }
    "公用事业缴费信息" {
        "水电燃气费用的月度账单、缴费和欠费状态，用于困难群众帮扶和信用评价。"
        "328008" "部门" "公共服务" "数据库" "每月" "重要"
        "不予共享" "" NB_SENSITIVE
        "不予开放" ""
        account_no "用户户号" string(20) none;
        customer_name "户名" string(200) name;
        bill_month "账单月份" string(7) none;
        amount "应缴金额（元）" number none;
        paid "是否已缴" boolean none;
        bank_account "代扣银行账号" string(30) bank_card;
    }
    "供电营业厅信息" {
        "供电营业厅、水务和燃气营业网点的地址、营业时间和可办业务。"
        "201009" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        outlet_name "网点名称" string(100) none;
        outlet_type "网点类型" string(20) none;
        address "地址" string(200) none;
        opening_hours "营业时间" string(100) none;
        services "可办业务" string(500) none;
    }
    "公用管网设施信息" {
        "供电线路、供水管网和燃气管网的走向、管径、材质和权属单位。"
        "103010" "基础" "城市建设" "图形图像" "每季度" "重要"
        "有条件共享" SC_SPATIAL ""
        "不予开放" ""
        segment_code "管段编号" string(30) none;
        network_type "管网类型" string(20) none;
        diameter_mm "管径（毫米）" integer none;
        material "材质" string(20) none;
        owner_unit "权属单位" string(200) none;
        laid_year "敷设年份" integer none;
    }
};
