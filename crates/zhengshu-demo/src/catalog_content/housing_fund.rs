//! 住房公积金: deposits, withdrawals and loans of the housing provident fund.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every housing-provident-fund unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "住房公积金缴存单位信息" {
        "办理住房公积金缴存登记的单位、缴存人数和缴存状态。"
        "102001" "基础" "社会保障" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        unit_account "单位公积金账号" string(20) none;
        unit_name "单位名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        depositors "缴存人数" integer none;
        deposit_ratio "缴存比例" number none;
        status "缴存状态" string(10) none;
    }
    "个人住房公积金缴存信息" {
        "职工住房公积金个人账户的缴存基数、月缴存额、余额和缴存状态。"
        "310002" "部门" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        personal_account "个人公积金账号" string(20) other;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        employer "缴存单位" string(200) none;
        base "缴存基数（元）" number none;
        monthly_amount "月缴存额（元）" number none;
        balance "账户余额（元）" number other;
        status "账户状态" string(10) none;
    }
    "住房公积金提取信息" {
        "购房、租房、退休等事由的住房公积金提取申请和审批结果。"
        "310003" "部门" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        withdrawal_no "提取业务号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        reason "提取原因" string(20) none;
        amount "提取金额（元）" number none;
        bank_account "收款银行账号" string(30) bank_card;
        approved_on "审批日期" date none;
    }
    "住房公积金贷款信息" {
        "住房公积金个人住房贷款的发放、还款和逾期情况。"
        "310004" "部门" "社会保障" "数据库" "每日" "重要"
        "不予共享" "" NB_SENSITIVE
        "不予开放" ""
        loan_no "贷款合同号" string(30) none;
        borrower "借款人姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        amount "贷款金额（万元）" number none;
        term_months "贷款期限（月）" integer none;
        house_address "所购房屋地址" string(200) address;
        overdue_periods "逾期期数" integer other;
    }
    "住房公积金缴存证明" {
        "个人住房公积金缴存证明电子凭证，供购房资格审核、贷款和落户等业务核验。"
        "105005" "基础" "社会保障" "服务接口" "实时" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        certificate_no "证明编号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        first_deposit_on "初次缴存日期" date none;
        months "连续缴存月数" integer none;
        issued_at "出具时间" datetime none;
    }
    "住房公积金业务统计" {
        "按月统计的缴存额、提取额、贷款发放额和缴存职工人数。"
        "202006" "主题" "社会保障" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        deposit_total "缴存额（亿元）" number none;
        withdrawal_total "提取额（亿元）" number none;
        loans_issued "发放贷款额（亿元）" number none;
        depositors "实缴职工人数（万人）" number none;
    }
    "住房公积金服务网点信息" {
        "住房公积金管理部和受托银行服务网点的地址、服务时间和可办业务。"
        "201007" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        outlet_name "网点名称" string(200) none;
        address "地址" string(200) none;
        phone "咨询电话" string(20) none;
        service_hours "服务时间" string(100) none;
        services "可办业务" string(500) none;
    }
    "住房公积金缴存单位欠缴信息" {
        "未按规定足额缴存住房公积金单位的欠缴金额、催缴和行政处理信息。"
        "104008" "基础" "信用服务" "电子表格" "每月" "一般"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        unit_name "单位名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        months_owed "欠缴月数" integer none;
        amount_owed "欠缴金额（元）" number none;
        notice_no "催缴通知书编号" string(30) none;
        notified_on "催缴日期" date none;
    }
};
