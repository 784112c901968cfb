//! 公安交警: traffic violations, accidents, signals and road traffic conditions.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every traffic-police unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "道路交通违法信息" {
        "现场查处和电子警察抓拍的道路交通违法行为记录，包括违法时间、地点、行为、处理状态和罚款金额。"
        "303001" "部门" "交通出行" "数据库" "实时" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        record_no "违法记录编号" string(30) none;
        plate_no "号牌号码" string(10) none;
        party_name "当事人姓名" string(50) name;
        party_id_no "当事人身份证明号码" string(18) resident_id;
        occurred_at "违法时间" datetime none;
        location "违法地点" string(200) none;
        behaviour_code "违法行为代码" string(10) none;
        fine "罚款金额（元）" number none;
        points "记分" integer none;
        handled "是否处理" boolean none;
    }
    "道路交通事故信息" {
        "道路交通事故的发生时间、地点、形态、伤亡情况和责任认定结果。"
        "303002" "部门" "交通出行" "数据库" "每日" "重要"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        accident_no "事故编号" string(30) none;
        occurred_at "发生时间" datetime none;
        location "事故地点" string(200) none;
        accident_form "事故形态" string(50) none;
        deaths "死亡人数" integer none;
        injuries "受伤人数" integer none;
        party_names "当事人姓名" string(200) name;
        liability "责任认定" string(200) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "交通事故统计信息" {
        "按月、按街道汇总的道路交通事故起数和伤亡人数，用于事故多发路段治理。"
        "208003" "主题" "交通出行" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        street "街道" string(20) none;
        accidents "事故起数" integer none;
        deaths "死亡人数" integer none;
        injuries "受伤人数" integer none;
        property_loss "直接财产损失（元）" number none;
    }
    "交通信号灯设施信息" {
        "路口交通信号灯的位置、控制方式、配时方案和运行状态。"
        "103004" "基础" "交通出行" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_API
        intersection_code "路口编码" string(20) none;
        intersection_name "路口名称" string(100) none;
        control_mode "控制方式" string(20) none "定时、感应、自适应";
        phases "相位数" integer none;
        cycle_seconds "周期时长（秒）" integer none;
        longitude "经度" number none;
        latitude "纬度" number none;
        status "运行状态" string(10) none;
    }
    "电子警察点位信息" {
        "闯红灯、超速、违停等交通技术监控设备的位置和抓拍类型，依法向社会公布。"
        "208005" "主题" "交通出行" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        device_code "设备编号" string(20) none;
        location "设置地点" string(200) none;
        direction "监测方向" string(20) none;
        capture_type "抓拍类型" string(50) none;
        enabled_on "启用日期" date none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "道路交通流量信息" {
        "主干道路段和路口的实时车流量、平均车速和拥堵指数。"
        "208006" "主题" "交通出行" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_API
        section_code "路段编码" string(20) none;
        section_name "路段名称" string(100) none;
        measured_at "采集时间" datetime none;
        volume "车流量（辆/小时）" integer none;
        avg_speed "平均车速（公里/小时）" number none;
        congestion_index "拥堵指数" number none;
    }
    "机动车临时通行许可信息" {
        "货车、泥头车等在限行区域、限行时段的临时通行许可核发信息。"
        "303007" "部门" "交通出行" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        permit_no "通行证编号" string(30) none;
        plate_no "号牌号码" string(10) none;
        applicant_unit "申请单位" string(200) none;
        route "通行路线" string(500) none;
        valid_from "有效期起" date none;
        valid_until "有效期止" date none;
    }
    "交通管制信息" {
        "因施工、大型活动和恶劣天气实施的交通管制的路段、时间和绕行建议。"
        "208008" "主题" "交通出行" "自描述格式" "实时" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        notice_no "公告编号" string(30) none;
        road "管制路段" string(200) none;
        reason "管制原因" string(200) none;
        starts_at "开始时间" datetime none;
        ends_at "结束时间" datetime none;
        detour "绕行建议" string(500) none;
    }
    "违法停车抓拍信息" {
        "视频巡逻和移动抓拍的违法停车记录，用于违停告知和处罚。"
        "303009" "部门" "交通出行" "数据库" "实时" "一般"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        record_no "记录编号" string(30) none;
        plate_no "号牌号码" string(10) none;
        captured_at "抓拍时间" datetime none;
        location "抓拍地点" string(200) none;
        device_code "设备编号" string(20) none;
        notified "是否已短信告知" boolean none;
    }
    "驾驶人交通安全教育信息" {
        "满分教育、审验教育和交通安全宣传教育的参训记录。"
        "303010" "部门" "交通出行" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        licence_no "驾驶证号" string(18) other;
        name "姓名" string(50) name;
        course "教育类型" string(20) none;
        hours "学习学时" integer none;
        passed "是否考试合格" boolean none;
        completed_on "完成日期" date none;
    }
    "停车场（库）备案信息" {
        "经营性停车场（库）的备案信息，包括位置、泊位数、收费标准和经营单位。"
        "208011" "主题" "交通出行" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        lot_code "停车场编号" string(20) none;
        lot_name "停车场名称" string(100) none;
        address "地址" string(200) none;
        spaces "泊位数" integer none;
        charging_spaces "充电泊位数" integer none;
        fee_standard "收费标准" string(200) none;
        operator "经营单位" string(200) none;
    }
};
