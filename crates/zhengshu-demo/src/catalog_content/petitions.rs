//! 信访: letters and visits, their handling and statistics.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every petitions unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "信访事项登记信息" {
        "来信、来访、网上信访事项的登记、受理、交办和办理结果。"
        "325001" "部门" "政务管理" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        case_no "信访件编号" string(30) none;
        petitioner "信访人姓名" string(50) name;
        id_no "信访人身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        address "联系地址" string(200) address;
        channel "信访形式" string(10) none;
        content "信访内容" string(4000) none;
        received_on "登记日期" date none;
        handler "责任单位" string(100) none;
        result "办理结果" string(1000) none;
    }
    "信访人身份及联系信息" {
        "信访人身份证件、联系方式和代表人信息，依法保护信访人隐私。"
        "325002" "部门" "政务管理" "数据库" "实时" "重要"
        "不予共享" "" "《信访工作条例》有关保护信访人隐私的规定"
        "不予开放" ""
        petitioner "信访人姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        address "住址" string(200) address;
        representative "是否为代表人" boolean none;
    }
    "信访事项办理时效信息" {
        "信访事项受理告知、按期办结、满意度评价等时效和质量指标。"
        "325003" "部门" "政务管理" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        case_no "信访件编号" string(30) none;
        handler "责任单位" string(100) none;
        accepted_in_time "是否按期受理" boolean none;
        closed_in_time "是否按期办结" boolean none;
        satisfaction "满意度评价" string(10) none;
        closed_on "办结日期" date none;
    }
    "信访形势统计信息" {
        "按月、按问题类别和街道统计的信访总量、集体访和重复访。"
        "210004" "主题" "政务管理" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        stat_month "统计月份" string(7) none;
        street "街道" string(20) none;
        category "问题类别" string(50) none;
        total "信访总量" integer none;
        group_visits "集体访批次" integer none;
        repeat_visits "重复访件数" integer none;
    }
    "信访接待场所信息" {
        "区、街道信访接待场所的地址、接待时间和网上信访渠道。"
        "201005" "主题" "公共服务" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        office_name "接待场所" string(200) none;
        address "地址" string(200) none;
        reception_hours "接待时间" string(100) none;
        phone "咨询电话" string(20) none;
        online_channel "网上信访渠道" string(200) none;
    }
    "领导接访下访安排信息" {
        "领导干部公开接访、下访约访的时间、地点和接访领导。"
        "210006" "主题" "政务管理" "电子文件" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        scheduled_on "接访日期" date none;
        leader "接访领导" string(50) none;
        position "职务" string(100) none;
        venue "接访地点" string(200) none;
        topics "主要接访事项" string(200) none;
    }
    "信访复查复核信息" {
        "对信访事项处理意见不服申请复查、复核的受理和结论。"
        "325007" "部门" "政务管理" "数据库" "每月" "一般"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        case_no "复查复核编号" string(30) none;
        applicant "申请人" string(50) name;
        original_case "原信访件编号" string(30) none;
        review_type "类型" string(10) none "复查、复核";
        conclusion "结论" string(500) none;
        decided_on "作出日期" date none;
    }
    "矛盾纠纷排查化解信息" {
        "街道社区排查的矛盾纠纷、风险等级、化解责任人和化解结果。"
        "325008" "部门" "公共安全" "数据库" "每周" "重要"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        issue_no "纠纷编号" string(30) none;
        street "街道" string(20) none;
        category "纠纷类别" string(50) none;
        parties "涉及人数" integer none;
        risk_level "风险等级" string(10) none;
        resolver "化解责任单位" string(100) none;
        resolved "是否化解" boolean none;
    }
};
