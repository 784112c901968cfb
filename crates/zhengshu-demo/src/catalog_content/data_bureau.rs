//! 政务服务数据管理: service items, service halls, self-service terminals, e-licences,
//! the 12345 hotline and the city operations centre.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every government-service and data-management unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "政务服务事项目录" {
        "依申请政务服务事项的实施清单，包括事项编码、办理条件、申请材料、承诺时限和收费标准。"
        "210001" "主题" "政务管理" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        item_code "事项编码" string(40) none;
        item_name "事项名称" string(200) none;
        item_type "事项类型" string(20) none "行政许可、行政确认、公共服务等";
        department "实施部门" string(100) none;
        conditions "办理条件" string(2000) none;
        materials "申请材料" string(2000) none;
        legal_days "法定时限（工作日）" integer none;
        promised_days "承诺时限（工作日）" integer none;
        fee "是否收费" boolean none;
        online_level "网办深度" string(10) none;
    }
    "政务服务办件信息" {
        "政务服务事项的申请、受理、审查、办结全流程办件信息，用于\"好差评\"和效能监督。"
        "326002" "部门" "政务管理" "数据库" "实时" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        case_no "办件编号" string(40) none;
        item_code "事项编码" string(40) none;
        applicant "申请人" string(200) name;
        applicant_id_no "申请人身份证号码" string(18) resident_id;
        mobile "申请人手机号码" string(11) mobile;
        accepted_at "受理时间" datetime none;
        finished_at "办结时间" datetime none;
        result "办理结果" string(20) none;
        channel "申请渠道" string(20) none;
    }
    "政务服务好差评信息" {
        "办事群众和企业对政务服务的评价等级、评价内容和差评整改情况。"
        "326003" "部门" "政务管理" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        review_no "评价编号" string(40) none;
        case_no "办件编号" string(40) none;
        department "被评价部门" string(100) none;
        rating "评价等级" string(10) none "非常满意至非常不满意";
        comment "评价内容" string(1000) none;
        rectified "差评是否整改" boolean none;
        reviewed_at "评价时间" datetime none;
    }
    "政务服务中心及窗口信息" {
        "区、街道政务服务中心和社区党群服务中心政务服务窗口的地址、办公时间和可办事项。"
        "201004" "主题" "公共服务" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        hall_name "服务中心名称" string(200) none;
        level "层级" string(10) none;
        address "地址" string(200) none;
        office_hours "办公时间" string(200) none;
        windows "窗口数" integer none;
        items_count "可办事项数" integer none;
        phone "咨询电话" string(20) none;
    }
    "24小时自助服务区及终端信息" {
        "24小时自助服务区的位置、自助终端类型、数量和可办事项。"
        "201005" "主题" "公共服务" "服务接口" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        area_name "自助服务区名称" string(200) none;
        address "地址" string(200) none;
        terminal_type "终端类型" string(50) none;
        terminals "终端数量" integer none;
        items "可办事项" string(2000) none;
        online "是否在线" boolean none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "电子证照信息" {
        "各部门签发的电子证照目录及照面信息，供\"免证办\"调用和核验。"
        "105006" "基础" "政务管理" "服务接口" "实时" "核心"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        licence_id "证照标识" string(60) none;
        licence_type "证照类型" string(100) none;
        licence_no "证照编号" string(60) none;
        holder "持证主体" string(200) name;
        holder_code "持证主体证件号码" string(18) resident_id "身份证号码或统一社会信用代码";
        issuer "发证机关" string(100) none;
        issued_on "发证日期" date none;
        valid_until "有效期至" date none;
    }
    "12345热线工单信息" {
        "12345政务服务便民热线受理的咨询、求助、投诉、建议工单及派单办理结果。"
        "326007" "部门" "公共服务" "数据库" "实时" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        ticket_no "工单编号" string(30) none;
        caller "来电人姓名" string(50) name;
        mobile "来电号码" string(11) mobile;
        category "诉求类别" string(50) none;
        content "诉求内容" string(4000) none;
        address "事发地址" string(200) address;
        handler "承办单位" string(100) none;
        received_at "受理时间" datetime none;
        closed_at "办结时间" datetime none;
        satisfaction "满意度" string(10) none;
    }
    "12345热线诉求统计" {
        "按月、按类别和街道统计的热线诉求量、按时办结率和满意率。"
        "201008" "主题" "公共服务" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        street "街道" string(20) none;
        category "诉求类别" string(50) none;
        tickets "工单量" integer none;
        on_time_rate "按时办结率" number none;
        satisfaction_rate "满意率" number none;
    }
    "政务数据资源目录" {
        "各部门编制的政务数据资源目录及信息项、共享开放属性和更新周期。"
        "210009" "主题" "政务管理" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        resource_code "资源代码" string(30) none;
        resource_name "资源名称" string(200) none;
        provider "提供方" string(100) none;
        sharing "共享类型" string(10) none;
        opening "开放类型" string(10) none;
        update_cycle "更新周期" string(10) none;
        published_on "发布日期" date none;
    }
    "数据共享调用日志" {
        "政务数据共享平台接口调用的申请方、接口、调用次数和响应情况，用于审计。"
        "326010" "部门" "政务管理" "数据库" "实时" "重要"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        call_id "调用编号" string(40) none;
        consumer "调用部门" string(100) none;
        api_code "接口编码" string(40) none;
        called_at "调用时间" datetime none;
        rows_returned "返回记录数" integer none;
        status "响应状态" string(10) none;
        latency_ms "响应时间（毫秒）" integer none;
    }
    "城市运行体征指标" {
        "智慧城市运行中心汇聚的城市运行体征指标，如交通拥堵、空气质量、事件处置和用电负荷。"
        "204011" "主题" "城市建设" "服务接口" "实时" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        indicator_code "指标编码" string(30) none;
        indicator_name "指标名称" string(100) none;
        value "指标值" number none;
        unit "计量单位" string(20) none;
        measured_at "采集时间" datetime none;
        source "数据来源部门" string(100) none;
        alert_level "预警级别" string(10) none;
    }
    "城市事件统一分拨信息" {
        "网格上报、视频识别和热线转办的城市事件在统一分拨平台的流转和处置结果。"
        "326012" "部门" "城市建设" "数据库" "实时" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        event_no "事件编号" string(30) none;
        source "事件来源" string(20) none;
        category "事件类别" string(50) none;
        location "事发地点" string(200) none;
        dispatched_to "分拨单位" string(100) none;
        dispatched_at "分拨时间" datetime none;
        closed_at "办结时间" datetime none;
        overdue "是否超期" boolean none;
    }
    "数据应用场景信息" {
        "基于大数据平台建设的数据应用场景、使用的数据资源和应用成效。"
        "210013" "主题" "政务管理" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        scenario_name "场景名称" string(200) none;
        lead_unit "牵头单位" string(100) none;
        resources_used "使用数据资源数" integer none;
        launched_on "上线日期" date none;
        effect "应用成效" string(1000) none;
    }
    "政务信息化项目信息" {
        "政务信息化项目的立项、预算、建设单位、验收和运维情况。"
        "326014" "部门" "政务管理" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        project_code "项目编号" string(30) none;
        project_name "项目名称" string(200) none;
        owner_unit "建设单位" string(100) none;
        budget "预算金额（万元）" number none;
        vendor "承建单位" string(200) none;
        accepted_on "验收日期" date none;
        status "项目状态" string(20) none;
    }
};
