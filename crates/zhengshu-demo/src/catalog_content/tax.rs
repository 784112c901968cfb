//! 税务: taxpayer registration, invoices, tax payments, credit ratings.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every tax unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "纳税人登记信息" {
        "单位纳税人和个体纳税人的税务登记、主管税务机关、登记注册类型和纳税人状态。"
        "102001" "基础" "经济发展" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        taxpayer_id "纳税人识别号" string(20) none;
        taxpayer_name "纳税人名称" string(200) none;
        reg_type "登记注册类型" string(50) none;
        industry "行业" string(100) none;
        tax_office "主管税务机关" string(100) none;
        status "纳税人状态" string(10) none;
        registered_on "登记日期" date none;
    }
    "纳税信用等级信息" {
        "纳税信用评价结果，A级纳税人名单依法向社会公布。"
        "104002" "基础" "信用服务" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        taxpayer_id "纳税人识别号" string(20) none;
        taxpayer_name "纳税人名称" string(200) none;
        evaluation_year "评价年度" integer none;
        grade "信用等级" string(2) none;
        published_on "公布日期" date none;
    }
    "企业纳税申报信息" {
        "企业增值税、企业所得税等税种的申报和缴纳明细。"
        "318003" "部门" "经济发展" "数据库" "每月" "核心"
        "不予共享" "" NB_TAX
        "不予开放" ""
        taxpayer_id "纳税人识别号" string(20) none;
        tax_type "税种" string(20) none;
        period "所属期" string(7) none;
        tax_base "计税依据（元）" number none;
        tax_due "应纳税额（元）" number none;
        tax_paid "已缴税额（元）" number none;
        declared_on "申报日期" date none;
    }
    "个人所得税纳税记录" {
        "自然人纳税人的个人所得税完税记录，依申请开具纳税记录用于购房、落户等资格审核。"
        "105004" "基础" "经济发展" "服务接口" "实时" "重要"
        "有条件共享" SC_TAX ""
        "不予开放" ""
        record_no "纳税记录编号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        period_from "所属期起" date none;
        period_to "所属期止" date none;
        withholder "扣缴义务人" string(200) none;
        tax_paid "实缴税额（元）" number other;
    }
    "欠税公告信息" {
        "依法公告的欠缴税款纳税人名称、法定代表人、欠税税种和欠税余额。"
        "104005" "基础" "信用服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        taxpayer_id "纳税人识别号" string(20) none;
        taxpayer_name "纳税人名称" string(200) none;
        legal_rep "法定代表人" string(50) name;
        tax_type "欠税税种" string(50) none;
        balance "欠税余额（元）" number none;
        announced_on "公告日期" date none;
    }
    "重大税收违法失信案件信息" {
        "依法公布的重大税收违法失信主体及其主要违法事实和处理处罚情况。"
        "104006" "基础" "信用服务" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        taxpayer_name "纳税人名称" string(200) none;
        taxpayer_id "纳税人识别号" string(20) none;
        legal_rep "法定代表人" string(50) name;
        violation "主要违法事实" string(2000) none;
        penalty "相关法律依据及处理处罚情况" string(2000) none;
        published_on "公布日期" date none;
    }
    "税收收入统计信息" {
        "按税种、按行业汇总的月度税收收入。"
        "205007" "主题" "经济发展" "电子表格" "每月" "一般"
        "有条件共享" SC_TAX ""
        "有条件开放" OC_REGISTER
        stat_month "统计月份" string(7) none;
        tax_type "税种" string(50) none;
        industry "行业" string(100) none;
        revenue "税收收入（万元）" number none;
        yoy "同比增长" number none;
    }
    "增值税发票开具汇总信息" {
        "按企业、按月汇总的增值税发票开具金额，用于经济运行监测。"
        "318008" "部门" "经济发展" "数据库" "每月" "重要"
        "有条件共享" SC_TAX ""
        "不予开放" ""
        taxpayer_id "纳税人识别号" string(20) none;
        taxpayer_name "纳税人名称" string(200) none;
        period "所属期" string(7) none;
        invoices "开票份数" integer none;
        amount "开票金额（元）" number none;
        tax_amount "税额（元）" number none;
    }
    "办税服务厅信息" {
        "办税服务厅和自助办税点的地址、办公时间和可办业务。"
        "201009" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        hall_name "名称" string(100) none;
        address "地址" string(200) none;
        phone "咨询电话" string(20) none;
        office_hours "办公时间" string(100) none;
        services "可办业务" string(500) none;
    }
    "税收优惠备案信息" {
        "高新技术企业、小微企业等享受的税收减免优惠备案和减免税额。"
        "318010" "部门" "经济发展" "数据库" "每季度" "重要"
        "有条件共享" SC_TAX ""
        "不予开放" ""
        taxpayer_id "纳税人识别号" string(20) none;
        taxpayer_name "纳税人名称" string(200) none;
        preference "优惠事项" string(200) none;
        basis "政策依据" string(200) none;
        relief "减免税额（元）" number none;
        period "所属期" string(7) none;
    }
    "社会保险费征收信息" {
        "税务部门征收的社会保险费的缴费单位、缴费金额和入库日期。"
        "318011" "部门" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_TAX ""
        "不予开放" ""
        payer "缴费单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        insurance_type "险种" string(20) none;
        period "费款所属期" string(7) none;
        amount "缴费金额（元）" number none;
        received_on "入库日期" date none;
    }
    "出口退税信息" {
        "出口企业的出口退（免）税申报和审批退税额。"
        "318012" "部门" "经济发展" "数据库" "每月" "重要"
        "不予共享" "" NB_TAX
        "不予开放" ""
        taxpayer_id "纳税人识别号" string(20) none;
        taxpayer_name "纳税人名称" string(200) none;
        period "申报所属期" string(7) none;
        export_amount "出口额（美元）" number none;
        refund "审批退税额（元）" number none;
        approved_on "审批日期" date none;
    }
};
