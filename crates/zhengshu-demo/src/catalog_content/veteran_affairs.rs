//! 退役军人事务: veterans' information, benefits and service stations.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every veteran-affairs unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "退役军人信息采集" {
        "退役军人和其他优抚对象的基本信息、服役经历和现状信息。"
        "321001" "部门" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        id_no "身份证号码" string(18) resident_id;
        name "姓名" string(50) name;
        mobile "手机号码" string(11) mobile;
        enlisted_on "入伍日期" date none;
        discharged_on "退役日期" date none;
        service_branch "军种" string(20) none;
        resettlement "安置方式" string(20) none;
        address "居住地址" string(200) address;
    }
    "优待证发放信息" {
        "退役军人和其他优抚对象优待证的申领和发放信息，供优待服务核验。"
        "105002" "基础" "社会保障" "数据库" "每周" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        cert_no "优待证编号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        holder_type "持证对象类别" string(20) none;
        issued_on "发放日期" date none;
    }
    "优抚对象抚恤补助信息" {
        "残疾军人、烈属、在乡老复员军人等优抚对象的定期抚恤补助发放信息。"
        "202003" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        category "优抚类别" string(20) none;
        monthly_amount "抚恤补助标准（元/月）" number none;
        bank_account "银行账号" string(30) bank_card;
        paid_month "发放月份" string(7) none;
    }
    "退役军人服务站信息" {
        "区、街道、社区三级退役军人服务中心（站）的地址和联系方式。"
        "201004" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        station_name "服务站名称" string(200) none;
        level "层级" string(10) none;
        address "地址" string(200) none;
        phone "联系电话" string(20) none "服务站办公电话";
        service_hours "服务时间" string(100) none;
    }
    "退役军人就业创业服务信息" {
        "退役军人适应性培训、职业技能培训、就业推荐和创业扶持记录。"
        "321005" "部门" "社会保障" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        service_type "服务类型" string(20) none;
        training "培训项目" string(100) none;
        employer "推荐就业单位" string(200) none;
        served_on "服务日期" date none;
    }
    "烈士纪念设施信息" {
        "辖区烈士陵园、纪念碑等烈士纪念设施的名称、位置和保护级别。"
        "206006" "主题" "教育文化" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        facility_name "设施名称" string(200) none;
        protection_level "保护级别" string(20) none;
        address "地址" string(200) none;
        built_year "建成年份" integer none;
        buried "安葬烈士人数" integer none;
        open_hours "开放时间" string(100) none;
    }
    "军人家庭光荣牌悬挂信息" {
        "为军属、退役军人家庭悬挂光荣牌的登记信息。"
        "321007" "部门" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        name "户主姓名" string(50) name;
        family_type "家庭类别" string(20) none;
        address "悬挂地址" string(200) address;
        hung_on "悬挂日期" date none;
        community "所属社区" string(30) none;
    }
    "退役军人帮扶援助信息" {
        "生活困难退役军人的走访慰问、帮扶援助和援助金额。"
        "202008" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        difficulty "困难类型" string(50) none;
        aid_type "帮扶方式" string(50) none;
        amount "援助金额（元）" number none;
        aided_on "帮扶日期" date none;
    }
    "拥军优属政策信息" {
        "军人军属、退役军人在交通、文旅、医疗等方面享受优待的政策目录。"
        "202009" "主题" "社会保障" "电子文件" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        policy_name "优待项目" string(200) none;
        target "优待对象" string(200) none;
        content "优待内容" string(1000) none;
        provider "提供单位" string(200) none;
        basis "政策依据" string(200) none;
    }
};
