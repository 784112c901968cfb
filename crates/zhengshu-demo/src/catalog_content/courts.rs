//! 法院、检察院: cases, judgments, enforcement, court sessions, procuratorial work.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every court and procuratorate.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "失信被执行人信息" {
        "依法纳入失信被执行人名单的自然人、法人和非法人组织及其失信情形。"
        "104001" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        case_no "执行案号" string(50) none;
        party_name "被执行人姓名或名称" string(200) name;
        party_type "主体类型" string(10) none "自然人、法人、非法人组织";
        obligation "生效法律文书确定的义务" string(2000) none;
        circumstance "失信被执行人行为具体情形" string(500) none;
        published_on "发布日期" date none;
        court "执行法院" string(100) none;
    }
    "限制消费人员信息" {
        "被采取限制消费措施的被执行人及其限制范围。"
        "104002" "基础" "信用服务" "数据库" "每日" "重要"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "执行案号" string(50) none;
        party_name "被执行人" string(200) name;
        id_no "身份证号码" string(18) resident_id;
        order_date "发布日期" date none;
        court "执行法院" string(100) none;
        lifted "是否已解除" boolean none;
    }
    "开庭公告信息" {
        "公开开庭审理案件的案号、案由、开庭时间和法庭。"
        "209003" "主题" "公共安全" "电子表格" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        case_no "案号" string(50) none;
        cause "案由" string(100) none;
        session_at "开庭时间" datetime none;
        courtroom "法庭" string(50) none;
        presiding_judge "审判长" string(50) none;
    }
    "裁判文书信息" {
        "依法公开的民事、刑事、行政裁判文书，当事人信息已按规定隐名处理。"
        "209004" "主题" "公共安全" "电子文件" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        case_no "案号" string(50) none;
        title "文书标题" string(200) none;
        doc_type "文书类型" string(20) none;
        cause "案由" string(100) none;
        trial_level "审理程序" string(20) none;
        judged_on "裁判日期" date none;
        full_text "文书全文" string(4000) none "已隐名处理";
    }
    "诉讼案件审判流程信息" {
        "案件立案、分案、开庭、结案各节点信息，供当事人查询和跨部门协同。"
        "324005" "部门" "公共安全" "数据库" "实时" "重要"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "案号" string(50) none;
        case_type "案件类型" string(20) none;
        cause "案由" string(100) none;
        plaintiff "原告" string(200) name;
        defendant "被告" string(200) name;
        filed_on "立案日期" date none;
        stage "当前节点" string(20) none;
        closed_on "结案日期" date none;
    }
    "执行案件信息" {
        "执行案件的申请执行人、被执行人、执行标的和执行到位金额。"
        "324006" "部门" "信用服务" "数据库" "每日" "重要"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "执行案号" string(50) none;
        applicant "申请执行人" string(200) name;
        respondent "被执行人" string(200) name;
        target_amount "执行标的（元）" number none;
        recovered "执行到位金额（元）" number none;
        filed_on "立案日期" date none;
        closing_method "结案方式" string(20) none;
    }
    "司法拍卖信息" {
        "网络司法拍卖的标的物、起拍价、拍卖时间和成交结果。"
        "205007" "主题" "经济发展" "服务接口" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        auction_no "拍卖编号" string(30) none;
        item "标的物" string(500) none;
        starting_price "起拍价（元）" number none;
        starts_at "开拍时间" datetime none;
        deal_price "成交价（元）" number none;
        court "处置法院" string(100) none;
    }
    "诉前调解案件信息" {
        "诉调对接中心委派、委托调解的民商事纠纷及调解结果。"
        "324008" "部门" "公共安全" "数据库" "每日" "一般"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "调解案号" string(50) none;
        dispute_type "纠纷类型" string(50) none;
        parties "当事人" string(200) name;
        mediator_org "调解组织" string(200) none;
        result "调解结果" string(20) none;
        closed_on "结案日期" date none;
    }
    "审判执行工作统计" {
        "按月统计的收案、结案、结收案比、审限内结案率和执行到位率。"
        "210009" "主题" "政务管理" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        case_type "案件类型" string(20) none;
        received "收案数" integer none;
        closed "结案数" integer none;
        closure_ratio "结收案比" number none;
        on_time_rate "审限内结案率" number none;
    }
    "未成年人犯罪记录信息" {
        "依法封存的未成年人犯罪记录，除司法机关办案需要或有关单位依法查询外不得提供。"
        "324010" "部门" "公共安全" "数据库" "实时" "核心"
        "不予共享" "" NB_JUVENILE
        "不予开放" ""
        case_no "案号" string(50) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        charge "罪名" string(100) other;
        sentence "判处刑罚" string(200) other;
        sealed_on "封存日期" date none;
    }
    "检察公益诉讼案件信息" {
        "生态环境、食品药品安全、国有财产保护等领域公益诉讼的立案、诉前检察建议和起诉情况。"
        "324011" "部门" "公共安全" "电子表格" "每月" "一般"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "案号" string(50) none;
        field "领域" string(50) none;
        respondent "行政机关或违法主体" string(200) none;
        recommendation "诉前检察建议" string(1000) none;
        filed_on "立案日期" date none;
        result "办理结果" string(200) none;
    }
    "刑事案件审查起诉信息" {
        "检察机关受理审查起诉、起诉和不起诉的刑事案件信息。"
        "324012" "部门" "公共安全" "数据库" "每日" "核心"
        "不予共享" "" NB_SECRET
        "不予开放" ""
        case_no "案号" string(50) none;
        suspect "犯罪嫌疑人" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        charge "涉嫌罪名" string(100) other;
        accepted_on "受理日期" date none;
        decision "审查结论" string(20) none;
    }
};
