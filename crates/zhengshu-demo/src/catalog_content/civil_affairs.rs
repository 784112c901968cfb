//! 民政、残联: social assistance, elderly care, marriage, organisations, disability.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every civil-affairs and disabled persons' federation unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "最低生活保障对象信息" {
        "城乡最低生活保障家庭及成员的认定、保障金额和动态管理信息。"
        "202001" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        family_no "家庭编号" string(30) none;
        head_name "户主姓名" string(50) name;
        id_no "户主身份证号码" string(18) resident_id;
        members "保障人数" integer none;
        monthly_amount "月保障金额（元）" number none;
        address "居住地址" string(200) address;
        approved_on "审批日期" date none;
        street "所属街道" string(20) none;
    }
    "特困人员供养信息" {
        "特困人员认定、供养方式（集中或分散）和供养标准信息。"
        "202002" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        support_mode "供养方式" string(10) none;
        care_level "生活自理能力" string(20) other;
        monthly_amount "供养标准（元/月）" number none;
        institution "供养机构" string(200) none;
    }
    "临时救助信息" {
        "因急难型、支出型困难给予的临时救助申请、审批和发放记录。"
        "202003" "主题" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        case_no "救助编号" string(30) none;
        name "申请人姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        reason "救助事由" string(500) none;
        amount "救助金额（元）" number none;
        approved_on "审批日期" date none;
    }
    "婚姻登记信息" {
        "结婚登记、离婚登记和补领婚姻登记证的办理信息，供婚姻状况核验。"
        "105004" "基础" "公共服务" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        cert_no "婚姻登记证字号" string(30) none;
        reg_type "登记类型" string(10) none;
        male_name "男方姓名" string(50) name;
        male_id_no "男方身份证号码" string(18) resident_id;
        female_name "女方姓名" string(50) name;
        female_id_no "女方身份证号码" string(18) resident_id;
        registered_on "登记日期" date none;
        office "登记机关" string(100) none;
    }
    "收养登记信息" {
        "收养关系成立和解除登记信息，依法保守收养秘密。"
        "308005" "部门" "公共服务" "数据库" "每月" "重要"
        "不予共享" "" NB_ADOPTION
        "不予开放" ""
        cert_no "收养登记证字号" string(30) none;
        adopter_name "收养人姓名" string(50) name;
        adopter_id_no "收养人身份证号码" string(18) resident_id;
        child_name "被收养人姓名" string(50) name;
        registered_on "登记日期" date none;
        reg_type "登记类型" string(10) none;
    }
    "社会组织登记信息" {
        "社会团体、民办非企业单位（社会服务机构）和基金会的登记、年检和评估等级。"
        "102006" "基础" "政务管理" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        uscc "统一社会信用代码" string(18) none;
        org_name "组织名称" string(200) none;
        org_type "组织类型" string(20) none;
        business_scope "业务范围" string(1000) none;
        supervisor "业务主管单位" string(100) none;
        registered_on "成立登记日期" date none;
        rating "评估等级" string(10) none;
    }
    "养老机构信息" {
        "养老机构的名称、地址、床位数、收费标准和服务等级。"
        "202007" "主题" "社会保障" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        institution "机构名称" string(200) none;
        address "地址" string(200) none;
        beds "床位数" integer none;
        nursing_beds "护理型床位数" integer none;
        fee_range "收费区间（元/月）" string(50) none;
        star_rating "星级" integer none;
        phone "咨询电话" string(20) none;
    }
    "高龄老人津贴发放信息" {
        "80周岁以上户籍老年人高龄津贴的申领资格和按月发放记录。"
        "202008" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        age "年龄" integer none;
        monthly_amount "津贴标准（元/月）" number none;
        bank_account "银行账号" string(30) bank_card;
        street "所属街道" string(20) none;
    }
    "长者服务站点信息" {
        "社区长者食堂、长者服务站和日间照料中心的位置和服务内容。"
        "201009" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        site_name "站点名称" string(200) none;
        site_type "站点类型" string(20) none;
        address "地址" string(200) none;
        services "服务内容" string(500) none;
        opening_hours "开放时间" string(100) none;
        community "所属社区" string(30) none;
    }
    "残疾人证信息" {
        "第二代残疾人证的核发、换领和注销信息，包括残疾类别和等级。"
        "105010" "基础" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        cert_no "残疾人证号" string(20) other "身份证号码加残疾类别等级";
        name "姓名" string(50) name;
        disability_type "残疾类别" string(10) other;
        disability_level "残疾等级" string(10) other;
        address "居住地址" string(200) address;
        issued_on "发证日期" date none;
    }
    "残疾人两项补贴信息" {
        "困难残疾人生活补贴和重度残疾人护理补贴的审核和发放信息。"
        "202011" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        subsidy_type "补贴类型" string(20) none;
        monthly_amount "补贴金额（元/月）" number none;
        bank_account "银行账号" string(30) bank_card;
        paid_month "发放月份" string(7) none;
    }
    "殡葬服务信息" {
        "遗体火化、骨灰安放和惠民殡葬补贴的办理信息。"
        "308012" "部门" "公共服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        record_no "业务编号" string(30) none;
        deceased_name "逝者姓名" string(50) name;
        deceased_id_no "逝者身份证号码" string(18) resident_id;
        cremated_on "火化日期" date none;
        subsidy "惠民补贴（元）" number none;
        agent_mobile "经办人手机号码" string(11) mobile;
    }
    "地名信息" {
        "经批准命名、更名的道路、街巷、住宅区、桥梁和公共设施地名及其位置。"
        "103013" "基础" "城市建设" "数据库" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        place_code "地名代码" string(30) none;
        standard_name "标准名称" string(100) none;
        pinyin "汉语拼音" string(200) none;
        category "地名类别" string(20) none;
        origin "地名含义" string(500) none;
        approved_on "批准日期" date none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "慈善组织认定信息" {
        "认定为慈善组织及取得公开募捐资格的社会组织名单。"
        "201014" "主题" "公共服务" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        org_name "组织名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        recognised_on "认定日期" date none;
        public_fundraising "是否具有公开募捐资格" boolean none;
        registrar "登记管理机关" string(100) none;
    }
};
