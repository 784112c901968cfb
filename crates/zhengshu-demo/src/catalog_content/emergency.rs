//! 应急管理、消防、气象: work safety, hazardous chemicals, shelters, rescue, fire, weather.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every emergency, fire-rescue and meteorological unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "危险化学品企业信息" {
        "危险化学品生产、经营、使用和储存企业的许可、重大危险源和安全责任人信息。"
        "316001" "部门" "公共安全" "数据库" "每周" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        licence_no "安全生产许可证号" string(30) none;
        chemicals "主要危险化学品" string(500) none;
        major_hazard "是否构成重大危险源" boolean none;
        safety_officer "安全负责人" string(50) name;
        mobile "安全负责人手机号码" string(11) mobile;
        address "地址" string(200) none;
    }
    "安全生产行政处罚信息" {
        "安全生产违法行为的行政处罚决定信息。"
        "104002" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        decision_no "处罚决定书文号" string(50) none;
        party_name "被处罚单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        violation "违法事实" string(1000) none;
        penalty "处罚内容" string(500) none;
        decided_on "处罚日期" date none;
    }
    "生产安全事故信息" {
        "生产安全事故的发生时间、地点、类别、伤亡和调查处理结果。"
        "316003" "部门" "公共安全" "数据库" "每日" "重要"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        accident_no "事故编号" string(30) none;
        occurred_at "发生时间" datetime none;
        unit_name "事故单位" string(200) none;
        category "事故类别" string(50) none;
        deaths "死亡人数" integer none;
        injuries "受伤人数" integer none;
        loss "直接经济损失（万元）" number none;
        location "地点" string(200) none;
    }
    "应急避难场所信息" {
        "室内外应急避难场所的名称、位置、可容纳人数和配套设施。"
        "209004" "主题" "公共安全" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        shelter_name "场所名称" string(200) none;
        shelter_type "场所类型" string(20) none;
        address "地址" string(200) none;
        capacity "可容纳人数" integer none;
        area_m2 "有效面积（平方米）" number none;
        facilities "配套设施" string(500) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "应急救援队伍信息" {
        "专业应急救援队伍、社会救援力量的人数、装备和驻地。"
        "316005" "部门" "公共安全" "电子表格" "每季度" "重要"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        team_name "队伍名称" string(200) none;
        team_type "队伍类型" string(50) none;
        members "人数" integer none;
        equipment "主要装备" string(1000) none;
        base "驻地" string(200) none;
        leader "负责人" string(50) name;
        mobile "负责人手机号码" string(11) mobile;
    }
    "应急物资储备信息" {
        "应急物资储备库的物资品类、数量、存放地点和管理单位。"
        "316006" "部门" "公共安全" "数据库" "每月" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        depot_name "储备库名称" string(200) none;
        material "物资名称" string(100) none;
        quantity "数量" integer none;
        unit "计量单位" string(10) none;
        address "存放地点" string(200) none;
        manager_unit "管理单位" string(200) none;
    }
    "自然灾害灾情信息" {
        "台风、暴雨、地质灾害等自然灾害造成的受灾人口、转移安置和直接经济损失。"
        "209007" "主题" "公共安全" "电子表格" "其他" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        event_name "灾害过程" string(100) none;
        disaster_type "灾种" string(20) none;
        occurred_on "发生日期" date none;
        affected "受灾人口" integer none;
        relocated "紧急转移安置人口" integer none;
        loss "直接经济损失（万元）" number none;
    }
    "消防监督检查信息" {
        "对社会单位的消防监督检查记录、火灾隐患和责令改正情况。"
        "316008" "部门" "公共安全" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        record_no "检查记录编号" string(30) none;
        unit_name "被检查单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        checked_on "检查日期" date none;
        hazards "发现隐患" string(1000) none;
        order_no "责令改正通知书编号" string(30) none;
        rectified "是否整改" boolean none;
    }
    "火灾统计信息" {
        "按月统计的火灾起数、伤亡人数、直接财产损失和起火原因。"
        "209009" "主题" "公共安全" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        street "街道" string(20) none;
        fires "火灾起数" integer none;
        deaths "死亡人数" integer none;
        injuries "受伤人数" integer none;
        loss "直接财产损失（万元）" number none;
        main_cause "主要起火原因" string(50) none;
    }
    "消防站及微型消防站信息" {
        "消防救援站、专职消防队和社区微型消防站的位置、人员和车辆装备。"
        "209010" "主题" "公共安全" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        station_name "站点名称" string(100) none;
        station_type "站点类型" string(20) none;
        address "地址" string(200) none;
        staff "执勤人数" integer none;
        vehicles "消防车辆数" integer none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "消防设施检测维保信息" {
        "建筑消防设施检测、维保单位及检测报告结论。"
        "316011" "部门" "公共安全" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        building "建筑名称" string(200) none;
        address "地址" string(200) none;
        tester "检测单位" string(200) none;
        tested_on "检测日期" date none;
        conclusion "检测结论" string(50) none;
        next_due_on "下次检测日期" date none;
    }
    "气象预警信号信息" {
        "台风、暴雨、高温、大风、寒冷等气象灾害预警信号的发布、变更和解除。"
        "209012" "主题" "公共安全" "自描述格式" "实时" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        signal_id "预警编号" string(30) none;
        signal_type "预警类型" string(20) none;
        level "预警级别" string(10) none "蓝、黄、橙、红";
        area "影响区域" string(200) none;
        issued_at "发布时间" datetime none;
        lifted_at "解除时间" datetime none;
        advice "防御指引" string(2000) none;
    }
    "自动气象站观测信息" {
        "区域自动气象站逐分钟观测的气温、降雨、风向风速和湿度。"
        "209013" "主题" "公共安全" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_API
        station_code "站号" string(10) none;
        station_name "站名" string(50) none;
        observed_at "观测时间" datetime none;
        temperature "气温（摄氏度）" number none;
        rainfall_mm "降雨量（毫米）" number none;
        wind_speed "风速（米/秒）" number none;
        wind_direction "风向（度）" integer none;
        humidity "相对湿度" number none;
    }
    "天气预报信息" {
        "逐日天气预报和未来7天天气趋势。"
        "201014" "主题" "公共服务" "自描述格式" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        forecast_date "预报日期" date none;
        weather "天气现象" string(50) none;
        temp_min "最低气温（摄氏度）" number none;
        temp_max "最高气温（摄氏度）" number none;
        rain_probability "降水概率" number none;
        wind "风向风力" string(50) none;
        issued_at "发布时间" datetime none;
    }
    "安全生产重点企业隐患排查信息" {
        "工贸、建筑施工等重点行业企业的隐患自查自报、执法检查和整改闭环情况。"
        "316015" "部门" "公共安全" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        industry "行业" string(50) none;
        hazard "隐患内容" string(1000) none;
        level "隐患等级" string(10) none;
        found_on "发现日期" date none;
        rectified_on "整改完成日期" date none;
    }
};
